// First bills ride the recipient's own session (#18): a live sign-in over the real stream
// into a sandbox utility; once the portal shows the account, the worker reads the bills
// in that same browser and reports them to the fleet before the session ends: generic
// discovery for a utility without rules, the provider's rules where it has them.
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import {
  RULELESS_PASSWORD,
  RULELESS_USERNAME,
  rulelessSandboxProviders,
} from "@meterlink/utility-sandbox/ruleless";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TestClient } from "../../test/client";
import {
  api,
  captureLogs,
  createVault,
  FLEET_TOKEN,
  launchTestBrowser,
  startTestWorker,
} from "../../test/harness";
import { centre, startFleetListener } from "../../test/sessions";
import type { TWorker } from "../server";

let browser: Browser;
let worker: TWorker;
let sandbox: TSandbox;
let fleet: Awaited<ReturnType<typeof startFleetListener>>;
const logs = captureLogs();

beforeAll(async () => {
  let vault: Awaited<ReturnType<typeof createVault>>;
  [browser, sandbox, vault, fleet] = await Promise.all([
    launchTestBrowser(),
    startSandbox({ port: 0, control: true }),
    createVault(),
    startFleetListener(),
  ]);
  worker = await startTestWorker(browser, {
    vaultPublicKey: vault.publicJwk,
    egress: { allowPrivate: [new URL(sandbox.url).host] },
    logger: logs.logger,
    capacity: 2,
    fleet: { apiUrl: fleet.apiUrl, workerId: "first-bills-worker", heartbeatIntervalMs: 60_000 },
  });
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await sandbox?.close();
  await fleet?.close();
});

/** A recipient's live session: typed over the stream like the recipient's page sends it. */
async function liveSignIn(
  provider: { id: string; loginUrl: string; allowedHostnames: string[]; rules?: unknown },
  collect: Record<string, unknown>,
  fields: { username: string; password: string; submit: string },
  account: { username: string; password: string },
) {
  const sessionId = `first-bills-${provider.id}-${Date.now()}`;
  const created = await api(worker, "POST", "/sessions", {
    sessionId,
    provider: { ...provider, collect },
    viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
    mode: "interactive",
  });
  expect(created.status).toBe(201);
  const client = await TestClient.connect(worker.url, sessionId, FLEET_TOKEN);
  await client.waitForPage(new URL(provider.loginUrl).pathname);
  const page = worker.inspect(sessionId)?.page;
  if (!page) throw new Error("no page");
  const user = await centre(page, fields.username);
  client.click(user.x, user.y);
  client.type(account.username);
  const pass = await centre(page, fields.password);
  client.click(pass.x, pass.y);
  client.send({ type: "insertText", text: account.password });
  const submit = await centre(page, fields.submit);
  client.click(submit.x, submit.y);
  expect((await client.waitForOutcome()).outcome).toBe("success");
  expect(await client.waitFor((m) => m.type === "ended")).toMatchObject({ reason: "completed" });
  return vi.waitFor(() => {
    const mine = fleet.reports.filter((r) => r.sessionId === sessionId);
    expect(mine.map((r) => [r.type, r.status ?? null])).toEqual([
      ["outcome", null],
      ["first_bills", "reading"],
      ["first_bills", "ok"],
      ["ended", null],
    ]);
    return mine[2] as {
      status: string;
      bills: { id: string; periodEnd: string | null; amount: string | null; files: unknown[] }[];
    };
  });
}

describe("first bills in the recipient's own session", () => {
  it("a utility without rules: bills found generically before the session ends", async () => {
    const provider = rulelessSandboxProviders(sandbox.url).find(
      (p) => p.id === "sandbox-brightwater",
    );
    if (!provider) throw new Error("no provider");
    const first = await liveSignIn(
      { id: provider.id, loginUrl: provider.loginUrl, allowedHostnames: provider.allowedHostnames },
      {},
      {
        username: "#brightwater-email",
        password: "#brightwater-pw",
        submit: "button[type=submit]",
      },
      { username: RULELESS_USERNAME, password: RULELESS_PASSWORD },
    );
    expect(first.status).toBe("ok");
    expect(first.bills).toHaveLength(5);
    expect(first.bills.find((b) => b.periodEnd === "2026-10-31")).toMatchObject({
      amount: "94.24",
    });
    expect(worker.activeSessions()).toBe(0);
    expect(logs.lines.join("\n")).not.toContain(RULELESS_PASSWORD);
  });

  it("a utility with collection rules: the rules read the bills", async () => {
    const provider = sandboxProviders(sandbox.url).find((p) => p.id === "sandbox-northwind");
    if (!provider) throw new Error("no provider");
    const first = await liveSignIn(
      {
        id: provider.id,
        loginUrl: provider.loginUrl,
        allowedHostnames: provider.allowedHostnames,
        rules: provider.rules,
      },
      provider.rules,
      {
        username: provider.rules.usernameSelector,
        password: provider.rules.passwordSelector,
        submit: provider.rules.submitSelector ?? "button[type=submit]",
      },
      { username: "alice", password: "correct-horse-1" },
    );
    expect(first.status).toBe("ok");
    // The provider's own bill ids, not content hashes: its rules won.
    expect(first.bills.map((b) => b.id).sort()).toEqual([
      "NW-A-202607",
      "NW-A-202608",
      "NW-A-202609",
      "NW-A-202610",
    ]);
  });
});
