// A collection waiting for a code takes a forwarded one only within its validity, only if
// it arrived after the run started, the newest first, and each code once, even with two
// runs polling at the same moment.
import { collectionRun, mfaCode } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany, createConnection } from "../../../test/factories";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { encryptSecret, parseKey } from "../../lib/tokens";
import { waitForCode } from "./code";

let database: TTestDatabase;
const tokenKey = parseKey(TEST_TOKEN_KEY);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

// The wait ends 2 s before mfaWaitMs (the worker's own margin): 3 s polls for about 1 s.
const deps = () => ({ db: database.db, tokenKey, mfaWaitMs: 3_000, codePollMs: 100 });

async function connectionWithCodes(
  codes: { code: string; receivedAgoMs: number; validForMs: number }[],
) {
  const company = await createCompany(database.db);
  const conn = await createConnection(database.db, company.id, { status: "active" });
  for (const { code, receivedAgoMs, validForMs } of codes) {
    const receivedAt = new Date(Date.now() - receivedAgoMs);
    await database.db.insert(mfaCode).values({
      connectionId: conn.id,
      channel: "sms",
      codeEncrypted: encryptSecret(code, tokenKey),
      receivedAt,
      expiresAt: new Date(receivedAt.getTime() + validForMs),
    });
  }
  return conn;
}

/** A run of the connection, as runCollection writes one before it waits. */
async function runOf(conn: { id: string; companyId: string }) {
  const [run] = await database.db
    .insert(collectionRun)
    .values({ connectionId: conn.id, companyId: conn.companyId, trigger: "weekly" })
    .returning();
  if (!run) throw new Error("no run");
  return run.id;
}

describe("waitForCode", () => {
  it("never uses an expired code, nor one that arrived before the run started", async () => {
    const runStarted = new Date(Date.now() - 60_000);
    const conn = await connectionWithCodes([
      { code: "111111", receivedAgoMs: 30_000, validForMs: 10_000 }, // expired
      { code: "222222", receivedAgoMs: 120_000, validForMs: 600_000 }, // before the run
    ]);
    expect(await waitForCode(deps(), conn.id, await runOf(conn), runStarted)).toBeNull();
    const rows = await database.db.select().from(mfaCode).where(eq(mfaCode.connectionId, conn.id));
    expect(rows.every((row) => row.consumedAt === null)).toBe(true);
  });

  it("takes the newest valid code, once, even with two runs polling at once", async () => {
    const runStarted = new Date(Date.now() - 60_000);
    const conn = await connectionWithCodes([
      { code: "333333", receivedAgoMs: 40_000, validForMs: 600_000 },
      { code: "444444", receivedAgoMs: 10_000, validForMs: 600_000 },
    ]);
    const [runA, runB, runC] = [await runOf(conn), await runOf(conn), await runOf(conn)];
    // The newest valid code first.
    expect(await waitForCode(deps(), conn.id, runA, runStarted)).toBe("444444");
    // Two runs polling at once: the remaining code goes to one of them, never both.
    const both = await Promise.all([
      waitForCode(deps(), conn.id, runB, runStarted),
      waitForCode(deps(), conn.id, runC, runStarted),
    ]);
    expect(both.filter(Boolean)).toEqual(["333333"]);
    const rows = await database.db.select().from(mfaCode).where(eq(mfaCode.connectionId, conn.id));
    expect(rows.map((row) => row.consumedByRunId).filter(Boolean)).toHaveLength(2);
  });
});
