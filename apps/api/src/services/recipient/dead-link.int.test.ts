// "Ask for a new link" reveals nothing: the same answer for a working link, a link
// without a sender and a dead one, and at most one email to the sender a day.
import { emailMessage, invitation, invitationEvent } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { NEUTRAL_NEW_LINK_ANSWER } from "./dead-link";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function newLinkEmails(invitationId: string) {
  return await database.db
    .select()
    .from(emailMessage)
    .where(
      and(eq(emailMessage.invitationId, invitationId), eq(emailMessage.kind, "new_link_request")),
    );
}

describe("recipient.requestNewLink", () => {
  it("answers the same for a working link and sends nothing", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const recipient = recipientBrowser(database.db);
    await expect(
      recipient.caller.recipient.requestNewLink({ token: tokenOf(created.url) }),
    ).resolves.toEqual({ message: NEUTRAL_NEW_LINK_ANSWER });
    expect(await newLinkEmails(created.id)).toHaveLength(0);
    expect(recipient.jobs.emails).toEqual([]);
  });

  it("emails the sender of a revoked link once, however many ask, and logs who asked", async () => {
    const { caller, admin } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    await caller.admin.invitations.revoke({ id: created.id });
    const token = tokenOf(created.url);
    const askers = Array.from({ length: 5 }, () => recipientBrowser(database.db));
    const answers = await Promise.all(
      askers.map((asker) => asker.caller.recipient.requestNewLink({ token })),
    );
    expect(new Set(answers.map((answer) => answer.message))).toEqual(
      new Set([NEUTRAL_NEW_LINK_ANSWER]),
    );
    const emails = await newLinkEmails(created.id);
    expect(emails.map((email) => email.to)).toEqual([admin.email]);
    const events = await database.db
      .select()
      .from(invitationEvent)
      .where(
        and(
          eq(invitationEvent.invitationId, created.id),
          eq(invitationEvent.type, "new_link_requested"),
        ),
      );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "recipient", data: { status: "revoked" } });
  });

  it("does not tell another browser when a used-up link was completed", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    await database.db.update(invitation).set({ uses: 1 }).where(eq(invitation.id, created.id));
    const stranger = recipientBrowser(database.db);
    await expect(stranger.caller.recipient.deadLink({ token })).resolves.toMatchObject({
      status: "fulfilled",
      connectedAt: null,
    });
  });
});
