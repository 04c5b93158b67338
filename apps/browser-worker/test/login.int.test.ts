// Live logins driven over the real WebSocket (keystrokes and clicks, as the recipient's
// page sends them), through the real egress proxy, against small loopback portals.
import { accountTagKeyOf, accountTagOf } from "@meterlink/shared/account-tag";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TWorker } from "../src/server";
import { TestClient } from "./client";
import { MFA_CODE, POS, RIGHT_PASSWORD, startFixtures, type TFixtures } from "./fixtures";
import {
  api,
  captureLogs,
  createVault,
  FLEET_TOKEN,
  launchTestBrowser,
  sessionBody,
  startTestWorker,
} from "./harness";

let browser: Browser;
let worker: TWorker;
let fixtures: TFixtures;
let vault: Awaited<ReturnType<typeof createVault>>;
const logs = captureLogs();
const results: { path?: string; auth?: string; body: Record<string, unknown> }[] = [];
let resultServer: import("node:http").Server;

beforeAll(async () => {
  const http = await import("node:http");
  resultServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      results.push({
        path: req.url,
        auth: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, end: [] }));
    });
  });
  await new Promise<void>((resolve) => resultServer.listen(0, "127.0.0.1", () => resolve()));
  const address = resultServer.address();
  const resultPort = typeof address === "object" && address ? address.port : 0;
  [browser, fixtures, vault] = await Promise.all([
    launchTestBrowser(),
    startFixtures(),
    createVault(),
  ]);
  worker = await startTestWorker(browser, {
    vaultPublicKey: vault.publicJwk,
    egress: { allowPrivate: [fixtures.host] },
    logger: logs.logger,
    capacity: 6,
    fleet: {
      apiUrl: `http://127.0.0.1:${resultPort}`,
      workerId: "login-test-worker",
      heartbeatIntervalMs: 60_000,
    },
  });
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await fixtures?.close();
  resultServer?.close();
});

async function open(path: string, rules?: unknown) {
  const body = sessionBody(`${fixtures.url}${path}`, rules ? { rules } : {});
  const created = await api(worker, "POST", "/sessions", body);
  expect(created.status).toBe(201);
  const client = await TestClient.connect(worker.url, body.sessionId, FLEET_TOKEN);
  await client.waitForPage(path);
  return { client, sessionId: body.sessionId };
}

async function sealedOf(sessionId: string) {
  const view = await api(worker, "GET", `/sessions/${sessionId}`);
  const json = view.json as { outcome: string; sealedCredential: string | null; state: string };
  expect(json.outcome).toBe("success");
  expect(json.sealedCredential).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
  return { view: json, secret: await vault.open(json.sealedCredential ?? "") };
}

describe("live login over the stream", () => {
  it("plain form: typed credentials are sealed, session completes and its context closes", async () => {
    const { client, sessionId } = await open("/plain");
    const context = worker.inspect(sessionId)?.context;
    client.click(POS.first.x, POS.first.y);
    client.type("alice@example.com");
    client.press("Tab");
    // Typed key by key; the non-ASCII character arrives as committed text, like an IME.
    const [before, after] = RIGHT_PASSWORD.split("Ω");
    client.type(before ?? "");
    client.send({ type: "insertText", text: "Ω" });
    client.type(after ?? "");
    client.click(POS.submit.x, POS.submit.y);
    const outcome = await client.waitForOutcome();
    expect(outcome.outcome).toBe("success");
    expect(await client.waitFor((m) => m.type === "ended")).toEqual({
      type: "ended",
      reason: "completed",
    });
    const { secret, view } = await sealedOf(sessionId);
    expect(fixtures.received.at(-1)).toEqual({
      route: "POST /plain/login",
      username: "alice@example.com",
      password: RIGHT_PASSWORD,
    });
    expect(secret).toEqual({
      username: "alice@example.com",
      password: RIGHT_PASSWORD,
      codes: [],
      providerId: "fixture",
      finalUrl: `${fixtures.url}/account/home`,
      verified: true,
    });
    expect(view.state).toBe("ended");
    expect(browser.browserContexts()).not.toContain(context);
    // The fleet got the sealed blob with the fleet token, and nothing in clear; then the
    // ending, after the outcome, so the API never closes the row before it has the blob.
    const reports = await vi.waitFor(() => {
      const mine = results.filter(
        (r) => r.path === "/internal/fleet/report" && r.body.sessionId === sessionId,
      );
      expect(mine.map((r) => r.body.type)).toEqual(["outcome", "ended"]);
      return mine;
    });
    expect(reports[0]).toMatchObject({
      auth: `Bearer ${FLEET_TOKEN}`,
      body: {
        workerId: "login-test-worker",
        outcome: "success",
        sealedCredential: view.sealedCredential,
      },
    });
    expect(reports[1]?.body).toMatchObject({ reason: "completed", outcome: "success" });
    expect(JSON.stringify(results)).not.toContain(RIGHT_PASSWORD);
  });

  it("reports the account's keyed tag (duplicates, #17): the one the API computes, never the username", async () => {
    // The key the API hands a recipient's session: its company's, derived from the token key.
    const accountTagKey = accountTagKeyOf(Buffer.alloc(32, 7), "company-under-test");
    const body = { ...sessionBody(`${fixtures.url}/plain`), accountTagKey };
    expect((await api(worker, "POST", "/sessions", body)).status).toBe(201);
    const client = await TestClient.connect(worker.url, body.sessionId, FLEET_TOKEN);
    await client.waitForPage("/plain");
    client.click(POS.first.x, POS.first.y);
    client.type("Alice@Example.com");
    client.press("Tab");
    const [before, after] = RIGHT_PASSWORD.split("Ω");
    client.type(before ?? "");
    client.send({ type: "insertText", text: "Ω" });
    client.type(after ?? "");
    client.click(POS.submit.x, POS.submit.y);
    expect((await client.waitForOutcome()).outcome).toBe("success");
    // What manual entry of the same login stores (another spelling, same account).
    const expected = accountTagOf(accountTagKey, "fixture", " alice@example.com ");
    const view = (await api(worker, "GET", `/sessions/${body.sessionId}`)).json as {
      accountTag: string | null;
    };
    expect(view.accountTag).toBe(expected);
    const outcome = await vi.waitFor(() => {
      const found = results.find(
        (r) => r.body.sessionId === body.sessionId && r.body.type === "outcome",
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(outcome?.body.accountTag).toBe(expected);
    const mine = JSON.stringify(results.filter((r) => r.body.sessionId === body.sessionId));
    expect(mine.toLowerCase()).not.toContain("alice@example.com");
  });

  it("wrong password shows failure, then the retry succeeds in the same session", async () => {
    const { client, sessionId } = await open("/plain");
    client.click(POS.first.x, POS.first.y);
    client.type("bob");
    client.click(POS.second.x, POS.second.y);
    client.type("nope-wrong");
    client.press("Enter");
    const failure = await client.waitForOutcome();
    expect(failure.outcome).toBe("failure");
    expect(JSON.stringify(failure)).not.toContain("nope-wrong");
    expect(fixtures.received.at(-1)).toMatchObject({ username: "bob", password: "nope-wrong" });
    // Retry: select everything in the password box (Ctrl+A) and type over it.
    client.click(POS.second.x, POS.second.y);
    client.press("a", "KeyA", { ctrl: true });
    client.press("Backspace");
    client.type("right-pass-");
    client.send({ type: "composition", action: "update", text: "Ω" });
    client.send({ type: "composition", action: "commit", text: "Ω" });
    client.type("7");
    client.press("Enter");
    expect((await client.waitForOutcome()).outcome).toBe("success");
    const { secret } = await sealedOf(sessionId);
    expect(fixtures.received.at(-1)).toMatchObject({ username: "bob", password: RIGHT_PASSWORD });
    expect(secret).toMatchObject({ username: "bob", password: RIGHT_PASSWORD });
  });

  it("fetch-only login (no form) is captured", async () => {
    const { client, sessionId } = await open("/fetch");
    client.click(POS.first.x, POS.first.y);
    client.type("carol@example.com");
    client.click(POS.second.x, POS.second.y);
    client.send({ type: "paste", text: RIGHT_PASSWORD });
    client.click(POS.submit.x, POS.submit.y);
    expect((await client.waitForOutcome()).outcome).toBe("success");
    const { secret } = await sealedOf(sessionId);
    expect(fixtures.received.at(-1)).toEqual({
      route: "POST /api/login",
      username: "carol@example.com",
      password: RIGHT_PASSWORD,
    });
    expect(secret).toMatchObject({ username: "carol@example.com", password: RIGHT_PASSWORD });
  });

  it("identifier-first two-step login keeps the identifier from the first page", async () => {
    const { client, sessionId } = await open("/two-step");
    client.click(POS.first.x, POS.first.y);
    client.type("dave-42");
    client.press("Enter");
    await client.waitForPage("/two-step/password");
    client.click(POS.second.x, POS.second.y);
    client.send({ type: "insertText", text: RIGHT_PASSWORD });
    client.press("Enter");
    expect((await client.waitForOutcome()).outcome).toBe("success");
    const { secret } = await sealedOf(sessionId);
    expect(fixtures.received.at(-1)).toMatchObject({
      username: "dave-42",
      password: RIGHT_PASSWORD,
    });
    expect(secret).toMatchObject({ username: "dave-42", password: RIGHT_PASSWORD });
  });

  it("login inside an iframe is captured", async () => {
    const { client, sessionId } = await open("/iframe");
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.click(POS.first.x, POS.first.y);
    client.type("erin");
    client.click(POS.second.x, POS.second.y);
    client.send({ type: "insertText", text: RIGHT_PASSWORD });
    client.click(POS.submit.x, POS.submit.y);
    expect((await client.waitForOutcome()).outcome).toBe("success");
    const { secret } = await sealedOf(sessionId);
    expect(secret).toMatchObject({ username: "erin", password: RIGHT_PASSWORD });
  });

  it("login inside an open shadow root is captured", async () => {
    const { client, sessionId } = await open("/shadow");
    client.click(POS.first.x, POS.first.y);
    client.type("frank");
    client.click(POS.second.x, POS.second.y);
    client.send({ type: "insertText", text: RIGHT_PASSWORD });
    client.click(POS.submit.x, POS.submit.y);
    expect((await client.waitForOutcome()).outcome).toBe("success");
    const { secret } = await sealedOf(sessionId);
    expect(fixtures.received.at(-1)).toMatchObject({ username: "frank", password: RIGHT_PASSWORD });
    expect(secret).toMatchObject({ username: "frank", password: RIGHT_PASSWORD });
  });

  it("MFA: the code asked for is typed live and sealed with the credential", async () => {
    const { client, sessionId } = await open("/mfa");
    client.click(POS.first.x, POS.first.y);
    client.type("grace");
    client.press("Tab");
    client.send({ type: "insertText", text: RIGHT_PASSWORD });
    client.press("Enter");
    expect((await client.waitForOutcome()).outcome).toBe("mfa");
    client.click(POS.first.x, POS.first.y);
    client.type(MFA_CODE);
    client.press("Enter");
    expect((await client.waitForOutcome()).outcome).toBe("success");
    const { secret } = await sealedOf(sessionId);
    expect(fixtures.received.at(-1)).toEqual({ route: "POST /mfa/verify", code: MFA_CODE });
    expect(secret).toMatchObject({
      username: "grace",
      password: RIGHT_PASSWORD,
      codes: [MFA_CODE],
    });
  });

  it("a sign-in only the recipient vouches for is kept but recorded as not verified", async () => {
    const { client, sessionId } = await open("/quiet");
    client.click(POS.first.x, POS.first.y);
    client.type("quiet-user");
    client.click(POS.second.x, POS.second.y);
    client.type("quiet-pass");
    client.click(POS.submit.x, POS.submit.y);
    expect((await client.waitForOutcome()).outcome).toBe("unsure");
    client.send({ type: "signedInAnswer", signedIn: true });
    expect(await client.waitFor((m) => m.type === "ended")).toMatchObject({ reason: "completed" });
    const { view, secret } = await sealedOf(sessionId);
    expect(view).toMatchObject({ verified: false });
    expect(secret).toMatchObject({ username: "quiet-user", verified: false });
    const report = await vi.waitFor(() => {
      const found = results.find(
        (r) =>
          r.body.sessionId === sessionId &&
          r.body.type === "outcome" &&
          r.body.outcome === "success",
      );
      if (!found) throw new Error("no outcome report yet");
      return found;
    });
    expect(report.body).toMatchObject({ outcome: "success", verified: false });
  });

  it("no password, code or token ever reaches the logs", () => {
    const all = logs.lines.join("\n");
    expect(all).toContain("login submission captured");
    for (const secret of [RIGHT_PASSWORD, "nope-wrong", MFA_CODE, FLEET_TOKEN]) {
      expect(all).not.toContain(secret);
    }
  });
});
