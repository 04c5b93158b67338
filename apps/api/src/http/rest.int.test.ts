// The REST API over real HTTP with real keys: every operation, the error cases a
// developer hits (no key, wrong key, revoked key, another company's ids, invalid
// prefill), idempotency, rate limits, the OpenAPI document and the frame policy.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import {
  apiKey,
  connection,
  connectionSite,
  emailMessage,
  idempotencyRecord,
  invitation,
  invitationConnection,
} from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { WEBHOOK_EVENT_TYPES } from "@meterlink/shared/developer";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnection, createSite, recordingJobs, silentLog } from "../../test/factories";
import { adminWorld } from "../../test/invitations";
import { TEST_ENV } from "../../test/keys";
import { buildApp, type TApp } from "../app";
import { loadApiEnv } from "../env";
import { createLogger } from "../logger";

let database: TTestDatabase;
let app: TApp;
let base: string;
let webDist: string;

async function startApi(rateLimit: number, log = silentLog) {
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: "http://localhost:3000",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    WEB_DIST: webDist,
    LOG_LEVEL: "silent",
    ...TEST_ENV,
  });
  const started = await buildApp({
    env,
    db: database.db,
    log,
    jobs: recordingJobs().jobs,
    restRateLimitPerMinute: rateLimit,
  });
  await started.listen({ host: "127.0.0.1", port: 0 });
  const address = started.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { app: started, base: `http://127.0.0.1:${address.port}` };
}

beforeAll(async () => {
  database = await createTestDatabase();
  webDist = mkdtempSync(join(tmpdir(), "ml-web-"));
  writeFileSync(join(webDist, "index.html"), "<!doctype html><title>Meterlink</title>");
  ({ app, base } = await startApi(1000));
});
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(webDist, { recursive: true, force: true });
});

/** A company with an admin (tRPC caller) and a REST client holding a fresh key. */
async function developer() {
  const world = await adminWorld(database.db);
  const created = await world.caller.admin.apiKeys.create({ name: "CRM sync" });
  return { ...world, key: created.key, keyId: created.id, api: client(created.key) };
}

function client(key: string | null, root = () => base) {
  async function call(method: string, path: string, body?: unknown, headers = {}) {
    const response = await fetch(`${root()}/api/v1${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
    const json = (await response.json()) as Record<string, any>;
    return { status: response.status, body: json, headers: response.headers };
  }
  return {
    key,
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
      call("POST", path, body, headers),
  };
}

async function connectionOf(companyId: string) {
  const [row] = await database.db
    .insert(connection)
    .values({
      companyId,
      providerName: "City Water",
      status: "error",
      statusReason: "Wrong password",
    })
    .returning();
  if (!row) throw new Error("no connection");
  return row;
}

describe("API keys (admin.apiKeys)", () => {
  it("shows a key once, keeps only its hash, and lists it by prefix with last use", async () => {
    const { caller, key, keyId, api } = await developer();
    expect(key).toMatch(/^ml_live_[A-Za-z0-9_-]{43}$/);
    const [row] = await database.db.select().from(apiKey).where(eq(apiKey.id, keyId));
    expect(JSON.stringify(row)).not.toContain(key.slice(8));
    expect((await caller.admin.apiKeys.list())[0]).toMatchObject({
      id: keyId,
      prefix: key.slice(0, 12),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect((await caller.admin.apiKeys.list())[0]).not.toHaveProperty("key");
    expect((await api.get("/connections")).status).toBe(200);
    expect((await caller.admin.apiKeys.list())[0]?.lastUsedAt).not.toBeNull();
  });

  it("refuses another company's admin revoking a key", async () => {
    const mine = await developer();
    const theirs = await adminWorld(database.db);
    await expect(theirs.caller.admin.apiKeys.revoke({ id: mine.keyId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await mine.api.get("/connections")).status).toBe(200);
  });
});

describe("authentication", () => {
  it.each([
    ["no key", null, /Authorization: Bearer/],
    ["a wrong key", "ml_live_thisisnotarealkeythisisnotarealkey12345", /not valid/],
    ["a key without our prefix", "sk_test_123", /not valid/],
  ])("answers 401 with %s", async (_name, key, message) => {
    const response = await client(key).get("/invitations");
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: {
        code: "UNAUTHORIZED",
        message: expect.stringMatching(message),
        requestId: response.headers.get("request-id"),
      },
    });
  });

  it("stops a revoked key at once", async () => {
    const { caller, keyId, api } = await developer();
    expect((await api.get("/invitations")).status).toBe(200);
    await caller.admin.apiKeys.revoke({ id: keyId });
    const response = await api.get("/invitations");
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/revoked/);
  });
});

describe("invitations", () => {
  it("creates a contributor invitation with every prefill field, recorded as made by the key", async () => {
    const { company, api, keyId } = await developer();
    const site = await createSite(database.db, company.id, "Harbor");
    const created = await api.post("/invitations", {
      allowedEmails: ["Ops@Harbor.test"],
      expiry: { kind: "duration", days: 7 },
      maxUses: 2,
      prefill: {
        providerUrl: "https://power.example.com/login",
        country: "FR",
        siteIds: [site.id],
        utilityTypes: ["electricity", "gas"],
        ownerEmail: "owner@harbor.test",
        collectionStartDate: "2026-01-01",
      },
      delivery: { kind: "manual" },
      locale: "fr",
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ emailsQueued: 0 });
    expect(created.body.url).toMatch(/^http:\/\/localhost:3000\/p\/i\/[A-Za-z0-9_-]{43}$/);

    const detail = await api.get(`/invitations/${created.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: created.body.id,
      kind: "contributor",
      status: "active",
      createdVia: "api",
      allowedEmails: ["ops@harbor.test"],
      maxUses: 2,
      locale: "fr",
      url: created.body.url,
      prefill: {
        providerUrl: "https://power.example.com/login",
        country: "FR",
        siteIds: [site.id],
        utilityTypes: ["electricity", "gas"],
        ownerEmail: "owner@harbor.test",
        collectionStartDate: "2026-01-01",
      },
    });
    expect(detail.body.events).toMatchObject([
      { type: "created", actorType: "api", actorId: keyId },
    ]);
  });

  it("refuses an invalid prefill with 400 and the fields at fault, creating nothing", async () => {
    const { company, api } = await developer();
    const theirs = await adminWorld(database.db);
    const theirSite = await createSite(database.db, theirs.company.id);
    const before = await database.db
      .select({ n: count() })
      .from(invitation)
      .where(eq(invitation.companyId, company.id));

    const shape = await api.post("/invitations", {
      delivery: { kind: "manual" },
      prefill: { country: "France", siteIds: ["nope"], utilityTypes: ["coal"] },
    });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe("BAD_REQUEST");
    expect(shape.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      "prefill.country",
      "prefill.siteIds.0",
      "prefill.utilityTypes.0",
    ]);
    expect(shape.body.error.fields[0].message).toMatch(/./);

    const unknownProvider = await api.post("/invitations", {
      delivery: { kind: "manual" },
      prefill: { providerId: "no-such-utility" },
    });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.error.fields).toEqual([
      { path: "prefill.providerId", message: expect.stringMatching(/not in the catalog/) },
    ]);

    const otherSite = await api.post("/invitations", {
      delivery: { kind: "manual" },
      prefill: { siteIds: [theirSite.id] },
    });
    expect(otherSite.status).toBe(400);
    expect(otherSite.body.error.fields[0].path).toBe("prefill.siteIds");

    const notJson = await fetch(`${base}/api/v1/invitations`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${(await developer()).key}`,
        "content-type": "application/json",
      },
      body: "{nope",
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");

    const after = await database.db
      .select({ n: count() })
      .from(invitation)
      .where(eq(invitation.companyId, company.id));
    expect(after).toEqual(before);
  });

  it("lists with a status filter and pages, revokes and resends", async () => {
    const { api } = await developer();
    const a = await api.post("/invitations", { delivery: { kind: "manual" } });
    const b = await api.post("/invitations", {
      delivery: { kind: "email", recipients: ["pm@example.test"] },
    });
    const c = await api.post("/invitations", { delivery: { kind: "manual" } });

    const revoked = await api.post(`/invitations/${c.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: c.body.id, status: "revoked" });
    expect((await api.post(`/invitations/${c.body.id}/revoke`)).body.revokedAt).toBe(
      revoked.body.revokedAt,
    );

    const all = await api.get("/invitations");
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([
      c.body.id,
      b.body.id,
      a.body.id,
    ]);
    expect(all.body.counts).toMatchObject({ all: 3, active: 2, revoked: 1 });
    const onlyRevoked = await api.get("/invitations?status=revoked");
    expect(onlyRevoked.body.items.map((i: { id: string }) => i.id)).toEqual([c.body.id]);
    const page2 = await api.get("/invitations?status=active&pageSize=1&page=2");
    expect(page2.body).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual([a.body.id]);
    const badFilter = await api.get("/invitations?status=sleeping");
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.fields[0].path).toBe("status");

    expect((await api.post(`/invitations/${b.body.id}/resend`)).body).toEqual({ emailsQueued: 1 });
    const manual = await api.post(`/invitations/${a.body.id}/resend`);
    expect(manual.status).toBe(400);
    expect(manual.body.error.message).toMatch(/shared by link/);
    const dead = await api.post(`/invitations/${c.body.id}/resend`);
    expect(dead.status).toBe(409);
    expect(dead.body.error).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/revoked/),
    });
  });

  it("gets an invitation with its events and linked connections", async () => {
    const { company, api } = await developer();
    const created = await api.post("/invitations", { delivery: { kind: "manual" } });
    const linked = await connectionOf(company.id);
    await database.db
      .insert(invitationConnection)
      .values({ invitationId: created.body.id, connectionId: linked.id, action: "created" });
    const detail = await api.get(`/invitations/${created.body.id}`);
    expect(detail.body.connections).toEqual([
      expect.objectContaining({ id: linked.id, providerName: "City Water", action: "created" }),
    ]);
    expect(detail.body.events.map((e: { type: string }) => e.type)).toEqual(["created"]);
  });
});

describe("connections", () => {
  it("lists and gets the company's connections and creates reconnect invitations for them", async () => {
    const { company, api } = await developer();
    const site = await createSite(database.db, company.id, "Depot");
    const mine = await connectionOf(company.id);
    await database.db.insert(connectionSite).values({ connectionId: mine.id, siteId: site.id });

    const list = await api.get("/connections");
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: mine.id,
        status: "error",
        sites: [{ id: site.id, name: "Depot" }],
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain("sealed");
    expect((await api.get(`/connections/${mine.id}`)).body).toMatchObject({
      id: mine.id,
      statusReason: "Wrong password",
    });

    const reconnect = await api.post(`/connections/${mine.id}/reconnect-invitations`, {
      delivery: { kind: "email", recipients: ["owner@depot.test"] },
      expiry: { kind: "duration", days: 3 },
    });
    expect(reconnect.status).toBe(200);
    expect(reconnect.body.emailsQueued).toBe(1);
    const detail = await api.get(`/invitations/${reconnect.body.id}`);
    expect(detail.body).toMatchObject({
      kind: "reconnect",
      targetConnectionId: mine.id,
      prefill: { siteIds: [site.id] },
    });
  });
});

describe("tenancy", () => {
  it("answers 404 for every operation on another company's ids, and lists only the caller's", async () => {
    const mine = await developer();
    const theirs = await developer();
    const their = await theirs.api.post("/invitations", {
      delivery: { kind: "email", recipients: ["x@example.test"] },
    });
    const theirConnection = await connectionOf(theirs.company.id);
    for (const attempt of [
      () => mine.api.get(`/invitations/${their.body.id}`),
      () => mine.api.post(`/invitations/${their.body.id}/revoke`),
      () => mine.api.post(`/invitations/${their.body.id}/resend`),
      () => mine.api.get(`/connections/${theirConnection.id}`),
      () =>
        mine.api.post(`/connections/${theirConnection.id}/reconnect-invitations`, {
          delivery: { kind: "manual" },
        }),
    ]) {
      const response = await attempt();
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("NOT_FOUND");
    }
    expect((await mine.api.get("/invitations")).body.items).toEqual([]);
    expect((await mine.api.get("/connections")).body.items).toEqual([]);
    expect((await theirs.api.get(`/invitations/${their.body.id}`)).body.status).toBe("active");
    expect((await mine.api.get("/nope")).status).toBe(404);
  });
});

describe("idempotency", () => {
  it("replays the first answer for the same key and body, refuses another body with 409", async () => {
    const { company, api } = await developer();
    const body = { delivery: { kind: "manual" }, message: "Hello" };
    const headers = { "idempotency-key": "order-42" };
    const first = await api.post("/invitations", body, headers);
    const again = await api.post("/invitations", body, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const rows = await database.db
      .select({ n: count() })
      .from(invitation)
      .where(eq(invitation.companyId, company.id));
    expect(rows[0]?.n).toBe(1);

    const other = await api.post("/invitations", { ...body, message: "Other" }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/different request/);

    // Keys are per API key: another company's same key is unrelated.
    const stranger = await developer();
    expect((await stranger.api.post("/invitations", body, headers)).body.id).not.toBe(
      first.body.id,
    );
    // Without the header, each request creates.
    expect((await api.post("/invitations", body)).body.id).not.toBe(first.body.id);
  });
});

describe("an integrator's defects (#20)", () => {
  const manual = { delivery: { kind: "manual" } };
  const fieldPaths = (body: { error?: { fields?: { path: string }[] } }) =>
    (body.error?.fields ?? []).map((f) => f.path).sort();

  it("bounds integers to what the database holds: maxUses 3e9 is a 400, not a 500", async () => {
    const { api } = await developer();
    const response = await api.post("/invitations", { ...manual, maxUses: 3_000_000_000 });
    expect(response.status).toBe(400);
    expect(fieldPaths(response.body)).toEqual(["maxUses"]);
    expect(response.body.error.message).toMatch(/at most 2147483647/);
    const page = await api.get("/invitations?page=99999999999");
    expect(page.status).toBe(400);
    expect(fieldPaths(page.body)).toEqual(["page"]);
  });

  it("rejects unknown fields with a 400 that names each of them, creating nothing", async () => {
    const { company, api } = await developer();
    const response = await api.post("/invitations", {
      ...manual,
      expires_in: 3600,
      prefill: { sites: ["a"], datasourceId: "x" },
    });
    expect(response.status).toBe(400);
    expect(fieldPaths(response.body)).toEqual([
      "expires_in",
      "prefill.datasourceId",
      "prefill.sites",
    ]);
    expect(response.body.error.fields[0].message).toMatch(/Unknown field/);
    const query = await api.get("/invitations?stauts=active");
    expect(query.status).toBe(400);
    expect(fieldPaths(query.body)).toEqual(["stauts"]);
    expect((await api.get("/connections?limit=5")).status).toBe(400);
    const nested = await api.post("/invitations", {
      delivery: { kind: "manual", recipients: ["a@b.test"] },
    });
    expect(fieldPaths(nested.body)).toEqual(["delivery.recipients"]);
    const rows = await database.db
      .select({ n: count() })
      .from(invitation)
      .where(eq(invitation.companyId, company.id));
    expect(rows[0]?.n).toBe(0);
  });

  it.each([
    "javascript:alert(1)",
    "data:text/html,<b>hi</b>",
    "ftp://power.example.com/",
    "http://power.example.com/login",
  ])("refuses prefill.providerUrl %s: https only", async (providerUrl) => {
    const { api } = await developer();
    const response = await api.post("/invitations", { ...manual, prefill: { providerUrl } });
    expect(response.status).toBe(400);
    expect(fieldPaths(response.body)).toEqual(["prefill.providerUrl"]);
    expect(response.body.error.message).toMatch(/https:\/\//);
  });

  it("keeps an Idempotency-Key only for a success, and honours it on resend and revoke", async () => {
    const { company, api } = await developer();
    const headers = { "idempotency-key": "nectar-7" };
    const bad = await api.post("/invitations", { ...manual, maxUses: 0 }, headers);
    expect(bad.status).toBe(400);
    const fixed = await api.post("/invitations", { ...manual, maxUses: 2 }, headers);
    expect(fixed.status).toBe(200);

    const emailed = await api.post("/invitations", {
      delivery: { kind: "email", recipients: ["pm@example.test"] },
    });
    const resendKey = { "idempotency-key": "resend-1" };
    const first = await api.post(`/invitations/${emailed.body.id}/resend`, {}, resendKey);
    const second = await api.post(`/invitations/${emailed.body.id}/resend`, {}, resendKey);
    expect(first.body).toEqual({ emailsQueued: 1 });
    expect(second.body).toEqual({ emailsQueued: 1 });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const emails = await database.db
      .select({ n: count() })
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, emailed.body.id));
    // One for the creation, one for the resend: the retried resend sent nothing.
    expect(emails[0]?.n).toBe(2);

    const revokeKey = { "idempotency-key": "revoke-1" };
    const revoked = await api.post(`/invitations/${fixed.body.id}/revoke`, {}, revokeKey);
    expect((await api.post(`/invitations/${fixed.body.id}/revoke`, {}, revokeKey)).body).toEqual(
      revoked.body,
    );
    expect(company.id).toBeTruthy();
  });

  it("keeps no working link in idempotency records (a dump opens nothing)", async () => {
    const { keyId, api } = await developer();
    const created = await api.post("/invitations", manual, { "idempotency-key": "dump-1" });
    const token = created.body.url.split("/p/i/")[1];
    const rows = await database.db
      .select()
      .from(idempotencyRecord)
      .where(eq(idempotencyRecord.apiKeyId, keyId));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain("/p/i/");
    const replay = await api.post("/invitations", manual, { "idempotency-key": "dump-1" });
    expect(replay.body.url).toBe(created.body.url);
  });

  it("answers 415 to a body that is not JSON, and every answer carries RateLimit and Request-Id", async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "info",
      destination: { write: (l: string) => void lines.push(l) },
    });
    const logged = await startApi(50, log);
    try {
      const { key } = await developer();
      const auth = { authorization: `Bearer ${key}` };
      const url = `${logged.base}/api/v1/invitations`;
      const plain = await fetch(url, { method: "POST", headers: auth, body: '{"delivery":{}}' });
      const untyped = await fetch(url, {
        method: "POST",
        headers: { ...auth, "content-type": "" },
        body: "{}",
      });
      const badJson = await fetch(url, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: "{nope",
      });
      const missing = await fetch(`${logged.base}/api/v1/nowhere`, { headers: auth });
      const unauthenticated = await fetch(url);
      const ok = await fetch(url, { headers: auth });
      expect([plain, untyped, badJson, missing, unauthenticated, ok].map((r) => r.status)).toEqual([
        415, 415, 400, 404, 401, 200,
      ]);
      const plainBody = (await plain.json()) as { error: { code: string; message: string } };
      expect(plainBody.error).toMatchObject({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: expect.stringMatching(/application\/json/),
      });
      const ids = new Set<string>();
      for (const response of [plain, untyped, badJson, missing, unauthenticated, ok]) {
        expect(response.headers.get("ratelimit")).toMatch(/^"per-key";r=\d+;t=\d+$/);
        expect(response.headers.get("ratelimit-policy")).toBe('"per-key";q=50;w=60');
        const requestId = response.headers.get("request-id") ?? "";
        expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
        ids.add(requestId);
      }
      expect(ids.size).toBe(6);
      const missingBody = (await missing.json()) as { error: { requestId: string } };
      expect(missingBody.error.requestId).toBe(missing.headers.get("request-id"));
      const requestId = badJson.headers.get("request-id") ?? "";
      expect((await badJson.json()) as unknown).toMatchObject({ error: { requestId } });
      expect(
        lines.some((line) => line.includes(requestId) && line.includes('"statusCode":400')),
      ).toBe(true);
      expect(lines.join("")).not.toContain(key);
    } finally {
      await logged.app.close();
    }
  });

  it("refuses recipients who are not on allowedEmails, on create and on resend", async () => {
    const { api } = await developer();
    const refused = await api.post("/invitations", {
      allowedEmails: ["ops@harbor.test"],
      delivery: { kind: "email", recipients: ["ops@harbor.test", "other@harbor.test"] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([
      {
        path: "delivery.recipients.1",
        message: expect.stringMatching(/other@harbor\.test.*allowed/),
      },
    ]);
    const created = await api.post("/invitations", {
      allowedEmails: ["ops@harbor.test"],
      delivery: { kind: "email", recipients: ["Ops@Harbor.test"] },
    });
    expect(created.status).toBe(200);
    const resend = await api.post(`/invitations/${created.body.id}/resend`, {
      recipients: ["stranger@example.test"],
    });
    expect(resend.status).toBe(400);
    expect(fieldPaths(resend.body)).toEqual(["recipients.0"]);
  });

  it("takes ISO 3166 country codes only", async () => {
    const { api } = await developer();
    for (const country of ["ZZ", "XX", "UK", "fr"]) {
      const response = await api.post("/invitations", { ...manual, prefill: { country } });
      expect(response.status, country).toBe(400);
      expect(fieldPaths(response.body)).toEqual(["prefill.country"]);
    }
    expect((await api.post("/invitations", { ...manual, prefill: { country: "GB" } })).status).toBe(
      200,
    );
  });

  it("records the API key that revoked an invitation", async () => {
    const { api, keyId } = await developer();
    const created = await api.post("/invitations", manual);
    const revoked = await api.post(`/invitations/${created.body.id}/revoke`);
    expect(revoked.body).toMatchObject({ revokedBy: keyId, revokedByType: "api" });
    expect((await api.get(`/invitations/${created.body.id}`)).body).toMatchObject({
      revokedBy: keyId,
      revokedByType: "api",
    });
  });

  it("gives a reconnect invitation every prefill key", async () => {
    const { company, api } = await developer();
    const target = await connectionOf(company.id);
    const created = await api.post(`/connections/${target.id}/reconnect-invitations`, manual);
    const detail = await api.get(`/invitations/${created.body.id}`);
    expect(Object.keys(detail.body.prefill).sort()).toEqual([
      "collectionStartDate",
      "country",
      "ownerEmail",
      "providerId",
      "providerUrl",
      "siteIds",
      "utilityTypes",
    ]);
  });
});

describe("the missing resources and fields (#20)", () => {
  it("lists connections in pages, filtered by status, provider and site, searched, never another company's", async () => {
    const { company, api } = await developer();
    const theirs = await developer();
    const depot = await createSite(database.db, company.id, "Depot");
    const water = await createConnection(database.db, company.id, {
      providerName: "City Water",
      status: "error",
    });
    const power = await createConnection(database.db, company.id, {
      providerName: "North Power",
      ownerEmail: "owner@north.test",
      status: "active",
      siteIds: [depot.id],
    });
    const gas = await createConnection(database.db, company.id, {
      providerName: "Gas & Co",
      status: "active",
    });
    await createConnection(database.db, theirs.company.id, { providerName: "North Power" });
    const ids = (response: { body: { items?: { id: string }[] } }) =>
      (response.body.items ?? []).map((item) => item.id);

    const page1 = await api.get("/connections?pageSize=2");
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(ids(page1)).toEqual([gas.id, power.id]);
    expect(ids(await api.get("/connections?pageSize=2&page=2"))).toEqual([water.id]);
    expect(ids(await api.get("/connections?status=active"))).toEqual([gas.id, power.id]);
    expect(ids(await api.get(`/connections?siteId=${depot.id}`))).toEqual([power.id]);
    expect(ids(await api.get("/connections?search=north"))).toEqual([power.id]);
    expect(ids(await api.get("/connections?search=OWNER@NORTH"))).toEqual([power.id]);
    expect(ids(await api.get("/connections?search=%25"))).toEqual([]);
    const theirSite = await createSite(database.db, theirs.company.id);
    expect(ids(await api.get(`/connections?siteId=${theirSite.id}`))).toEqual([]);
    expect((await api.get("/connections?status=broken")).status).toBe(400);
  });

  it("takes expiresInSeconds as an expiry, but not together with expiry", async () => {
    const { api } = await developer();
    const before = Date.now();
    const created = await api.post("/invitations", {
      delivery: { kind: "manual" },
      expiresInSeconds: 3600,
    });
    expect(created.status).toBe(200);
    const detail = await api.get(`/invitations/${created.body.id}`);
    expect(detail.body.expiryKind).toBe("duration");
    const expiresAt = Date.parse(detail.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    const both = await api.post("/invitations", {
      delivery: { kind: "manual" },
      expiresInSeconds: 3600,
      expiry: { kind: "never" },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.fields[0].path).toBe("expiresInSeconds");
    const tooShort = await api.post("/invitations", {
      delivery: { kind: "manual" },
      expiresInSeconds: 5,
    });
    expect(tooShort.body.error.fields[0].path).toBe("expiresInSeconds");
  });

  it("keeps metadata and externalReference on the invitation and on the connection it creates, bounded", async () => {
    const { company, api } = await developer();
    const created = await api.post("/invitations", {
      delivery: { kind: "manual" },
      externalReference: "nectar-user-17",
      metadata: { crmId: "42", plan: "gold" },
    });
    expect(created.status).toBe(200);
    expect((await api.get(`/invitations/${created.body.id}`)).body).toMatchObject({
      externalReference: "nectar-user-17",
      metadata: { crmId: "42", plan: "gold" },
    });
    const made = await createConnection(database.db, company.id, { providerName: "Made" });
    await database.db
      .insert(invitationConnection)
      .values({ invitationId: created.body.id, connectionId: made.id, action: "created" });
    expect((await api.get(`/connections/${made.id}`)).body).toMatchObject({
      invitationId: created.body.id,
      externalReference: "nectar-user-17",
      metadata: { crmId: "42", plan: "gold" },
    });
    const found = await api.get("/connections?externalReference=nectar-user-17");
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([made.id]);

    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, n) => [`k${n}`, "v"]));
    for (const metadata of [tooMany, { crmId: 42 }, { "bad key": "v" }, { k: "x".repeat(501) }]) {
      const response = await api.post("/invitations", { delivery: { kind: "manual" }, metadata });
      expect(response.status, JSON.stringify(metadata).slice(0, 40)).toBe(400);
      expect(response.body.error.fields[0].path).toMatch(/^metadata/);
    }
  });

  it("allows a redirectUrl only on the company's registered origins", async () => {
    const world = await adminWorld(database.db, {
      allowedFrameOrigins: ["https://portal.example.com"],
    });
    const created = await world.caller.admin.apiKeys.create({ name: "redirects" });
    const api = client(created.key);
    const ok = await api.post("/invitations", {
      delivery: { kind: "manual" },
      redirectUrl: "https://portal.example.com/utilities/done?x=1",
    });
    expect(ok.status).toBe(200);
    expect((await api.get(`/invitations/${ok.body.id}`)).body.redirectUrl).toBe(
      "https://portal.example.com/utilities/done?x=1",
    );
    for (const redirectUrl of [
      "https://evil.example.net/phish",
      "https://portal.example.com.evil.net/",
      "javascript:alert(1)",
      "http://portal.example.com/",
    ]) {
      const refused = await api.post("/invitations", { delivery: { kind: "manual" }, redirectUrl });
      expect(refused.status, redirectUrl).toBe(400);
      expect(refused.body.error.fields[0].path).toBe("redirectUrl");
    }
  });
});

describe("one error model", () => {
  it("answers an admin call without a session with the AppError code, like every other error", async () => {
    const response = await fetch(`${base}/trpc/admin.me`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { data: { appCode: string | null } } };
    expect(body.error.data.appCode).toBe("UNAUTHORIZED");
  });
});

describe("rate limits", () => {
  it("limits each key separately, with RateLimit headers and 429 + Retry-After", async () => {
    const limited = await startApi(3);
    try {
      const a = await developer();
      const b = await developer();
      const apiA = client(a.key, () => limited.base);
      const first = await apiA.get("/connections");
      expect(first.headers.get("ratelimit-policy")).toBe('"per-key";q=3;w=60');
      expect(first.headers.get("ratelimit")).toMatch(/^"per-key";r=2;t=\d+$/);
      await apiA.get("/connections");
      await apiA.get("/connections");
      const over = await apiA.get("/connections");
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe("RATE_LIMITED");
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await client(b.key, () => limited.base).get("/connections")).status).toBe(200);
    } finally {
      await limited.app.close();
    }
  });
});

describe("OpenAPI and docs", () => {
  it("serves an OpenAPI 3.1 document that passes validation and names every operation", async () => {
    const response = await fetch(`${base}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: a JSON document, asserted field by field
    const document = (await response.json()) as Record<string, any>;
    expect(document.openapi).toMatch(/^3\.1\./);
    await SwaggerParser.validate(structuredClone(document) as never);
    expect(Object.keys(document.paths).sort()).toEqual([
      "/bills/{id}/document",
      "/connections",
      "/connections/{id}",
      "/connections/{id}/bills",
      "/connections/{id}/reconnect-invitations",
      "/invitations",
      "/invitations/{id}",
      "/invitations/{id}/resend",
      "/invitations/{id}/revoke",
      "/providers",
      "/sites",
      "/sites/{id}",
      "/webhook-endpoints",
      "/webhook-endpoints/{id}",
      "/webhook-endpoints/{id}/deliveries",
      "/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver",
      "/webhook-endpoints/{id}/rotate-secret",
      "/webhook-endpoints/{id}/test",
    ]);
    expect(document.info.license).toMatchObject({ name: expect.any(String) });
    expect(document.servers).toEqual([{ url: "http://localhost:3000/api/v1" }]);
    // Every webhook payload is described, so clients can type what they receive.
    expect(Object.keys(document.webhooks).sort()).toEqual(
      [...WEBHOOK_EVENT_TYPES, "webhook.test"].sort(),
    );
    const created = document.webhooks["invitation.created"].post.requestBody.content[
      "application/json"
    ].schema.$ref
      .split("/")
      .pop();
    expect(document.components.schemas[created].properties).toMatchObject({
      version: { const: 1 },
      type: { const: "invitation.created" },
    });
    expect(
      document.paths["/invitations"].post.responses["415"].headers["Request-Id"],
    ).toBeDefined();
    const create = document.paths["/invitations"].post;
    expect(create.responses["401"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Error",
    });
    expect(JSON.stringify(create.requestBody)).toContain("prefill");
    expect(create.parameters.map((p: { name: string }) => p.name)).toContain("idempotency-key");
  });

  it("serves the reference page", async () => {
    const response = await fetch(`${base}/api/docs`, { redirect: "follow" });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/openapi\.json/);
  });
});

describe("frame policy", () => {
  it("lets a recipient page be framed only by its company's origins; everything else by itself", async () => {
    const { caller, company } = await adminWorld(database.db, {
      allowedFrameOrigins: ["https://portal.example.com", "http://localhost:5173"],
    });
    const created = await caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "manual" },
    });
    const path = new URL(created.url).pathname;
    const page = await fetch(`${base}${path}?embed=1`);
    expect(page.status).toBe(200);
    // SPA pages carry the page's own policy first (http/spa.ts); frame-ancestors is last.
    const frameAncestors = (response: Response) =>
      (response.headers.get("content-security-policy") ?? "").split("; ").at(-1);
    expect(frameAncestors(page)).toBe(
      "frame-ancestors 'self' https://portal.example.com http://localhost:5173",
    );
    expect(page.headers.get("x-frame-options")).toBeNull();
    expect(company.id).toBeTruthy();

    for (const other of ["/invitations", "/p/i/unknowntokenunknowntoken", "/api/v1/openapi.json"]) {
      const response = await fetch(`${base}${other}`);
      expect(frameAncestors(response)).toBe("frame-ancestors 'self'");
    }
  });
});
