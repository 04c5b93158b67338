// Webhook endpoints managed over the REST API with real keys, delivered by the real job
// runner to a local receiver, verified with the `standardwebhooks` package (the one an
// integrator uses): create, list, delete, rotate with an overlap in which both secrets
// verify, test, deliveries with their payloads, redeliver; another company is refused.
// The calls go through @meterlink/client (openapi-fetch over the generated types) and its
// verifyWebhook helper, as an integrator's code would.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createMeterlinkClient, verifyWebhook } from "@meterlink/client";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingJobs, silentLog } from "../../test/factories";
import { adminWorld } from "../../test/invitations";
import { TEST_ENV } from "../../test/keys";
import { eventually } from "../../test/processes";
import { buildApp, type TApp } from "../app";
import { loadApiEnv } from "../env";
import { startJobRunner, type TJobRunner } from "../jobs/runner";

type TReceived = { headers: IncomingHttpHeaders; body: string; path: string };

let database: TTestDatabase;
let app: TApp;
let base: string;
let runner: TJobRunner;
let receiver: Server;
let receiverUrl: string;
const received: TReceived[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        path: req.url ?? "/",
      });
      res.statusCode = 204;
      res.end();
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
  app = await buildApp({ env, db: database.db, log: silentLog, jobs: recordingJobs().jobs });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const apiAddress = app.server.address();
  if (!apiAddress || typeof apiAddress === "string") throw new Error("no port");
  base = `http://127.0.0.1:${apiAddress.port}`;
  runner = await startJobRunner({
    db: database.db,
    env,
    log: silentLog,
    timing: { pollingIntervalSeconds: 0.5 },
    webhookTiming: { dispatchIntervalMs: 100, pollingIntervalSeconds: 0.5, timeoutMs: 2_000 },
  });
});
afterAll(async () => {
  await runner.stop();
  await app.close();
  await new Promise((resolve) => receiver.close(resolve));
  await database.close();
});

async function developer() {
  const world = await adminWorld(database.db);
  const { key } = await world.caller.admin.apiKeys.create({ name: "hooks" });
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  const api = createMeterlinkClient({ baseUrl: `${base}/api/v1`, apiKey: key });
  return { ...world, call, api };
}

const at = (path: string) => received.filter((message) => message.path === path);

function verifies(secret: string, message: TReceived): boolean {
  try {
    verifyWebhook(secret, message.body, message.headers);
    return true;
  } catch {
    return false;
  }
}

describe("webhook endpoints over REST", () => {
  it("creates, lists, tests, shows deliveries with payloads, redelivers under the same id, deletes", async () => {
    const { call, api } = await developer();
    const made = await api.POST("/webhook-endpoints", {
      body: { url: `${receiverUrl}/rest-a`, eventTypes: ["connection.created"] },
    });
    expect(made.response.status).toBe(200);
    if (!made.data) throw new Error("no endpoint");
    const created = { body: made.data };
    expect(created.body.secret).toMatch(/^whsec_/);
    const listed = await api.GET("/webhook-endpoints");
    expect(listed.data?.items.map((e) => e.id)).toEqual([created.body.id]);
    expect(JSON.stringify(listed.data)).not.toContain(created.body.secret);

    const tested = await api.POST("/webhook-endpoints/{id}/test", {
      params: { path: { id: created.body.id } },
    });
    expect(tested.response.status).toBe(200);
    const test = { body: { eventId: tested.data?.eventId } };
    const first = await eventually(async () => {
      const message = at("/rest-a")[0];
      if (!message) throw new Error("no delivery yet");
      return message;
    });
    expect(verifies(created.body.secret, first)).toBe(true);
    expect(first.headers["webhook-id"]).toBe(test.body.eventId);

    const deliveries = await eventually(async () => {
      const answer = await api.GET("/webhook-endpoints/{id}/deliveries", {
        params: { path: { id: created.body.id }, query: { limit: 10 } },
      });
      const [first] = answer.data?.items ?? [];
      if (!first) throw new Error("no delivery row yet");
      return [first];
    });
    expect(deliveries[0]).toMatchObject({
      eventId: test.body.eventId,
      eventType: "webhook.test",
      ok: true,
      redelivery: false,
      payload: { message: expect.stringMatching(/test event/) },
    });

    const again = await api.POST("/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver", {
      params: { path: { id: created.body.id, deliveryId: deliveries[0]?.id ?? "" } },
    });
    expect(again.data).toEqual({ eventId: test.body.eventId });
    const second = await eventually(async () => {
      const message = at("/rest-a")[1];
      if (!message) throw new Error("no redelivery yet");
      return message;
    });
    expect(second.headers["webhook-id"]).toBe(test.body.eventId);
    expect(JSON.parse(second.body)).toMatchObject({ id: test.body.eventId, type: "webhook.test" });
    expect(verifies(created.body.secret, second)).toBe(true);

    const deleted = await api.DELETE("/webhook-endpoints/{id}", {
      params: { path: { id: created.body.id } },
    });
    expect(deleted.data).toEqual({ id: created.body.id, deleted: true });
    expect((await call("GET", "/webhook-endpoints")).body.items).toEqual([]);
    expect((await call("POST", `/webhook-endpoints/${created.body.id}/test`)).status).toBe(404);
  });

  it("rotates the secret: both verify during the overlap, only the new one without it", async () => {
    const { call } = await developer();
    const created = await call("POST", "/webhook-endpoints", { url: `${receiverUrl}/rotate` });
    const rotated = await call("POST", `/webhook-endpoints/${created.body.id}/rotate-secret`, {
      overlapSeconds: 3600,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
    await call("POST", `/webhook-endpoints/${created.body.id}/test`);
    const during = await eventually(async () => {
      const message = at("/rotate")[0];
      if (!message) throw new Error("no delivery yet");
      return message;
    });
    expect(verifies(created.body.secret, during)).toBe(true);
    expect(verifies(rotated.body.secret, during)).toBe(true);

    const cut = await call("POST", `/webhook-endpoints/${created.body.id}/rotate-secret`, {
      overlapSeconds: 0,
    });
    expect(cut.body.previousSecretExpiresAt).toBeNull();
    await call("POST", `/webhook-endpoints/${created.body.id}/test`);
    const after = await eventually(async () => {
      const message = at("/rotate")[1];
      if (!message) throw new Error("no delivery yet");
      return message;
    });
    expect(verifies(cut.body.secret, after)).toBe(true);
    expect(verifies(rotated.body.secret, after)).toBe(false);
    expect(verifies(created.body.secret, after)).toBe(false);

    const tooLong = await call("POST", `/webhook-endpoints/${created.body.id}/rotate-secret`, {
      overlapSeconds: 30 * 86400,
    });
    expect(tooLong.status).toBe(400);
  });

  it("refuses every operation on another company's endpoint with 404", async () => {
    const mine = await developer();
    const theirs = await developer();
    const endpoint = await theirs.call("POST", "/webhook-endpoints", {
      url: `${receiverUrl}/theirs`,
    });
    await theirs.call("POST", `/webhook-endpoints/${endpoint.body.id}/test`);
    const delivery = await eventually(async () => {
      const answer = await theirs.call("GET", `/webhook-endpoints/${endpoint.body.id}/deliveries`);
      if (!answer.body.items?.length) throw new Error("no delivery row yet");
      return answer.body.items[0];
    });
    const id = endpoint.body.id;
    for (const [method, path] of [
      ["DELETE", `/webhook-endpoints/${id}`],
      ["POST", `/webhook-endpoints/${id}/rotate-secret`],
      ["POST", `/webhook-endpoints/${id}/test`],
      ["GET", `/webhook-endpoints/${id}/deliveries`],
      ["POST", `/webhook-endpoints/${id}/deliveries/${delivery.id}/redeliver`],
    ] as const) {
      const answer = await mine.call(method, path, method === "POST" ? {} : undefined);
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    expect((await mine.call("GET", "/webhook-endpoints")).body.items).toEqual([]);
    // A delivery of another endpoint is not redelivered through one of mine either.
    const own = await mine.call("POST", "/webhook-endpoints", { url: `${receiverUrl}/mine` });
    const crossed = await mine.call(
      "POST",
      `/webhook-endpoints/${own.body.id}/deliveries/${delivery.id}/redeliver`,
    );
    expect(crossed.status).toBe(404);
    expect((await theirs.call("GET", "/webhook-endpoints")).body.items).toHaveLength(1);
  });
});
