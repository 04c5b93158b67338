// Handing the live sign-in to a colleague: a single-use, 30-minute link that opens the
// same login session's stream on another device. The link works for the first browser
// that opens it (and lets it reconnect), not for a second one, not after 30 minutes, not
// after the session ended; only its hash is stored; another recipient cannot hand over a
// session that is not theirs.
import { handoffLink, loginSession, recipientSession } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, cookieJar } from "../../../test/factories";
import { adminWorld, manualContributor, tokenOf } from "../../../test/invitations";
import { redeemStreamTicket } from "../fleet/tickets";

let database: TTestDatabase;
const fleet = { token: "handoff-test-fleet-token", heartbeatTtlMs: 60_000, queueMaxMs: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const browser = () => {
  const cookies = cookieJar();
  return callerFor(database.db, null, { cookies, fleet });
};

/** A recipient in the middle of a live sign-in (the login session a worker would hold). */
async function liveRecipient() {
  const world = await adminWorld(database.db);
  const created = await world.caller.admin.invitations.create(manualContributor());
  const token = tokenOf(created.url);
  const recipient = browser();
  await recipient.recipient.open({ token });
  await recipient.recipient.consent({ token });
  const [session] = await database.db
    .select()
    .from(recipientSession)
    .where(eq(recipientSession.invitationId, created.id));
  const [login] = await database.db
    .insert(loginSession)
    .values({ invitationId: created.id, recipientSessionId: session?.id, mode: "interactive" })
    .returning();
  if (!login) throw new Error("no login session");
  return { token, recipient, loginSessionId: login.id };
}

const secretOf = (url: string) => new URL(url).pathname.split("/").pop() ?? "";
const ticketOf = (streamUrl: string) =>
  new URL(streamUrl, "http://x").searchParams.get("ticket") ?? "";

describe("hand-off link", () => {
  it("opens the same live session on the colleague's device, once", async () => {
    const { token, recipient, loginSessionId } = await liveRecipient();
    const link = await recipient.handoff.create({ token, loginSessionId, name: "Sam" });
    expect(link.url).toMatch(/^http:\/\/localhost:3000\/p\/h\/[A-Za-z0-9_-]{40,}$/);
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    const handoff = secretOf(link.url);

    const colleague = browser();
    // The first screen names who enters the code, and claims nothing yet.
    expect(await browser().handoff.peek({ handoff })).toMatchObject({ helperName: "Sam" });
    const opened = await colleague.handoff.open({ handoff });
    expect(opened).toMatchObject({ loginSessionId, helperName: "Sam" });
    // A real stream ticket for that session: the relay lets the colleague in.
    expect(await redeemStreamTicket(database.db, loginSessionId, ticketOf(opened.streamUrl))).toBe(
      true,
    );
    // The same device may reconnect (a new ticket each time).
    const again = await colleague.handoff.open({ handoff });
    expect(ticketOf(again.streamUrl)).not.toBe(ticketOf(opened.streamUrl));
    expect(await colleague.handoff.status({ handoff })).toEqual({ outcome: null, ended: false });

    // Used twice, from another device: refused, clearly.
    await expect(browser().handoff.open({ handoff })).rejects.toThrow(
      /already used on another device/,
    );
    await expect(browser().handoff.status({ handoff })).rejects.toThrow(/already used/);
    await expect(browser().handoff.peek({ handoff })).rejects.toThrow(/already used/);

    // Only the hash is stored: a dump yields no working link.
    const dump = JSON.stringify(await database.db.execute(sql`select * from handoff_link`));
    expect(dump).not.toContain(handoff);

    // The portal accepted the code: the session ended with success, and the link says so.
    await database.db
      .update(loginSession)
      .set({ endedAt: new Date(), outcome: "success" })
      .where(eq(loginSession.id, loginSessionId));
    expect(await colleague.handoff.status({ handoff })).toEqual({
      outcome: "success",
      ended: true,
    });
    await expect(colleague.handoff.open({ handoff })).rejects.toThrow(/sign-in is complete/);
  });

  it("says so after 30 minutes, after the session ended, and for an unknown link", async () => {
    const { token, recipient, loginSessionId } = await liveRecipient();
    const link = await recipient.handoff.create({ token, loginSessionId, name: "Sam" });
    await database.db
      .update(handoffLink)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(handoffLink.loginSessionId, loginSessionId));
    await expect(browser().handoff.open({ handoff: secretOf(link.url) })).rejects.toThrow(
      /expired \(links last 30 minutes\)/,
    );

    const fresh = await recipient.handoff.create({ token, loginSessionId, name: "Sam" });
    await database.db
      .update(loginSession)
      .set({ endedAt: new Date(), outcome: "abandoned" })
      .where(eq(loginSession.id, loginSessionId));
    await expect(browser().handoff.open({ handoff: secretOf(fresh.url) })).rejects.toThrow(
      /has ended\. Ask the person who sent it to start again/,
    );
    await expect(recipient.handoff.create({ token, loginSessionId, name: "Sam" })).rejects.toThrow(
      /has ended/,
    );
    await expect(browser().handoff.open({ handoff: "x".repeat(43) })).rejects.toThrow(/not valid/);
  });

  it("refuses to hand over a session that is not the caller's", async () => {
    const mine = await liveRecipient();
    const other = await liveRecipient();
    await expect(
      other.recipient.handoff.create({
        token: other.token,
        loginSessionId: mine.loginSessionId,
        name: "Sam",
      }),
    ).rejects.toThrow(/not found/);
  });
});
