// Headless collections against the utility sandbox through the real egress proxy: the
// recipe signs in (plain, two-step, SPA, French, SMS MFA), bills and their documents come
// back, and each failure is named the way the API words it for an admin.
import { createServer } from "node:net";
import { sandboxProviders, type TSandboxProvider } from "@meterlink/utility-sandbox/catalog";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import { EncryptJWT, importJWK } from "jose";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  captureLogs,
  createVault,
  launchTestBrowser,
  startTestWorker,
} from "../../test/harness";
import type { TWorker } from "../server";

/** What the collection job sends: the credential sealed to this worker, for one session. */
async function sealFor(
  target: TWorker,
  sessionId: string,
  credential: { username: string; password: string },
  expiresIn = "5m",
): Promise<string> {
  return await new EncryptJWT(credential)
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM" })
    .setSubject(sessionId)
    .setExpirationTime(expiresIn)
    .encrypt(await importJWK(target.publicKey, "ECDH-ES+A256KW"));
}

let browser: Browser;
let worker: TWorker;
let sandbox: TSandbox;
let deadPort: number;
let providers: TSandboxProvider[];
const logs = captureLogs();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  let vault: Awaited<ReturnType<typeof createVault>>;
  [browser, sandbox, vault, deadPort] = await Promise.all([
    launchTestBrowser(),
    startSandbox({ port: 0, control: true }),
    createVault(),
    freePort(),
  ]);
  providers = sandboxProviders(sandbox.url);
  worker = await startTestWorker(browser, {
    vaultPublicKey: vault.publicJwk,
    egress: { allowPrivate: [new URL(sandbox.url).host, `127.0.0.1:${deadPort}`] },
    logger: logs.logger,
    capacity: 6,
    headlessCapacity: 6,
  });
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await sandbox?.close();
});

let counter = 0;
async function headless(portal: string, loginUrl?: string, mode = "headless") {
  const provider = providers.find((p) => p.id === `sandbox-${portal}`);
  if (!provider) throw new Error(`no provider ${portal}`);
  const sessionId = `collect-${portal}-${++counter}-${Date.now()}`;
  const created = await api(worker, "POST", "/sessions", {
    sessionId,
    provider: {
      id: provider.id,
      loginUrl: loginUrl ?? provider.loginUrl,
      allowedHostnames: provider.allowedHostnames,
      rules: provider.rules,
    },
    viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
    mode,
  });
  expect(created.status).toBe(201);
  return { sessionId, provider };
}

async function collect(
  portal: string,
  username: string,
  password: string,
  extra: { knownBillIds?: string[]; loginUrl?: string } = {},
) {
  const { sessionId, provider } = await headless(portal, extra.loginUrl);
  const answer = await api(worker, "POST", `/sessions/${sessionId}/collect`, {
    sealedCredential: await sealFor(worker, sessionId, { username, password }),
    recipe: provider.rules,
    knownBillIds: extra.knownBillIds ?? [],
  });
  return { sessionId, ...answer };
}

type TBills = { id: string; files: { kind: string; contentType: string; base64: string }[] }[];

describe("collect", () => {
  it("signs into a plain form and returns every bill, downloading only the new ones", async () => {
    const result = await collect("northwind", "alice", "correct-horse-1", {
      knownBillIds: ["NW-A-202607"],
    });
    expect(result.status).toBe(200);
    const body = result.json as { status: string; bills: TBills };
    expect(body.status).toBe("ok");
    expect(body.bills).toHaveLength(4);
    const known = body.bills.find((b) => b.id === "NW-A-202607");
    expect(known?.files).toEqual([]);
    const fresh = body.bills.find((b) => b.id === "NW-A-202610");
    expect(fresh).toMatchObject({
      utility: "electricity",
      periodStart: "2026-10-01",
      periodEnd: "2026-10-31",
      issuedOn: "2026-11-25",
      currency: "USD",
    });
    const pdf = fresh?.files.find((f) => f.kind === "pdf");
    expect(pdf?.contentType).toContain("application/pdf");
    expect(
      Buffer.from(pdf?.base64 ?? "", "base64")
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const csv = fresh?.files.find((f) => f.kind === "csv");
    expect(Buffer.from(csv?.base64 ?? "", "base64").toString()).toContain("NW-A-202610");
    // One collection per session: the browser context is gone once it answered.
    expect(worker.activeSessions()).toBe(0);
    expect(logs.lines.join("\n")).not.toContain("correct-horse-1");
  });

  it("follows two-step, script-rendered and French portals", async () => {
    const [cascade, helios, lumiere] = await Promise.all([
      collect("cascade", "alice@example.com", "correct-horse-1"),
      collect("helios", "alice@example.com", "correct-horse-1"),
      collect("lumiere", "alice@example.fr", "correct-horse-1"),
    ]);
    for (const result of [cascade, helios, lumiere]) {
      expect(result.json).toMatchObject({ status: "ok" });
      expect((result.json as { bills: TBills }).bills.length).toBeGreaterThan(0);
    }
    const french = (lumiere.json as { bills: (TBills[number] & { amount: string })[] }).bills;
    // Locale-free attributes: "1 234,56 €" on the page is 1234.56 here.
    expect(french.map((b) => b.amount)).toContain("1234.56");
  });

  it("names a wrong password and a locked account apart", async () => {
    const [wrong, locked] = await Promise.all([
      collect("northwind", "bob", "not-the-password"),
      collect("northwind", "locked", "correct-horse-1"),
    ]);
    expect(wrong.json).toEqual({ status: "failed", reason: "wrong_password" });
    expect(locked.json).toEqual({ status: "failed", reason: "locked" });
    // Tried once: a collection must not burn the portal's lockout budget.
    const attempts = (await (
      await fetch(`${sandbox.url}/_control/attempts?portal=northwind&username=bob`)
    ).json()) as { attempts: { result: string }[] };
    expect(attempts.attempts.map((a) => a.result)).toEqual(["wrong-password"]);
  });

  it("asks for an SMS code, waits, and finishes with the code it is given", async () => {
    await fetch(`${sandbox.url}/_control/reset?portal=summit`, { method: "POST" });
    const first = await collect("summit", "alice@example.com", "correct-horse-1");
    expect(first.json).toEqual({ status: "mfa_required" });
    const sent = (await (
      await fetch(`${sandbox.url}/_control/codes/summit/alice@example.com`)
    ).json()) as { code: string };
    const done = await api(worker, "POST", `/sessions/${first.sessionId}/code`, {
      code: sent.code,
    });
    expect(done.json).toMatchObject({ status: "ok" });
    expect((done.json as { bills: TBills }).bills.length).toBeGreaterThan(0);
    const again = await api(worker, "POST", `/sessions/${first.sessionId}/code`, {
      code: "123456",
    });
    expect(again.status).toBe(409);
  });

  it("says the provider is down when its site does not answer", async () => {
    const result = await collect("northwind", "alice", "correct-horse-1", {
      loginUrl: `http://127.0.0.1:${deadPort}/northwind/login`,
    });
    expect(result.json).toEqual({ status: "failed", reason: "provider_down" });
  });

  it("refuses to collect in a recipient's live session", async () => {
    const { sessionId, provider } = await headless("northwind", undefined, "interactive");
    const refused = await api(worker, "POST", `/sessions/${sessionId}/collect`, {
      sealedCredential: await sealFor(worker, sessionId, {
        username: "alice",
        password: "correct-horse-1",
      }),
      recipe: provider.rules,
    });
    expect(refused.status).toBe(409);
    await api(worker, "DELETE", `/sessions/${sessionId}`);
  });

  it("opens only a credential sealed to this worker, for this session, still fresh", async () => {
    const alice = { username: "alice", password: "correct-horse-1" };
    const other = await startTestWorker(browser, {
      vaultPublicKey: (await createVault()).publicJwk,
      egress: "off",
    });
    try {
      const { sessionId, provider } = await headless("northwind");
      const attempts = {
        plaintext: { credential: alice, sealedCredential: "x" },
        otherWorker: { sealedCredential: await sealFor(other, sessionId, alice) },
        otherSession: { sealedCredential: await sealFor(worker, `${sessionId}-b`, alice) },
        expired: { sealedCredential: await sealFor(worker, sessionId, alice, "-1m") },
      };
      for (const [name, body] of Object.entries(attempts)) {
        const refused = await api(worker, "POST", `/sessions/${sessionId}/collect`, {
          ...body,
          recipe: provider.rules,
        });
        expect(refused.status, name).toBe(400);
        expect(JSON.stringify(refused.json), name).toMatch(/not sealed to this worker/);
      }
      // Nothing was typed: the same session still collects with a proper seal.
      const answer = await api(worker, "POST", `/sessions/${sessionId}/collect`, {
        sealedCredential: await sealFor(worker, sessionId, alice),
        recipe: provider.rules,
      });
      expect(answer.json).toMatchObject({ status: "ok" });
    } finally {
      await other.close();
    }
    expect(logs.lines.join("")).not.toContain("correct-horse-1");
  });
});
