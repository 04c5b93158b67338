// One SMS number for the whole deployment: codes of several connections arrive at the
// same number. A text goes to a connection only when it can only be that one's: the one
// waiting for a code (within the window) of the utility that sends from that number or
// short code (configured on the provider, or learned from its first code), or the one
// whose owner's phone forwarded its code before (learned the same way). Otherwise
// it is recorded, handed to nobody, and every candidate's activity says why.
import { randomUUID } from "node:crypto";
import { collectionRun, connection, mfaCode, provider } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCompany, createConnection, silentLog } from "../../../test/factories";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { decryptSecret, parseKey } from "../../lib/tokens";
import type { TInboundConfig } from "../connections/forwarding";
import { forwardingActivity, INBOUND_OUTCOME_MESSAGES } from "./activity";
import { receiveForwardedMessage } from "./receive";

const SHARED = "+15550100999";
const INBOUND: TInboundConfig = { emailDomain: "inbound.meterlink.test", smsNumber: SHARED };
const tokenKey = parseKey(TEST_TOKEN_KEY);
let database: TTestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const utility = (id: string, name: string, smsSenders: string[] = []) => ({
    id,
    name,
    country: "US",
    loginUrl: `https://${id}.example/login`,
    allowedHostnames: [`${id}.example`],
    mfa: "sms" as const,
    smsSenders,
  });
  await database.db.insert(provider).values([
    utility("summit", "Summit Gas"),
    // Configured by whoever set up the catalogue: GridCo texts as "GridCo".
    utility("gridco", "GridCo Electric", ["gridco"]),
  ]);
});
afterAll(async () => {
  await database?.close();
});
/** The waiting runs took their codes and ended. */
async function collected() {
  await database.db
    .update(collectionRun)
    .set({ status: "succeeded", endedAt: new Date() })
    .where(eq(collectionRun.status, "waiting_for_code"));
}
// Each case starts with nobody waiting.
afterEach(collected);

/** A connection of the utility whose weekly collection waits for a code right now. */
async function waiting(providerId: string, startedAgoMs = 30_000) {
  const company = await createCompany(database.db);
  const conn = await createConnection(database.db, company.id, {
    status: "active",
    providerId,
    providerName: providerId,
  });
  await database.db.insert(collectionRun).values({
    connectionId: conn.id,
    companyId: company.id,
    trigger: "weekly",
    status: "waiting_for_code",
    startedAt: new Date(Date.now() - startedAgoMs),
  });
  return conn.id;
}

const text = (from: string, code: string) =>
  receiveForwardedMessage(
    { db: database.db, log: silentLog, tokenKey, inbound: INBOUND },
    {
      channel: "sms",
      source: "twilio",
      deliveryId: `twilio:SM${randomUUID()}`,
      to: [SHARED],
      from,
      text: `Your verification code is ${code}. It expires in 10 minutes.`,
    },
  );

/** Whether exactly this code was stored for the connection (the code never printed). */
async function holds(connectionId: string, code: string) {
  const rows = await database.db
    .select()
    .from(mfaCode)
    .where(eq(mfaCode.connectionId, connectionId));
  return rows.length === 1 && decryptSecret(rows[0]?.codeEncrypted ?? "", tokenKey) === code;
}

async function companyOf(connectionId: string) {
  const [row] = await database.db
    .select({ companyId: connection.companyId })
    .from(connection)
    .where(eq(connection.id, connectionId));
  return row?.companyId;
}

async function codesOf(ids: string[]) {
  return await database.db.select().from(mfaCode).where(inArray(mfaCode.connectionId, ids));
}

async function sendersOf(providerId: string) {
  const [row] = await database.db.select().from(provider).where(eq(provider.id, providerId));
  return row?.smsSenders;
}

const outcomes = async (connectionId: string) =>
  (await forwardingActivity(database.db, connectionId)).map((m) => [m.outcome, m.message]);

describe("a shared SMS number", () => {
  it("learns a utility's short code from its first code; later it picks that utility's connection", async () => {
    const first = await waiting("summit");
    expect(await text("72345", "604112")).toMatchObject({ outcome: "code_stored" });
    expect(await holds(first, "604112")).toBe(true);
    expect(await sendersOf("summit")).toEqual(["72345"]);
    await collected();

    // Next week Summit and GridCo both wait: the text from Summit's short code is Summit's.
    const summit = await waiting("summit");
    const gridco = await waiting("gridco");
    expect(await text("72345", "715230")).toMatchObject({ outcome: "code_stored" });
    expect(await holds(summit, "715230")).toBe(true);
    expect(await codesOf([gridco])).toEqual([]);
    expect(await outcomes(gridco)).toEqual([]);
  });

  it("hands a configured sender's text to its utility's connection", async () => {
    const summit = await waiting("summit");
    const gridco = await waiting("gridco");
    expect(await text("GridCo", "338201")).toMatchObject({ outcome: "code_stored" });
    expect(await holds(gridco, "338201")).toBe(true);
    expect(await codesOf([summit])).toEqual([]);
  });

  it("gives an unknown sender's code to nobody while two utilities wait, telling both why", async () => {
    const summit = await waiting("summit");
    const gridco = await waiting("gridco");
    expect(await text("+13035550142", "902113")).toEqual({
      replayed: false,
      matched: false,
      code: false,
      outcome: "ambiguous",
    });
    expect(await codesOf([summit, gridco])).toEqual([]);
    for (const id of [summit, gridco]) {
      expect(await outcomes(id)).toEqual([["ambiguous", INBOUND_OUTCOME_MESSAGES.ambiguous]]);
    }
    expect(INBOUND_OUTCOME_MESSAGES.ambiguous).toMatch(/several connections waited/);
  });

  it("gives a code to nobody when two connections of the same utility wait", async () => {
    await waiting("summit"); // learns nothing new: 72345 is already Summit's (first case)
    const a = await waiting("summit");
    const b = await waiting("summit");
    expect(await text("72345", "480021")).toMatchObject({ outcome: "ambiguous" });
    expect(await codesOf([a, b])).toEqual([]);
    expect((await outcomes(a)).map(([o]) => o)).toEqual(["ambiguous"]);
    expect((await outcomes(b)).map(([o]) => o)).toEqual(["ambiguous"]);
  });

  it("never hands a known utility's text to another utility's waiting connection", async () => {
    const gridco = await waiting("gridco");
    expect(await text("72345", "550917")).toMatchObject({ outcome: "unknown_address" });
    expect(await codesOf([gridco])).toEqual([]);
  });

  it("counts only collections waiting within the window", async () => {
    await waiting("gridco", 45 * 60_000); // a run that asked 45 minutes ago
    const fresh = await waiting("gridco");
    expect(await text("GridCo", "227781")).toMatchObject({ outcome: "code_stored" });
    expect(await holds(fresh, "227781")).toBe(true);
  });

  it("tells two owners' forwarded codes apart by the phone each forwarded from before", async () => {
    // Weeks apart, each connection waited alone: the phone that forwarded its code is
    // remembered as its owner's.
    const a = await waiting("summit");
    expect(await text("+1 720 555 0111", "300111")).toMatchObject({ outcome: "code_stored" });
    await collected();
    const b = await waiting("summit");
    expect(await text("+17205550222", "300222")).toMatchObject({ outcome: "code_stored" });
    await collected();
    await database.db.delete(mfaCode).where(inArray(mfaCode.connectionId, [a, b]));

    // Now both wait at once: each phone's text is its own connection's.
    for (const id of [a, b]) {
      await database.db.insert(collectionRun).values({
        connectionId: id,
        companyId: (await companyOf(id)) ?? "",
        trigger: "weekly",
        status: "waiting_for_code",
        startedAt: new Date(),
      });
    }
    expect(await text("+17205550222", "400222")).toMatchObject({ outcome: "code_stored" });
    expect(await text("+17205550111", "400111")).toMatchObject({ outcome: "code_stored" });
    expect(await holds(a, "400111")).toBe(true);
    expect(await holds(b, "400222")).toBe(true);
    // A third phone is still nobody's to guess.
    expect(await text("+17205550333", "400333")).toMatchObject({ outcome: "ambiguous" });
  });

  it("does not learn a personal phone number as a utility's sender", async () => {
    const before = await sendersOf("summit");
    const summit = await waiting("summit");
    // The owner's phone forwarding the text: used (one party waits), not learned.
    expect(await text("+1 303 555 0142", "661204")).toMatchObject({ outcome: "code_stored" });
    expect(await holds(summit, "661204")).toBe(true);
    expect(await sendersOf("summit")).toEqual(before);
  });
});
