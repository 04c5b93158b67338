// Connections come alive: real Postgres, the utility sandbox, a real browser worker
// (one Chromium for the file) and the collection job, end to end from a completed
// invitation to stored bills; errors an admin can act on; MFA codes through the signed
// inbound webhooks and the inbound SMTP listener; a provider that is down retried by the
// real job runner.
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker, type TWorker } from "@meterlink/browser-worker/server";
import { launchBrowser } from "@meterlink/browser-worker/session/browser";
import { createMeterlinkClient } from "@meterlink/client";
import { bill, collectionRun, connection, mfaCode, worker as workerTable } from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import { and, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { silentLog, TEST_INBOUND } from "../../test/factories";
import { adminWorld, manualContributor, recipientBrowser, tokenOf } from "../../test/invitations";
import {
  TEST_ENV,
  TEST_TOKEN_KEY,
  TEST_VAULT_PRIVATE_JWK,
  TEST_VAULT_PUBLIC_JWK,
} from "../../test/keys";
import { loadApiEnv } from "../env";
import { startInboundSmtp } from "../inbound/smtp";
import { parseKey } from "../lib/tokens";
import { upsertProviders } from "../seed";
import { runCollection, type TCollectionDeps } from "../services/collection/run";
import { directoryStorage } from "../services/collection/storage";
import { endLoginSessions, startSession } from "../services/fleet/sessions";
import { startJobRunner } from "./runner";

const FLEET_TOKEN = "collection-test-fleet-token";
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString("base64")}`;

let database: TTestDatabase;
let browser: Browser;
let sandbox: TSandbox;
let worker: TWorker;
let deadPort: number;
let storageDir: string;
let deps: TCollectionDeps;

beforeAll(async () => {
  [database, browser, sandbox, deadPort] = await Promise.all([
    createTestDatabase(),
    launchBrowser(process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium"),
    startSandbox({ port: 0, control: true }),
    freePort(),
  ]);
  worker = await startWorker({
    fleetToken: FLEET_TOKEN,
    vaultPublicKey: TEST_VAULT_PUBLIC_JWK,
    browser,
    capacity: 2,
    egress: { allowPrivate: [new URL(sandbox.url).host, `127.0.0.1:${deadPort}`] },
    logger: silentLog,
  });
  await database.db.insert(workerTable).values({
    id: "w-collect",
    url: worker.url,
    capacity: 2,
    publicKey: JSON.stringify(worker.publicKey),
  });
  const providers = sandboxProviders(sandbox.url).map((p) => ({
    id: p.id,
    name: p.name,
    country: p.country,
    loginUrl: p.loginUrl,
    allowedHostnames: p.allowedHostnames,
    utilityTypes: p.utilityTypes,
    mfa: p.mfa,
    isSandbox: true,
    rules: p.rules,
  }));
  const northwind = providers.find((p) => p.id === "sandbox-northwind");
  if (!northwind) throw new Error("no northwind");
  await upsertProviders(database.db, [
    ...providers,
    {
      ...northwind,
      id: "flaky-northwind",
      name: "Flaky Northwind",
      loginUrl: `http://127.0.0.1:${deadPort}/northwind/login`,
    },
  ]);
  storageDir = mkdtempSync(join(tmpdir(), "meterlink-bills-"));
  deps = {
    db: database.db,
    log: silentLog,
    fleet: { token: FLEET_TOKEN, heartbeatTtlMs: 3_600_000 },
    vaultPrivateJwk: TEST_VAULT_PRIVATE_JWK,
    tokenKey: parseKey(TEST_TOKEN_KEY),
    storage: directoryStorage(storageDir),
    mfaWaitMs: 20_000,
    codePollMs: 200,
    workerCallTimeoutMs: 60_000,
  };
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await sandbox?.close();
  await database?.close();
  if (storageDir) rmSync(storageDir, { recursive: true, force: true });
});

/** An admin invites, the recipient completes with a typed credential: a new connection. */
async function connect(providerId: string, username: string, password: string) {
  const world = await adminWorld(database.db);
  const created = await world.caller.admin.invitations.create(manualContributor());
  const token = tokenOf(created.url);
  const recipient = recipientBrowser(database.db);
  await recipient.caller.recipient.open({ token });
  await recipient.caller.recipient.consent({ token });
  const done = await recipient.caller.recipient.complete({
    token,
    provider: { kind: "catalog", providerId },
    credential: { method: "manual", username, password },
  });
  // Completing asked for the first collection at once.
  expect(recipient.jobs.connections).toEqual([done.connectionId]);
  return { ...world, connectionId: done.connectionId };
}

const first = (connectionId: string, attempt = 1) =>
  runCollection(deps, { connectionId, trigger: "first", attempt, lastTry: false });

function sign(body: string) {
  const id = `msg_${randomBytes(6).toString("hex")}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(WEBHOOK_SECRET.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe("collection", () => {
  it("turns a completed invitation into stored bills and an active connection", async () => {
    const { caller, connectionId } = await connect("sandbox-northwind", "alice", "correct-horse-1");
    expect((await caller.admin.connections.get({ id: connectionId })).status).toBe("pending");

    expect(await first(connectionId)).toMatchObject({ outcome: "succeeded", billsNew: 4 });
    const view = await caller.admin.connections.get({ id: connectionId });
    expect(view).toMatchObject({ status: "active", statusReason: null });
    expect(view.lastCollectedAt).toBeInstanceOf(Date);
    expect(view.forwarding.email).toMatch(/^c-[0-9a-f]{12}@inbound\.meterlink\.test$/);
    expect(view.bills).toHaveLength(4);
    const october = view.bills.find((b) => b.externalId === "NW-A-202610");
    expect(october).toMatchObject({ periodStart: "2026-10-01", currency: "USD", amount: "77.80" });
    expect(october?.files.map((f) => f.kind).sort()).toEqual(["csv", "pdf"]);
    const [run] = view.runs;
    expect(run).toMatchObject({
      trigger: "first",
      status: "succeeded",
      billsFound: 4,
      billsNew: 4,
    });
    expect(run?.endedAt).toBeInstanceOf(Date);
    const [stored] = await database.db
      .select()
      .from(bill)
      .where(and(eq(bill.connectionId, connectionId), eq(bill.externalId, "NW-A-202610")));
    const pdfKey = stored?.files.find((f) => f.kind === "pdf")?.key ?? "missing";
    expect(readFileSync(join(storageDir, pdfKey)).subarray(0, 5).toString()).toBe("%PDF-");

    // The next run sees the same bills and stores nothing twice.
    const again = await runCollection(deps, {
      connectionId,
      trigger: "weekly",
      attempt: 1,
      lastTry: false,
    });
    expect(again).toMatchObject({ outcome: "succeeded", billsFound: 4, billsNew: 0 });
    expect((await caller.admin.connections.get({ id: connectionId })).bills).toHaveLength(4);

    // Another company's admin cannot see it.
    const other = await adminWorld(database.db);
    await expect(other.caller.admin.connections.get({ id: connectionId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("shows the account number printed on the collected bills over REST (English and French)", async () => {
    const harness = await createTestApp(database.url);
    await harness.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const address = harness.app.server.address();
      if (!address || typeof address === "string") throw new Error("no port");
      const rest = async (caller: Awaited<ReturnType<typeof connect>>["caller"]) => {
        const { key } = await caller.admin.apiKeys.create({ name: "ERP" });
        return createMeterlinkClient({
          baseUrl: `http://127.0.0.1:${address.port}/api/v1`,
          apiKey: key,
        });
      };
      const english = await connect("sandbox-northwind", "alice", "correct-horse-1");
      const api = await rest(english.caller);
      const one = { params: { path: { id: english.connectionId } } };
      // Nothing collected yet: nothing has shown it.
      expect((await api.GET("/connections/{id}", one)).data?.accountNumber).toBeNull();

      expect(await first(english.connectionId)).toMatchObject({
        outcome: "succeeded",
        billsNew: 4,
      });
      const read = await api.GET("/connections/{id}", one);
      expect(read.response.status).toBe(200);
      expect(read.data).toMatchObject({ accountNumber: "NW-4410-2291", livemode: true });
      const listed = await api.GET("/connections", { params: { query: {} } });
      expect(listed.data?.items.map((item) => item.accountNumber)).toEqual(["NW-4410-2291"]);
      const bills = await api.GET("/connections/{id}/bills", one);
      expect(bills.data?.items.map((item) => item.accountNumber)).toEqual(
        Array(4).fill("NW-4410-2291"),
      );
      expect(
        (await english.caller.admin.connections.get({ id: english.connectionId })).accountNumber,
      ).toBe("NW-4410-2291");

      // The weekly run downloads no document it has (so reads no number): it stays.
      expect(
        await runCollection(deps, {
          connectionId: english.connectionId,
          trigger: "weekly",
          attempt: 1,
          lastTry: false,
        }),
      ).toMatchObject({ outcome: "succeeded", billsNew: 0 });
      expect((await api.GET("/connections/{id}", one)).data?.accountNumber).toBe("NW-4410-2291");

      // A French portal prints it as "Référence client".
      const french = await connect("sandbox-lumiere", "alice@example.fr", "correct-horse-1");
      const frenchApi = await rest(french.caller);
      expect(await first(french.connectionId)).toMatchObject({ outcome: "succeeded" });
      const frenchRead = await frenchApi.GET("/connections/{id}", {
        params: { path: { id: french.connectionId } },
      });
      expect(frenchRead.data?.accountNumber).toBe("EL 004 128 337");
      // Not a credential, but still kept out of the logs.
      expect(harness.logLines.join("\n")).not.toMatch(/NW-4410-2291|EL 004 128 337/);
    } finally {
      await harness.app.close();
    }
  });

  it("wrong password: error with a reason, reconnect invitation, active again with history", async () => {
    const { caller, connectionId } = await connect("sandbox-northwind", "bob", "an-old-password");
    expect(await first(connectionId)).toMatchObject({
      outcome: "failed",
      reason: "wrong_password",
    });
    const failed = await caller.admin.connections.get({ id: connectionId });
    expect(failed.status).toBe("error");
    expect(failed.statusReason).toMatch(/did not accept the saved password/);
    expect(failed.reconnect).toEqual({ suggested: true, defaultExpiryDays: 7 });

    const reconnect = await caller.admin.invitations.create({
      kind: "reconnect",
      targetConnectionId: connectionId,
      delivery: { kind: "manual" },
    });
    const token = tokenOf(reconnect.url);
    const owner = recipientBrowser(database.db);
    await owner.caller.recipient.open({ token });
    await owner.caller.recipient.consent({ token });
    await owner.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "ignored" },
      credential: { method: "manual", username: "bob", password: "correct-horse-2" },
    });
    expect(owner.jobs.connections).toEqual([connectionId]);
    expect((await caller.admin.connections.get({ id: connectionId })).status).toBe("pending");

    expect(await first(connectionId)).toMatchObject({ outcome: "succeeded", billsNew: 2 });
    const healed = await caller.admin.connections.get({ id: connectionId });
    expect(healed).toMatchObject({ status: "active", statusReason: null });
    expect(healed.runs.map((r) => [r.trigger, r.status, r.reason])).toEqual([
      ["reconnect", "succeeded", null],
      ["first", "failed", "wrong_password"],
    ]);
  });

  it("completes MFA portals with codes forwarded to the inbound webhooks", async () => {
    const { app } = await createTestApp(database.url, { INBOUND_WEBHOOK_SECRET: WEBHOOK_SECRET });
    try {
      // Email: Lakeside mails the code; the owner's mailbox forwards it to our address.
      const lake = await connect("sandbox-lakeside", "alice@example.com", "correct-horse-1");
      const address = (await lake.caller.admin.connections.get({ id: lake.connectionId }))
        .forwarding.email;
      const lakeRun = first(lake.connectionId);
      await until("the run to wait for a code", async () => {
        const [row] = await database.db
          .select()
          .from(collectionRun)
          .where(eq(collectionRun.connectionId, lake.connectionId));
        return row?.status === "waiting_for_code";
      });
      // While it waits for the code, recipients still get every interactive browser.
      const northwind = sandboxProviders(sandbox.url).find((p) => p.id === "sandbox-northwind");
      if (!northwind) throw new Error("no northwind");
      const sessionCtx = { db: database.db, log: silentLog, fleet: deps.fleet };
      const recipients = [];
      for (let i = 0; i < 2; i++) {
        const placed = await startSession(sessionCtx, {
          mode: "interactive",
          provider: northwind,
          viewport: { width: 800, height: 600, deviceScaleFactor: 1 },
        });
        expect(placed).not.toBeNull();
        if (placed) recipients.push(placed.loginSessionId);
      }
      for (const loginSessionId of recipients) {
        await endLoginSessions(
          { db: database.db, config: { fleet: { ...deps.fleet, queueMaxMs: 0 } } },
          { loginSessionId },
          "recipient_ended",
        );
      }
      const mail = (await (
        await fetch(`${sandbox.url}/_control/codes/lakeside/alice@example.com`)
      ).json()) as { code: string; text: string };
      const unsigned = await app.inject({
        method: "POST",
        url: "/hooks/inbound-email",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ to: address, text: mail.text }),
      });
      expect(unsigned.statusCode).toBe(401);
      const emailBody = JSON.stringify({
        to: [`Meterlink <${address}>`],
        from: "Lakeside <no-reply@lakeside.test>",
        subject: "Your security code",
        text: mail.text,
      });
      const delivered = await app.inject({
        method: "POST",
        url: "/hooks/inbound-email",
        headers: sign(emailBody),
        payload: emailBody,
      });
      expect(delivered.statusCode).toBe(202);
      expect(delivered.json()).toEqual({ matched: true, code: true, outcome: "code_stored" });
      expect(await lakeRun).toMatchObject({ outcome: "succeeded" });
      const [stored] = await database.db
        .select()
        .from(mfaCode)
        .where(eq(mfaCode.connectionId, lake.connectionId));
      expect(stored?.consumedAt).toBeInstanceOf(Date);
      expect(stored?.codeEncrypted).not.toContain(mail.code);

      // SMS: Summit texts the code; it is forwarded to the connection's number.
      const summit = await connect("sandbox-summit", "alice@example.com", "correct-horse-1");
      await database.db
        .update(connection)
        .set({ smsNumber: "+15550100042" })
        .where(eq(connection.id, summit.connectionId));
      const summitRun = first(summit.connectionId);
      const sms = await until("Summit to text a code", async () => {
        const response = await fetch(`${sandbox.url}/_control/codes/summit/alice@example.com`);
        return response.ok ? ((await response.json()) as { text: string }) : null;
      });
      const smsBody = JSON.stringify({
        To: "+1 555 010 0042",
        From: "+13035550199",
        Body: sms.text,
      });
      const texted = await app.inject({
        method: "POST",
        url: "/hooks/inbound-sms",
        headers: sign(smsBody),
        payload: smsBody,
      });
      expect(texted.json()).toEqual({ matched: true, code: true, outcome: "code_stored" });
      expect(await summitRun).toMatchObject({ outcome: "succeeded" });
      const view = await summit.caller.admin.connections.get({ id: summit.connectionId });
      expect(view.status).toBe("active");
      expect(view.forwarding.sms).toBe("+15550100042");
    } finally {
      await app.close();
    }
  });

  it("completes an email-code portal with the code forwarded to the inbound SMTP listener", async () => {
    const smtp = await startInboundSmtp(
      { db: database.db, log: silentLog, tokenKey: deps.tokenKey, inbound: TEST_INBOUND },
      { host: "127.0.0.1", port: 0 },
    );
    try {
      const lake = await connect("sandbox-lakeside", "alice@example.com", "correct-horse-1");
      const address = (await lake.caller.admin.connections.get({ id: lake.connectionId }))
        .forwarding.email;
      const run = first(lake.connectionId);
      const mail = await until("Lakeside to mail a code", async () => {
        const response = await fetch(`${sandbox.url}/_control/codes/lakeside/alice@example.com`);
        if (!response.ok) return null;
        const sent = (await response.json()) as { code: string; text: string };
        const [row] = await database.db
          .select()
          .from(collectionRun)
          .where(eq(collectionRun.connectionId, lake.connectionId));
        return row?.status === "waiting_for_code" && sent;
      });
      // The owner's mailbox rule forwards the utility's email to the connection's address.
      await nodemailer
        .createTransport({ host: "127.0.0.1", port: smtp.port, secure: false })
        .sendMail({
          from: "Alice <alice@example.com>",
          to: address,
          subject: "Fwd: Your Lakeside security code",
          text: `---------- Forwarded message ---------\nFrom: Lakeside <no-reply@lakeside.test>\n\n${mail.text}`,
        });
      expect(await run).toMatchObject({ outcome: "succeeded" });
      const view = await lake.caller.admin.connections.get({ id: lake.connectionId });
      expect(view.status).toBe("active");
      expect(view.bills.length).toBeGreaterThan(0);
      expect(view.forwarding.messages.map((m) => m.outcome)).toEqual(["code_stored"]);
    } finally {
      await smtp.close();
    }
  });

  it("retries a provider that is down until it answers (real job runner)", async () => {
    const env = loadApiEnv({
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      PUBLIC_URL: "http://localhost:3000",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      ...TEST_ENV,
      FLEET_TOKEN,
      FLEET_HEARTBEAT_TTL_MS: "3600000",
      VAULT_PRIVATE_KEY: JSON.stringify(TEST_VAULT_PRIVATE_JWK),
      STORAGE_DIR: storageDir,
    });
    const runner = await startJobRunner({
      db: database.db,
      env,
      log: silentLog,
      timing: { pollingIntervalSeconds: 0.5 },
      collectionTiming: {
        pollingIntervalSeconds: 0.5,
        retryLimit: 20,
        retryDelaySeconds: 1,
        retryBackoff: false,
      },
    });
    let revived: TSandbox | undefined;
    try {
      expect(runner.collection?.collecting).toBe(true);
      const { caller, connectionId } = await connect("flaky-northwind", "alice", "correct-horse-1");
      await runner.jobs.connectionReady(connectionId);
      await until("a provider-down attempt", async () => {
        const view = await caller.admin.connections.get({ id: connectionId });
        return view.runs.some((r) => r.reason === "provider_down") && view;
      });
      const waiting = await caller.admin.connections.get({ id: connectionId });
      expect(waiting.status).toBe("pending");
      expect(waiting.statusReason).toMatch(/did not answer\. We will try again/);

      // The utility comes back on the same address; the queued retry collects.
      revived = await startSandbox({ port: deadPort });
      const active = await until("the retry to collect", async () => {
        const view = await caller.admin.connections.get({ id: connectionId });
        return view.status === "active" && view;
      });
      expect(active.bills).toHaveLength(4);
      expect(active.runs[0]).toMatchObject({ status: "succeeded" });
      expect(active.runs.slice(1).every((r) => r.reason === "provider_down")).toBe(true);
      expect(active.runs.at(-1)?.attempt).toBe(1);
    } finally {
      await runner.stop();
      await revived?.close();
    }
  });
});
