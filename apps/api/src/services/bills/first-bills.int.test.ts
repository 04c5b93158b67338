// First bills read in the recipient's own session become the connection's bills (#18):
// the worker's `first_bills` report over the real internal listener, then the recipient
// completes; the connection is active with its bills at once and no second sign-in (so no
// second one-time code) is queued. A report arriving after completion is adopted then;
// only the worker holding the session is heard.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connection, invitation, loginSession, recipientSession } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLog } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { TEST_ENV } from "../../../test/keys";
import { buildInternalApp } from "../../app";
import { loadApiEnv } from "../../env";

const FLEET_TOKEN = "first-bills-fleet-token-0123456789";
const PDF = Buffer.from("%PDF-1.4\nStatement\n%%EOF\n");

let database: TTestDatabase;
let internal: NonNullable<Awaited<ReturnType<typeof buildInternalApp>>>;
let storageDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  storageDir = mkdtempSync(join(tmpdir(), "meterlink-first-bills-"));
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: "http://localhost:3000",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    FLEET_TOKEN,
    STORAGE_DIR: storageDir,
    ...TEST_ENV,
  });
  const built = await buildInternalApp({ env, db: database.db, log: silentLog });
  if (!built) throw new Error("no internal app");
  internal = built;
  await internal.ready();
});

afterAll(async () => {
  await internal?.close();
  await database?.close();
  if (storageDir) rmSync(storageDir, { recursive: true, force: true });
});

const bill = (id: string, periodEnd: string, amount: string) => ({
  id,
  utility: null,
  periodStart: `${periodEnd.slice(0, 8)}01`,
  periodEnd,
  issuedOn: null,
  dueOn: null,
  usage: "120",
  unit: "kWh",
  amount,
  currency: "USD",
  files: [{ kind: "pdf", contentType: "application/pdf", base64: PDF.toString("base64") }],
});

/** An invitation opened by a recipient whose live sign-in on worker `w-1` succeeded. */
async function signedIn(options: { ended?: boolean; awaitingOutcome?: boolean } = {}) {
  const world = await adminWorld(database.db);
  const created = await world.caller.admin.invitations.create(manualContributor());
  const token = tokenOf(created.url);
  const browser = recipientBrowser(database.db);
  await browser.caller.recipient.open({ token });
  await browser.caller.recipient.consent({ token });
  const [row] = await database.db.select().from(invitation).where(eq(invitation.id, created.id));
  const [rs] = await database.db
    .select()
    .from(recipientSession)
    .where(eq(recipientSession.invitationId, created.id));
  const [login] = await database.db
    .insert(loginSession)
    .values({
      invitationId: row?.id,
      recipientSessionId: rs?.id,
      workerId: "w-1",
      // `awaitingOutcome`: the worker's success report is still to come.
      ...(options.awaitingOutcome
        ? {}
        : { outcome: "success", sealedCredential: "sealed-by-worker" }),
      ...(options.ended ? { endedAt: new Date() } : {}),
    })
    .returning();
  if (!login) throw new Error("no login session");
  const complete = () =>
    browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "Brightwater Energy" },
      credential: { method: "live", loginSessionId: login.id },
      collectionStartDate: "2026-09-01",
    });
  return { ...world, browser, loginSessionId: login.id, complete };
}

async function report(body: Record<string, unknown>) {
  return await internal.inject({
    method: "POST",
    url: "/internal/fleet/report",
    headers: { authorization: `Bearer ${FLEET_TOKEN}` },
    payload: { type: "first_bills", workerId: "w-1", status: "ok", notes: [], ...body },
  });
}

describe("first bills from the recipient's session", () => {
  it("are the connection's bills as soon as the recipient completes: active, no second sign-in", async () => {
    const s = await signedIn();
    const answer = await report({
      sessionId: s.loginSessionId,
      bills: [bill("sha256:aa", "2026-08-31", "90.95"), bill("sha256:bb", "2026-09-30", "92.59")],
      notes: [{ reason: "too_large", document: "portal.example/annual-summary.pdf" }],
    });
    expect(answer.statusCode).toBe(200);

    const done = await s.complete();
    // The recipient's confirmation says the bills are in (not "in the next few minutes").
    expect(done.status).toBe("active");
    const view = await s.caller.admin.connections.get({ id: done.connectionId });
    expect(view.status).toBe("active");
    expect(view.lastCollectedAt).toBeInstanceOf(Date);
    // Before the start date the recipient chose: not kept.
    expect(view.bills.map((b) => [b.externalId, b.amount])).toEqual([["sha256:bb", "92.59"]]);
    expect(view.runs).toMatchObject([
      { trigger: "first", status: "succeeded", billsFound: 2, billsNew: 1 },
    ]);
    expect(view.runs[0]?.message).toContain("annual-summary.pdf (too large)");
    // No collection job: it would sign in again and the portal would send a new code.
    expect(s.browser.jobs.connections).toEqual([]);
  });

  it("completing while the worker still reads them waits for them (no second sign-in)", async () => {
    const s = await signedIn();
    await report({ sessionId: s.loginSessionId, status: "reading" });
    const completing = s.complete();
    // Reported while the recipient's completion is in flight.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await report({
      sessionId: s.loginSessionId,
      bills: [bill("sha256:ff", "2026-10-31", "94.24")],
    });
    const done = await completing;
    const view = await s.caller.admin.connections.get({ id: done.connectionId });
    expect(view.status).toBe("active");
    expect(view.bills.map((b) => b.externalId)).toEqual(["sha256:ff"]);
    expect(s.browser.jobs.connections).toEqual([]);
  });

  it("arriving after completion, they are adopted then; another worker is not heard", async () => {
    const s = await signedIn({ ended: true });
    const done = await s.complete();
    expect(done.status).toBe("pending");
    const pending = await s.caller.admin.connections.get({ id: done.connectionId });
    expect(pending.status).toBe("pending");
    // Typed by hand, not in the catalog: the admin is told a person reviews it first.
    expect(pending.collection.kind).toBe("manual_review");
    expect(s.browser.jobs.connections).toEqual([done.connectionId]);

    const forged = await report({
      workerId: "w-2",
      sessionId: s.loginSessionId,
      bills: [bill("sha256:cc", "2026-10-31", "1.00")],
    });
    expect(forged.statusCode).toBe(200);
    expect((await s.caller.admin.connections.get({ id: done.connectionId })).bills).toEqual([]);

    await report({
      sessionId: s.loginSessionId,
      bills: [bill("sha256:dd", "2026-10-31", "94.24")],
    });
    const view = await s.caller.admin.connections.get({ id: done.connectionId });
    expect(view.status).toBe("active");
    expect(view.bills.map((b) => b.externalId)).toEqual(["sha256:dd"]);
    // Reported twice: adopted once.
    await report({ sessionId: s.loginSessionId, bills: [bill("sha256:ee", "2026-10-31", "5.00")] });
    expect((await s.caller.admin.connections.get({ id: done.connectionId })).bills).toHaveLength(1);
  });
});

describe("the learned login recipe (#19)", () => {
  const recipe = {
    version: 1,
    steps: [
      {
        framePath: "/ridgeway/login",
        shadowHosts: [],
        fields: [{ kind: "identifier", selectors: ["#rw-acct", 'input[name="acct"]'] }],
        submit: { how: "click", selectors: ["#rw-continue"] },
      },
      {
        framePath: "/ridgeway/password",
        shadowHosts: [],
        fields: [{ kind: "password", selectors: ["#rw-pw"] }],
        submit: { how: "enter" },
      },
    ],
    successPath: "/ridgeway/account",
  };

  it("sent with the worker's success, is stored with the connection the recipient completes", async () => {
    const s = await signedIn({ awaitingOutcome: true });
    const answer = await internal.inject({
      method: "POST",
      url: "/internal/fleet/report",
      headers: { authorization: `Bearer ${FLEET_TOKEN}` },
      payload: {
        type: "outcome",
        workerId: "w-1",
        sessionId: s.loginSessionId,
        providerId: "manual",
        outcome: "success",
        sealedCredential: "sealed-by-worker",
        finalUrl: "http://portal.example/ridgeway/account",
        recipe,
      },
    });
    expect(answer.statusCode).toBe(200);
    const done = await s.complete();
    const [row] = await database.db
      .select({ loginRecipe: connection.loginRecipe })
      .from(connection)
      .where(eq(connection.id, done.connectionId));
    expect(row?.loginRecipe).toEqual(recipe);
  });

  it("a report with a malformed recipe is refused and stores nothing", async () => {
    const s = await signedIn({ awaitingOutcome: true });
    const answer = await internal.inject({
      method: "POST",
      url: "/internal/fleet/report",
      headers: { authorization: `Bearer ${FLEET_TOKEN}` },
      payload: {
        type: "outcome",
        workerId: "w-1",
        sessionId: s.loginSessionId,
        providerId: "manual",
        outcome: "success",
        sealedCredential: "sealed-by-worker",
        finalUrl: null,
        recipe: { version: 1, steps: [] },
      },
    });
    expect(answer.statusCode).toBe(400);
    const [login] = await database.db
      .select()
      .from(loginSession)
      .where(eq(loginSession.id, s.loginSessionId));
    expect(login?.outcome).toBeNull();
  });
});
