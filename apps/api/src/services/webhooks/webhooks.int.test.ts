// Webhooks end to end: an admin registers a local endpoint, things happen (a test
// event, a recipient opening and completing an invitation), and the real job runner
// POSTs Standard Webhooks-signed events to it, with retries and a delivery log.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { emailMessage, invitation } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLog } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { TEST_ENV, TEST_TOKEN_KEY } from "../../../test/keys";
import { loadApiEnv } from "../../env";
import { applyResendEvent } from "../../http/resend-webhook";
import { startJobRunner, type TJobRunner } from "../../jobs/runner";
import { decryptSecret, parseKey } from "../../lib/tokens";

type TReceived = { headers: IncomingHttpHeaders; body: string; path: string };

let database: TTestDatabase;
let runner: TJobRunner;
let receiver: Server;
let receiverUrl: string;
const received: TReceived[] = [];
/** Status codes to answer, per path, in order; then 204. */
const script = new Map<string, number[]>();

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), path });
      res.statusCode = script.get(path)?.shift() ?? 204;
      res.end(res.statusCode >= 400 ? "nope" : "");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  if (!address || typeof address === "string") throw new Error("no port");
  receiverUrl = `http://127.0.0.1:${address.port}`;
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: "http://localhost:3000",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "silent",
    ...TEST_ENV,
  });
  runner = await startJobRunner({
    db: database.db,
    env,
    log: silentLog,
    timing: { pollingIntervalSeconds: 0.5 },
    webhookTiming: {
      dispatchIntervalMs: 100,
      pollingIntervalSeconds: 0.5,
      retryLimit: 2,
      retryDelaySeconds: 1,
      retryDelayMaxSeconds: 1,
      timeoutMs: 2_000,
    },
  });
});
afterAll(async () => {
  await runner.stop();
  await new Promise((resolve) => receiver.close(resolve));
  await database.close();
});

async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>) {
  for (let i = 0; i < 150; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Standard Webhooks verification, written from the spec rather than from our signer. */
function verify(
  secret: string,
  message: TReceived,
): { type: string; data: Record<string, unknown>; [key: string]: unknown } {
  const id = String(message.headers["webhook-id"]);
  const timestamp = String(message.headers["webhook-timestamp"]);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) throw new Error("stale timestamp");
  const expected = createHmac("sha256", Buffer.from(secret.split("_")[1] ?? "", "base64"))
    .update(`${id}.${timestamp}.${message.body}`)
    .digest();
  const signatures = String(message.headers["webhook-signature"]).split(" ");
  const valid = signatures.some((entry) => {
    const [version, value] = entry.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) throw new Error("bad signature");
  return JSON.parse(message.body) as { type: string; data: Record<string, unknown> };
}

const at = (path: string) => received.filter((message) => message.path === path);

describe("webhooks", () => {
  it("sends a signed test event and logs the delivery", async () => {
    const { caller } = await adminWorld(database.db);
    const endpoint = await caller.admin.webhooks.create({ url: `${receiverUrl}/test-event` });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const listed = await caller.admin.webhooks.list();
    expect(listed.map((e) => e.id)).toEqual([endpoint.id]);
    // Shown once, at creation: the list never gives the secret back.
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);
    await expect(caller.admin.webhooks.create({ url: "nope" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const { eventId } = await caller.admin.webhooks.sendTest({ id: endpoint.id });
    const message = await waitFor("test event", () => at("/test-event")[0]);
    expect(message.headers["webhook-id"]).toBe(eventId);
    const payload = verify(endpoint.secret, message);
    expect(payload.type).toBe("webhook.test");
    // A tampered body fails verification.
    expect(() => verify(endpoint.secret, { ...message, body: `${message.body} ` })).toThrow();

    const log = await waitFor("delivery row", async () => {
      const rows = await caller.admin.webhooks.deliveries({ endpointId: endpoint.id });
      return rows.length ? rows : undefined;
    });
    expect(log).toEqual([
      expect.objectContaining({
        eventId,
        eventType: "webhook.test",
        attempt: 1,
        ok: true,
        statusCode: 204,
      }),
    ]);
  });

  it("delivers invitation.created, invitation.viewed, connection.created and invitation.fulfilled from the recipient flow, filtered per endpoint", async () => {
    const { caller, company } = await adminWorld(database.db);
    const everything = await caller.admin.webhooks.create({ url: `${receiverUrl}/all` });
    const onlyConnections = await caller.admin.webhooks.create({
      url: `${receiverUrl}/connections`,
      eventTypes: ["connection.created"],
    });
    const created = await caller.admin.invitations.create(
      manualContributor({
        maxUses: 1,
        externalReference: "building-7",
        metadata: { crmId: "42", region: "north" },
      }),
    );
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.consent({ token });
    const done = await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "City Power" },
      credential: { method: "manual", username: "alice@example.com", password: "hunter2-secret" },
    });

    const all = await waitFor("four events", () =>
      at("/all").length >= 4 ? at("/all") : undefined,
    );
    const payloads = all.map((message) => verify(everything.secret, message));
    expect(payloads.map((p) => p.type).sort()).toEqual([
      "connection.created",
      "invitation.created",
      "invitation.fulfilled",
      "invitation.viewed",
    ]);
    // The integrator's own keys travel with every event, in a self-describing envelope.
    const keys = { externalReference: "building-7", metadata: { crmId: "42", region: "north" } };
    expect(payloads.find((p) => p.type === "connection.created")?.data).toEqual({
      invitationId: created.id,
      connectionId: done.connectionId,
      // No bill collected yet: nothing has shown the account number.
      accountNumber: null,
      ...keys,
    });
    for (const [index, payload] of payloads.entries()) {
      expect(payload.data).toMatchObject(keys);
      expect(payload).toMatchObject({
        id: all[index]?.headers["webhook-id"],
        version: 1,
        companyId: company.id,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    // Nothing secret travels in an event.
    expect(all.map((m) => m.body).join()).not.toContain("hunter2-secret");

    const filtered = await waitFor("connection event", () => at("/connections")[0]);
    expect(verify(onlyConnections.secret, filtered).type).toBe("connection.created");
    // Give the dispatcher a few rounds: the filtered endpoint gets nothing else.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(at("/connections")).toHaveLength(1);
  });

  it("emits invitation.created, email_bounced, email_verified, revoked and (by the sweep, once) expired", async () => {
    const { caller, company } = await adminWorld(database.db);
    const endpoint = await caller.admin.webhooks.create({ url: `${receiverUrl}/lifecycle` });
    const created = await caller.admin.invitations.create({
      kind: "contributor",
      allowedEmails: ["pm@harbor.test"],
      delivery: { kind: "email", recipients: ["pm@harbor.test"] },
      externalReference: "harbor-1",
    });
    const token = tokenOf(created.url);

    // The provider reports the invitation email bounced.
    await database.db
      .update(emailMessage)
      .set({ status: "sent", providerMessageId: `msg-${created.id}` })
      .where(eq(emailMessage.invitationId, created.id));
    expect(
      await applyResendEvent(database.db, {
        type: "email.bounced",
        data: { email_id: `msg-${created.id}` },
      }),
    ).toBe(true);

    // The recipient proves their address.
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.requestVerification({ token, email: "pm@harbor.test" });
    const [verification] = await database.db
      .select()
      .from(emailMessage)
      .where(and(eq(emailMessage.invitationId, created.id), eq(emailMessage.kind, "verification")));
    const code = decryptSecret(
      String(verification?.payload.codeCiphertext),
      parseKey(TEST_TOKEN_KEY),
    );
    await browser.caller.recipient.verifyEmail({ token, code });
    await caller.admin.invitations.revoke({ id: created.id });

    // Another one whose time passes: nobody acts, the sweep notices.
    const lapsing = await caller.admin.invitations.create(manualContributor());
    await database.db
      .update(invitation)
      .set({ expiryKind: "date", expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitation.id, lapsing.id));

    const types = [
      "invitation.created",
      "invitation.email_bounced",
      "invitation.email_verified",
      "invitation.revoked",
      "invitation.expired",
    ];
    const messages = await waitFor("the lifecycle events", () => {
      const got = at("/lifecycle").map((message) => verify(endpoint.secret, message));
      return types.every((type) => got.some((p) => p.type === type)) ? got : undefined;
    });
    const of = (type: string) => messages.filter((p) => p.type === type);
    expect(of("invitation.created").map((p) => p.data.invitationId)).toEqual([
      created.id,
      lapsing.id,
    ]);
    for (const type of types.slice(1, 4)) {
      expect(of(type)).toEqual([
        expect.objectContaining({
          companyId: company.id,
          version: 1,
          data: expect.objectContaining({
            invitationId: created.id,
            externalReference: "harbor-1",
          }),
        }),
      ]);
    }
    expect(of("invitation.revoked")[0]?.data).toMatchObject({ actorType: "admin" });
    expect(of("invitation.expired")[0]?.data).toMatchObject({ invitationId: lapsing.id });
    // More sweeps (every dispatch round) record the expiry once.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(
      at("/lifecycle").filter((m) => verify(endpoint.secret, m).type === "invitation.expired"),
    ).toHaveLength(1);
    const detail = await caller.admin.invitations.get({ id: lapsing.id });
    expect(detail.events.map((e) => e.type)).toEqual(["created", "expired"]);
  });

  it("retries a failing endpoint with the same webhook-id and logs every attempt", async () => {
    const { caller } = await adminWorld(database.db);
    script.set("/flaky", [500]);
    const endpoint = await caller.admin.webhooks.create({ url: `${receiverUrl}/flaky` });
    await caller.admin.webhooks.sendTest({ id: endpoint.id });
    const [first, second] = await waitFor("a retry", () =>
      at("/flaky").length >= 2 ? at("/flaky") : undefined,
    );
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    const log = await waitFor("two delivery rows", async () => {
      const rows = await caller.admin.webhooks.deliveries({ endpointId: endpoint.id });
      return rows.length >= 2 ? rows : undefined;
    });
    expect(log.map(({ attempt, ok, statusCode }) => ({ attempt, ok, statusCode }))).toEqual([
      { attempt: 2, ok: true, statusCode: 204 },
      { attempt: 1, ok: false, statusCode: 500 },
    ]);
    expect(log[1]?.error).toMatch(/HTTP 500/);
  });

  it("refuses non-https addresses and another company's endpoints; a deleted endpoint gets nothing", async () => {
    const mine = await adminWorld(database.db);
    const theirs = await adminWorld(database.db);
    await expect(
      mine.caller.admin.webhooks.create({ url: "http://hooks.example.com/in" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const endpoint = await mine.caller.admin.webhooks.create({ url: `${receiverUrl}/deleted` });
    for (const attempt of [
      () => theirs.caller.admin.webhooks.sendTest({ id: endpoint.id }),
      () => theirs.caller.admin.webhooks.deliveries({ endpointId: endpoint.id }),
      () => theirs.caller.admin.webhooks.delete({ id: endpoint.id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await theirs.caller.admin.webhooks.list()).toEqual([]);

    await mine.caller.admin.webhooks.delete({ id: endpoint.id });
    expect(await mine.caller.admin.webhooks.list()).toEqual([]);
    const created = await mine.caller.admin.invitations.create(manualContributor());
    await recipientBrowser(database.db).caller.recipient.open({ token: tokenOf(created.url) });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(at("/deleted")).toEqual([]);
  });
});
