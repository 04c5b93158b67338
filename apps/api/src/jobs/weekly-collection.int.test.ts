// The weekly collection of MFA utilities, end to end with a moved clock: connections that
// became active with their first bills at T are not due a day later, are made due by the
// sweeper a week later, and the real job runner logs in with a real browser worker; the
// sandbox portal sends a code (Summit Gas by SMS, Lakeside by email), the test forwards
// it the way the owner's phone and mailbox would (a Twilio-signed webhook; the inbound
// SMTP listener), the code is used, the bills stored, and the connections stay active.
// Only the sweeper's notion of "now" is moved (its `now` parameter): pg-boss, the
// browser and the code's validity run on the real clock.
import { randomBytes } from "node:crypto";
import { collectionRun, connection } from "@meterlink/db";
import { desc, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { startCollectionWorld, type TCollectionWorld } from "../../test/collection";
import { silentLog, TEST_INBOUND } from "../../test/factories";
import { TEST_ENV, TEST_VAULT_PRIVATE_JWK } from "../../test/keys";
import { eventually } from "../../test/processes";
import { loadApiEnv } from "../env";
import { startInboundSmtp } from "../inbound/smtp";
import { markCollected } from "../services/bills/store";
import { startJobRunner } from "./runner";

const FLEET_TOKEN = "weekly-collection-fleet-token";
const TWILIO_TOKEN = randomBytes(16).toString("hex");
const TWILIO_URL = "https://app.example.com/hooks/twilio/sms";
const DAY_MS = 24 * 3600_000;

let world: TCollectionWorld;

beforeAll(async () => {
  world = await startCollectionWorld({ fleetToken: FLEET_TOKEN, headlessCapacity: 2 });
});
afterAll(async () => {
  await world?.close();
});

/**
 * The connection as the recipient's live session leaves it (services/bills/first-bills.ts):
 * its first collection run, succeeded at this moment, and the connection active.
 */
async function activeSinceNow(connectionId: string) {
  const db = world.database.db;
  const [conn] = await db.select().from(connection).where(eq(connection.id, connectionId));
  if (!conn) throw new Error("no connection");
  await db.insert(collectionRun).values({
    connectionId,
    companyId: conn.companyId,
    trigger: "first",
    status: "succeeded",
    billsFound: 0,
    billsNew: 0,
    endedAt: new Date(),
  });
  await markCollected(db, conn);
}

async function runsOf(connectionId: string) {
  return await world.database.db
    .select()
    .from(collectionRun)
    .where(eq(collectionRun.connectionId, connectionId))
    .orderBy(desc(collectionRun.startedAt));
}

async function waitingForCode(connectionId: string) {
  await eventually(
    async () => {
      const [latest] = await runsOf(connectionId);
      if (latest?.trigger !== "weekly" || latest.status !== "waiting_for_code")
        throw new Error(
          `the weekly run is ${latest?.trigger} ${latest?.status} (${latest?.reason}), not waiting`,
        );
    },
    { timeoutMs: 30_000 },
  );
}

describe("weekly collection a week later", () => {
  it("logs in again, the portal sends a code, the forwarded code is used, bills stored", async () => {
    const { app } = await createTestApp(world.database.url, {
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_WEBHOOK_URL: TWILIO_URL,
    });
    const smtp = await startInboundSmtp(
      {
        db: world.database.db,
        log: silentLog,
        tokenKey: world.deps.tokenKey,
        inbound: TEST_INBOUND,
      },
      { host: "127.0.0.1", port: 0 },
    );
    const env = loadApiEnv({
      NODE_ENV: "test",
      DATABASE_URL: world.database.url,
      PUBLIC_URL: "http://localhost:3000",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      ...TEST_ENV,
      FLEET_TOKEN,
      FLEET_HEARTBEAT_TTL_MS: "3600000",
      VAULT_PRIVATE_KEY: JSON.stringify(TEST_VAULT_PRIVATE_JWK),
      STORAGE_DIR: world.storageDir,
    });
    const runner = await startJobRunner({
      db: world.database.db,
      env,
      log: silentLog,
      timing: { pollingIntervalSeconds: 0.5 },
      collectionTiming: {
        pollingIntervalSeconds: 0.5,
        mfaWaitMs: world.deps.mfaWaitMs,
        codePollMs: world.deps.codePollMs,
        workerCallTimeoutMs: world.deps.workerCallTimeoutMs,
        // Only the test's own sweeps (with a moved clock) enqueue.
        sweepIntervalMs: 3_600_000,
      },
    });
    try {
      const collection = runner.collection;
      if (!collection?.collecting) throw new Error("the runner does not collect");
      const summit = await world.connect("sandbox-summit", "alice@example.com", "correct-horse-1");
      await world.database.db
        .update(connection)
        .set({ smsNumber: "+15550100042" })
        .where(eq(connection.id, summit.connectionId));
      const lake = await world.connect("sandbox-lakeside", "alice@example.com", "correct-horse-1");
      const lakeAddress = (await lake.caller.admin.connections.get({ id: lake.connectionId }))
        .forwarding.email;
      // T: both became active with their first bills in the recipient's live session.
      const t = Date.now();
      await activeSinceNow(summit.connectionId);
      await activeSinceNow(lake.connectionId);

      // A day later nothing is due: no second login, so no second code to forward.
      expect(await collection.sweep(new Date(t + DAY_MS))).toBe(0);
      expect(await collection.sweep(new Date(t + 6 * DAY_MS))).toBe(0);
      // A week later both are.
      expect(await collection.sweep(new Date(t + 7 * DAY_MS + 60_000))).toBe(2);

      // Summit texts the code to the owner's phone, which forwards it to the connection's
      // number through Twilio.
      await waitingForCode(summit.connectionId);
      const sms = await eventually(async () => {
        const sent = await world.sentCode("summit", "alice@example.com");
        if (!sent) throw new Error("Summit has not texted a code yet");
        return sent;
      });
      const params = {
        MessageSid: `SM${randomBytes(16).toString("hex")}`,
        From: "+13035550199",
        To: "+15550100042",
        Body: sms.text,
      };
      const texted = await app.inject({
        method: "POST",
        url: "/hooks/twilio/sms",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilio.getExpectedTwilioSignature(TWILIO_TOKEN, TWILIO_URL, params),
        },
        payload: new URLSearchParams(params).toString(),
      });
      expect(texted.statusCode).toBe(200);

      // Lakeside mails it; the owner's mailbox rule forwards it to our SMTP listener.
      await waitingForCode(lake.connectionId);
      const mail = await eventually(async () => {
        const sent = await world.sentCode("lakeside", "alice@example.com");
        if (!sent) throw new Error("Lakeside has not mailed a code yet");
        return sent;
      });
      await nodemailer
        .createTransport({ host: "127.0.0.1", port: smtp.port, secure: false })
        .sendMail({
          from: "Alice <alice@example.com>",
          to: lakeAddress,
          subject: "Fwd: Your Lakeside security code",
          text: `---------- Forwarded message ---------\nFrom: Lakeside <no-reply@lakeside.test>\n\n${mail.text}`,
        });

      for (const { caller, connectionId } of [summit, lake]) {
        const view = await eventually(
          async () => {
            const current = await caller.admin.connections.get({ id: connectionId });
            if (current.runs[0]?.status !== "succeeded")
              throw new Error(`the weekly run is ${current.runs[0]?.status}`);
            return current;
          },
          { timeoutMs: 60_000 },
        );
        expect(view.status).toBe("active");
        expect(view.statusReason).toBeNull();
        expect(view.runs.map((r) => [r.trigger, r.status])).toEqual([
          ["weekly", "succeeded"],
          ["first", "succeeded"],
        ]);
        expect(view.runs[0]?.billsNew).toBeGreaterThan(0);
        expect(view.bills.length).toBe(view.runs[0]?.billsNew);
        expect(view.forwarding.messages.map((m) => m.outcome)).toEqual(["code_stored"]);
      }
      // Once collected, the next week starts over: a day after this run nothing is due.
      expect(await collection.sweep(new Date(Date.now() + DAY_MS))).toBe(0);
    } finally {
      await runner.stop();
      await smtp.close();
      await app.close();
    }
  }, 150_000);
});
