// Live logins against the utility sandbox's realistic portals, compared with the
// sandbox's ground truth (/_control/attempts: exactly what each portal received).
import { SANDBOX_ACCOUNTS, type TPortalId } from "@meterlink/utility-sandbox/accounts";
import { sandboxProviders, type TSandboxProvider } from "@meterlink/utility-sandbox/catalog";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "../src/server";
import { TestClient } from "./client";
import {
  api,
  captureLogs,
  createVault,
  FLEET_TOKEN,
  launchTestBrowser,
  startTestWorker,
  until,
} from "./harness";

let browser: Browser;
let worker: TWorker;
let sandbox: TSandbox;
let providers: TSandboxProvider[];
let vault: Awaited<ReturnType<typeof createVault>>;
const logs = captureLogs();

beforeAll(async () => {
  [browser, sandbox, vault] = await Promise.all([
    launchTestBrowser(),
    startSandbox({ port: 0, control: true }),
    createVault(),
  ]);
  providers = sandboxProviders(sandbox.url);
  worker = await startTestWorker(browser, {
    vaultPublicKey: vault.publicJwk,
    egress: { allowPrivate: [new URL(sandbox.url).host] },
    logger: logs.logger,
    capacity: 6,
  });
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await sandbox?.close();
});

function provider(portal: TPortalId): TSandboxProvider {
  const found = providers.find((p) => p.id === `sandbox-${portal}`);
  if (!found) throw new Error(`no provider ${portal}`);
  return found;
}

async function attempts(portal: TPortalId) {
  const response = await fetch(`${sandbox.url}/_control/attempts?portal=${portal}`);
  const json = (await response.json()) as {
    attempts: { username: string; password: string | null; code: string | null; result: string }[];
  };
  return json.attempts;
}

/** Where the recipient would click: the element's centre (peeked, input still goes over WS). */
async function centre(page: Page, selector: string): Promise<{ x: number; y: number } | null> {
  const box = await page
    .$eval(selector, (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    })
    .catch(() => null);
  return box;
}

async function start(portal: TPortalId) {
  const p = provider(portal);
  const sessionId = `sandbox-${portal}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const created = await api(worker, "POST", "/sessions", {
    sessionId,
    provider: {
      id: p.id,
      loginUrl: p.loginUrl,
      allowedHostnames: p.allowedHostnames,
      rules: p.rules,
    },
    viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
    mode: "interactive",
  });
  expect(created.status).toBe(201);
  const client = await TestClient.connect(worker.url, sessionId, FLEET_TOKEN);
  await client.waitForPage(new URL(p.loginUrl).pathname);
  const page = worker.inspect(sessionId)?.page;
  if (!page) throw new Error("no page");
  return { client, sessionId, page, rules: p.rules };
}

/** Fills whatever login fields the current page shows, like a person would, and submits. */
async function signIn(
  s: Awaited<ReturnType<typeof start>>,
  account: { username: string; password: string },
) {
  for (let step = 0; step < 3; step++) {
    const user = await centre(s.page, s.rules.usernameSelector);
    const pass = await centre(s.page, s.rules.passwordSelector);
    if (user) {
      const current: unknown = await s.page.evaluate(
        `document.querySelector(${JSON.stringify(s.rules.usernameSelector)}).value`,
      );
      if (!current) {
        s.client.click(user.x, user.y);
        s.client.type(account.username);
      }
    }
    if (pass) {
      s.client.click(pass.x, pass.y);
      s.client.send({ type: "insertText", text: account.password });
    }
    const submit = s.rules.submitSelector ? await centre(s.page, s.rules.submitSelector) : null;
    if (submit) s.client.click(submit.x, submit.y);
    else s.client.press("Enter");
    if (pass) return;
    // Identifier-first: wait for the password page.
    await until("the password step", async () =>
      Boolean(await centre(s.page, s.rules.passwordSelector)),
    );
  }
}

describe("sandbox portals", () => {
  for (const portal of ["northwind", "cascade", "helios", "lumiere"] as const) {
    it(`${portal}: live login is captured exactly as the portal received it`, async () => {
      const account = SANDBOX_ACCOUNTS[portal][0];
      if (!account) throw new Error("no account");
      const s = await start(portal);
      await signIn(s, account);
      expect((await s.client.waitForOutcome()).outcome).toBe("success");
      const view = (await api(worker, "GET", `/sessions/${s.sessionId}`)).json as {
        sealedCredential: string;
      };
      const secret = await vault.open(view.sealedCredential);
      const truth = (await attempts(portal)).filter((a) => a.result === "success").at(-1);
      expect(truth?.username).toBe(account.username);
      expect(secret).toMatchObject({
        username: account.username,
        password: truth?.password ?? "",
        providerId: `sandbox-${portal}`,
      });
    });
  }

  it("summit (SMS MFA): failure on a wrong password, then MFA with the code typed live", async () => {
    const account = SANDBOX_ACCOUNTS.summit[0];
    if (!account) throw new Error("no account");
    const s = await start("summit");
    await signIn(s, { username: account.username, password: "not-the-password" });
    expect((await s.client.waitForOutcome()).outcome).toBe("failure");
    // The portal may or may not keep the username; the recipient retypes what is missing.
    await signIn(s, account);
    expect((await s.client.waitForOutcome()).outcome).toBe("mfa");
    const code = (await (
      await fetch(`${sandbox.url}/_control/codes/summit/${encodeURIComponent(account.username)}`)
    ).json()) as { code: string };
    const codeSelector = s.rules.codeSelector ?? "";
    const field = await centre(s.page, codeSelector);
    if (!field) throw new Error("no code field");
    s.client.click(field.x, field.y);
    s.client.type(code.code);
    s.client.press("Enter");
    expect((await s.client.waitForOutcome()).outcome).toBe("success");
    const view = (await api(worker, "GET", `/sessions/${s.sessionId}`)).json as {
      sealedCredential: string;
    };
    expect(await vault.open(view.sealedCredential)).toMatchObject({
      username: account.username,
      password: account.password,
      codes: [code.code],
    });
    const truth = await attempts("summit");
    expect(truth.some((a) => a.result === "wrong-password")).toBe(true);
    expect(truth.at(-1)).toMatchObject({ code: code.code, result: "success" });
  });

  it("nothing secret was logged", () => {
    const all = logs.lines.join("\n");
    expect(all).toContain("login submission captured");
    for (const account of Object.values(SANDBOX_ACCOUNTS).flat()) {
      expect(all).not.toContain(account.password);
    }
  });
});
