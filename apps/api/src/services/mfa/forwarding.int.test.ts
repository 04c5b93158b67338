// The recipient's MFA step proves forwarding: the address and the deployment's number are
// shown, "received ✓" turns on when a message arrives there (by email, or by text to the
// shared number while this recipient is the one testing), the test messages become the
// connection's forwarding activity, and a recipient who skipped leaves the admin a
// "MFA forwarding not set up" notice on the connection.
import { collectionRun, connection, mfaCode } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLog } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { decryptSecret, parseKey } from "../../lib/tokens";
import { upsertProviders } from "../../seed";
import type { TInboundConfig } from "../connections/forwarding";
import { receiveForwardedMessage } from "./receive";

const INBOUND: TInboundConfig = {
  emailDomain: "inbound.meterlink.test",
  smsNumber: "+15550100999",
};
let database: TTestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await upsertProviders(
    database.db,
    sandboxProviders("http://127.0.0.1:9").map((p) => ({
      id: p.id,
      name: p.name,
      country: p.country,
      loginUrl: p.loginUrl,
      allowedHostnames: p.allowedHostnames,
      utilityTypes: p.utilityTypes,
      mfa: p.mfa,
      isSandbox: true,
      rules: p.rules,
    })),
  );
});
afterAll(async () => {
  await database?.close();
});

const deps = () => ({
  db: database.db,
  log: silentLog,
  tokenKey: parseKey(TEST_TOKEN_KEY),
  inbound: INBOUND,
});

async function recipientAtMfaStep() {
  const world = await adminWorld(database.db);
  const created = await world.caller.admin.invitations.create(manualContributor());
  const token = tokenOf(created.url);
  const recipient = recipientBrowser(database.db, { inbound: INBOUND });
  await recipient.caller.recipient.open({ token });
  await recipient.caller.recipient.consent({ token });
  const complete = () =>
    recipient.caller.recipient.complete({
      token,
      provider: { kind: "catalog", providerId: "sandbox-summit" },
      credential: { method: "manual", username: "alice@example.com", password: "correct-horse-1" },
    });
  return { ...world, token, recipient, complete };
}

describe("the MFA step proves forwarding", () => {
  it("shows the address and number, then received ✓ for an email and a text", async () => {
    const { token, recipient, caller, complete } = await recipientAtMfaStep();
    const shown = await recipient.caller.recipient.forwarding({ token });
    expect(shown.email).toMatch(/^c-[0-9a-f]{12}@inbound\.meterlink\.test$/);
    expect(shown.sms).toBe("+15550100999");
    expect(shown.received).toEqual({ email: false, sms: false });
    // Polling again keeps the same address.
    expect((await recipient.caller.recipient.forwarding({ token })).email).toBe(shown.email);

    await receiveForwardedMessage(deps(), {
      channel: "email",
      source: "smtp",
      deliveryId: null,
      to: [shown.email],
      text: "Fwd: hello, testing my forwarding rule",
    });
    expect((await recipient.caller.recipient.forwarding({ token })).received).toEqual({
      email: true,
      sms: false,
    });
    // A text to the shared number: this recipient is the only one testing, so it is theirs.
    const text = await receiveForwardedMessage(deps(), {
      channel: "sms",
      source: "twilio",
      deliveryId: `twilio:SM-${Math.random()}`,
      to: ["+1 555 010 0999"],
      text: "test",
    });
    expect(text).toMatchObject({ matched: true, outcome: "received" });
    expect((await recipient.caller.recipient.forwarding({ token })).received).toEqual({
      email: true,
      sms: true,
    });

    const done = await complete();
    const view = await caller.admin.connections.get({ id: done.connectionId });
    expect(view.forwarding.email).toBe(shown.email);
    expect(view.forwarding.setUp).toBe(true);
    expect(view.forwarding.notice).toBeNull();
    expect(view.forwarding.messages.map((m) => [m.channel, m.outcome]).sort()).toEqual([
      ["email", "received"],
      ["sms", "received"],
    ]);
  });

  it("gives a text to the shared number to nobody while two recipients are testing", async () => {
    const first = await recipientAtMfaStep();
    const second = await recipientAtMfaStep();
    await first.recipient.caller.recipient.forwarding({ token: first.token });
    await second.recipient.caller.recipient.forwarding({ token: second.token });
    const text = await receiveForwardedMessage(deps(), {
      channel: "sms",
      source: "twilio",
      deliveryId: `twilio:SM-${Math.random()}`,
      to: ["+15550100999"],
      text: "test",
    });
    expect(text).toMatchObject({ matched: false, outcome: "ambiguous" });
    for (const { recipient, token } of [first, second]) {
      const shown = await recipient.caller.recipient.forwarding({ token });
      expect(shown.received.sms).toBe(false);
      // Each page can say a text came that could not be told to be theirs.
      expect(shown.unclaimedSms).toBe(true);
    }
    // Both leave the step (complete); the next text no longer claims either.
    await first.complete();
    await second.complete();
  });

  it("tells two recipients testing at once apart by the word each is shown, then by their phone", async () => {
    const first = await recipientAtMfaStep();
    const second = await recipientAtMfaStep();
    const shownFirst = await first.recipient.caller.recipient.forwarding({ token: first.token });
    const shownSecond = await second.recipient.caller.recipient.forwarding({ token: second.token });
    expect(shownFirst.unclaimedSms).toBe(false);
    expect(shownFirst.smsWord).toMatch(/^[A-Z]{6}$/);
    expect(shownSecond.smsWord).toMatch(/^[A-Z]{6}$/);
    expect(shownSecond.smsWord).not.toBe(shownFirst.smsWord);
    const sms = (from: string, text: string) =>
      receiveForwardedMessage(deps(), {
        channel: "sms",
        source: "twilio",
        deliveryId: `twilio:SM-${Math.random()}`,
        to: ["+15550100999"],
        from,
        text,
      });
    const received = async (who: typeof first) =>
      (await who.recipient.caller.recipient.forwarding({ token: who.token })).received.sms;

    // Each texts the word their page shows, in any case, from their own phone.
    expect(await sms("+1 303 555 0101", `test ${shownFirst.smsWord?.toLowerCase()}`)).toMatchObject(
      {
        matched: true,
        outcome: "received",
      },
    );
    expect([await received(first), await received(second)]).toEqual([true, false]);
    expect(await sms("+13035550202", `${shownSecond.smsWord}`)).toMatchObject({ matched: true });
    expect([await received(first), await received(second)]).toEqual([true, true]);

    // From then on their phones tell them apart: the second owner's next forwarded text
    // (no word) is theirs, though both still test.
    expect(await sms("+13035550202", "Fwd: Summit Gas code 112233")).toMatchObject({
      matched: true,
      outcome: "received",
    });
    // Once connected, a code each forwards while both weekly collections wait goes to
    // the right connection.
    const doneFirst = await first.complete();
    const doneSecond = await second.complete();
    for (const done of [doneFirst, doneSecond]) {
      const [conn] = await database.db
        .select({ companyId: connection.companyId })
        .from(connection)
        .where(eq(connection.id, done.connectionId));
      await database.db.insert(collectionRun).values({
        connectionId: done.connectionId,
        companyId: conn?.companyId ?? "",
        trigger: "weekly",
        status: "waiting_for_code",
        startedAt: new Date(),
      });
    }
    expect(await sms("+13035550101", "Your Summit Gas code is 480021")).toMatchObject({
      outcome: "code_stored",
    });
    expect(await sms("+13035550202", "Your Summit Gas code is 771903")).toMatchObject({
      outcome: "code_stored",
    });
    const codes = await database.db
      .select({ connectionId: mfaCode.connectionId, code: mfaCode.codeEncrypted })
      .from(mfaCode)
      .where(inArray(mfaCode.connectionId, [doneFirst.connectionId, doneSecond.connectionId]));
    const tokenKey = parseKey(TEST_TOKEN_KEY);
    expect(
      Object.fromEntries(codes.map((row) => [row.connectionId, decryptSecret(row.code, tokenKey)])),
    ).toEqual({ [doneFirst.connectionId]: "480021", [doneSecond.connectionId]: "771903" });
    await database.db
      .update(collectionRun)
      .set({ status: "succeeded", endedAt: new Date() })
      .where(eq(collectionRun.status, "waiting_for_code"));
  });

  it("tells the admin 'MFA forwarding not set up' when the recipient skipped the test", async () => {
    const { caller, complete } = await recipientAtMfaStep();
    const done = await complete();
    const view = await caller.admin.connections.get({ id: done.connectionId });
    expect(view.forwarding).toMatchObject({ needed: true, setUp: false, messages: [] });
    expect(view.forwarding.notice).toMatch(/^MFA forwarding not set up/);
  });
});
