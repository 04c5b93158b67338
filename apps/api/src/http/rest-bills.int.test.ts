// Bills out: what a collection stored reaches the company's integrators and admins.
// REST `GET /api/v1/connections/{id}/bills` and `GET /api/v1/bills/{id}/document` with a
// real key (another company's key is refused like an unknown id), the admins' signed
// short-lived document links, the `bill.created` webhook POSTed by the real job runner,
// the collection start date applied, and documents kept in an S3-compatible store
// (s3rver) by configuration.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import type { TCollectedBill } from "@meterlink/shared/connection";
import { webhookPayloadSchema } from "@meterlink/shared/webhook-payloads";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { createConnection, silentLog } from "../../test/factories";
import { adminWorld } from "../../test/invitations";
import { TEST_TOKEN_KEY } from "../../test/keys";
import { startJobRunner, type TJobRunner } from "../jobs/runner";
import { parseKey } from "../lib/tokens";
import { signedDocumentUrl } from "../services/bills/document";
import { insertBills, prepareBills } from "../services/bills/store";
import { billStorageOf, type TBillStorage } from "../services/collection/storage";

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;
let s3Harness: Awaited<ReturnType<typeof createTestApp>>;
let storage: TBillStorage;
let s3: TBillStorage;
let s3server: S3rver;
let runner: TJobRunner;
let receiver: Server;
let receiverUrl: string;
const received: { path: string; body: string }[] = [];
const dirs: string[] = [];

const PDF = Buffer.from("%PDF-1.4\n% a bill\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

function found(overrides: Partial<TCollectedBill> = {}): TCollectedBill {
  return {
    id: "INV-1001",
    utility: "electricity",
    periodStart: "2026-09-01",
    periodEnd: "2026-09-30",
    issuedOn: "2026-10-03",
    dueOn: "2026-10-24",
    usage: "412.5",
    unit: "kWh",
    amount: "96.40",
    currency: "USD",
    files: [{ kind: "pdf", contentType: "application/pdf", base64: PDF.toString("base64") }],
    ...overrides,
  };
}

async function store(
  target: TBillStorage,
  conn: { id: string; companyId: string; collectionStartDate: string | null },
  bills: TCollectedBill[],
) {
  const rows = await prepareBills(target, conn, bills, new Set(), null);
  return await database.db.transaction((tx) => insertBills(tx, rows));
}

beforeAll(async () => {
  database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), "meterlink-rest-bills-"));
  const s3dir = mkdtempSync(join(tmpdir(), "meterlink-s3rver-"));
  dirs.push(dir, s3dir);
  s3server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: s3dir,
    configureBuckets: [{ name: "meterlink-bills", configs: [] }],
  });
  const { port } = await s3server.run();
  const s3env = {
    S3_BUCKET: "meterlink-bills",
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_PREFIX: "test/",
  };
  harness = await createTestApp(database.url, { STORAGE_DIR: dir });
  s3Harness = await createTestApp(database.url, s3env);
  storage = billStorageOf(harness.env);
  s3 = billStorageOf(s3Harness.env);

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "/", body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  if (!address || typeof address === "string") throw new Error("no port");
  receiverUrl = `http://127.0.0.1:${address.port}`;
  runner = await startJobRunner({
    db: database.db,
    env: harness.env,
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
  await runner?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await harness?.app.close();
  await s3Harness?.app.close();
  await s3server?.close();
  await database?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function get(app: typeof harness.app, url: string, key: string | null) {
  return await app.inject({
    method: "GET",
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
}

async function eventually<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("bills over REST", () => {
  it("lists a connection's bills and downloads their documents; another company gets 404", async () => {
    const world = await adminWorld(database.db);
    const other = await adminWorld(database.db);
    const { key } = await world.caller.admin.apiKeys.create({ name: "ERP" });
    const { key: otherKey } = await other.caller.admin.apiKeys.create({ name: "ERP" });
    const conn = await createConnection(database.db, world.company.id, { status: "active" });
    const unreadable = Buffer.from("%PDF-1.4 scanned image only");
    expect(
      await store(storage, conn, [
        found(),
        found({
          id: `sha256:${"ab".repeat(32)}`,
          periodStart: null,
          periodEnd: null,
          issuedOn: null,
          dueOn: null,
          amount: null,
          usage: null,
          files: [
            { kind: "pdf", contentType: "application/pdf", base64: unreadable.toString("base64") },
          ],
        }),
      ]),
    ).toBe(2);

    const list = await get(harness.app, `/api/v1/connections/${conn.id}/bills`, key);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      externalId: "INV-1001",
      periodStart: "2026-09-01",
      periodEnd: "2026-09-30",
      amount: "96.40",
      currency: "USD",
      usage: "412.500",
      unit: "kWh",
      needsReview: false,
      files: [{ kind: "pdf", contentType: "application/pdf", bytes: PDF.length }],
    });
    expect(items[1]).toMatchObject({ needsReview: true });
    // Our storage layout is not part of the answer.
    expect(list.body).not.toContain(`${world.company.id}/`);

    const billId = items[0]?.id as string;
    const document = await get(harness.app, `/api/v1/bills/${billId}/document`, key);
    expect(document.statusCode).toBe(200);
    expect(document.headers["content-type"]).toBe("application/pdf");
    expect(document.headers["content-disposition"]).toContain("attachment");
    expect(document.rawPayload.equals(PDF)).toBe(true);

    const noCsv = await get(harness.app, `/api/v1/bills/${billId}/document?kind=csv`, key);
    expect(noCsv.statusCode).toBe(404);
    expect(noCsv.json().error.message).toContain("has: pdf");

    // Another company's key: exactly like an unknown id, for both routes.
    const foreignList = await get(harness.app, `/api/v1/connections/${conn.id}/bills`, otherKey);
    expect(foreignList.statusCode).toBe(404);
    expect(foreignList.json().error.code).toBe("NOT_FOUND");
    const foreignDocument = await get(harness.app, `/api/v1/bills/${billId}/document`, otherKey);
    expect(foreignDocument.statusCode).toBe(404);
    expect(foreignDocument.body).not.toContain("%PDF");

    expect((await get(harness.app, `/api/v1/bills/${billId}/document`, null)).statusCode).toBe(401);
    const bad = await get(harness.app, "/api/v1/connections/not-a-uuid/bills", key);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("Unknown connection");
  });

  it("documents both routes in the OpenAPI document with the common errors", async () => {
    const document = (await get(harness.app, "/api/v1/openapi.json", null)).json();
    const list = document.paths["/connections/{id}/bills"].get;
    expect(list.responses["200"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/BillList",
    );
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(["401", "404", "429"]));
    expect(document.components.schemas.Bill.properties.needsReview).toBeDefined();
    expect(document.paths["/bills/{id}/document"].get.responses["200"].content).toHaveProperty(
      "application/pdf",
    );
    expect(document.webhooks["bill.created"]).toBeDefined();
  });
});

describe("admins' document links", () => {
  it("the connection page's link downloads the PDF; a changed or expired link is refused", async () => {
    const world = await adminWorld(database.db);
    const conn = await createConnection(database.db, world.company.id, { status: "active" });
    await store(storage, conn, [found({ id: "INV-2002" })]);
    const detail = await world.caller.admin.connections.get({ id: conn.id });
    const url = detail.bills[0]?.files[0]?.url;
    if (!url) throw new Error("no link");

    const download = await get(harness.app, url, null);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);

    const billId = detail.bills[0]?.id ?? "";
    const tampered = url.replace(billId, (await otherBillId(world.company.id)) ?? billId);
    expect((await get(harness.app, tampered, null)).statusCode).toBe(403);
    const expired = signedDocumentUrl(
      parseKey(TEST_TOKEN_KEY),
      { billId, kind: "pdf" },
      Date.now() - 60 * 60_000,
    );
    const refused = await get(harness.app, expired, null);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain("expired");
  });
});

/** Another stored bill's id: a link signed for one bill must not open another. */
async function otherBillId(companyId: string): Promise<string | undefined> {
  const conn = await createConnection(database.db, companyId, { status: "active" });
  await store(storage, conn, [found({ id: "INV-OTHER" })]);
  const rows = await database.db.query.bill.findMany({
    where: (b, { eq }) => eq(b.connectionId, conn.id),
  });
  return rows[0]?.id;
}

describe("collection start date and bill.created", () => {
  it("keeps nothing older than the start date and POSTs bill.created for each new bill", async () => {
    const world = await adminWorld(database.db);
    const endpoint = await world.caller.admin.webhooks.create({
      url: `${receiverUrl}/bills`,
      eventTypes: ["bill.created"],
    });
    expect(endpoint.id).toBeTruthy();
    const conn = await createConnection(database.db, world.company.id, {
      status: "active",
      collectionStartDate: "2026-09-15",
    });
    const stored = await store(storage, conn, [
      found({ id: "OLD-1", periodStart: "2026-07-01", periodEnd: "2026-07-31" }),
      found({ id: "NEW-1" }),
    ]);
    expect(stored).toBe(1);
    // Seen again (the next collection): never stored or announced twice.
    expect(await store(storage, conn, [found({ id: "NEW-1" })])).toBe(0);

    const list = await world.caller.admin.connections.get({ id: conn.id });
    expect(list.bills.map((b) => b.externalId)).toEqual(["NEW-1"]);

    const message = await eventually("bill.created", () =>
      received.find((m) => m.path === "/bills"),
    );
    const payload = webhookPayloadSchema("bill.created").parse(JSON.parse(message.body));
    expect(payload.data).toMatchObject({
      connectionId: conn.id,
      billId: list.bills[0]?.id,
      amount: "96.40",
      periodEnd: "2026-09-30",
      needsReview: false,
    });
  });
});

describe("S3-compatible storage", () => {
  it("keeps documents in the configured bucket and serves them over REST", async () => {
    const world = await adminWorld(database.db);
    const { key } = await world.caller.admin.apiKeys.create({ name: "ERP" });
    const conn = await createConnection(database.db, world.company.id, { status: "active" });
    await store(s3, conn, [found({ id: "S3-1" })]);
    // Not in the directory store: it really went to the bucket.
    const rows = await database.db.query.bill.findMany({
      where: (b, { eq }) => eq(b.connectionId, conn.id),
    });
    const file = rows[0]?.files[0];
    if (!file) throw new Error("no file");
    expect(await storage.get(file.key)).toBeNull();
    expect(Buffer.from((await s3.get(file.key)) ?? []).equals(PDF)).toBe(true);
    expect(await s3.get(`${file.key}.missing`)).toBeNull();

    const document = await get(s3Harness.app, `/api/v1/bills/${rows[0]?.id}/document`, key);
    expect(document.statusCode).toBe(200);
    expect(document.rawPayload.equals(PDF)).toBe(true);
  });
});
