// What the page of a link that can no longer be used may say, and its one action.
// - The page names the company and wears its branding: whoever holds the token was sent
//   it by that company and already saw both. An unknown token learns nothing.
// - "You already connected this account on …" only for the browser that did it (its
//   recipient session cookie is the actor of the `submitted` event).
// - "Ask for a new link" answers the same whatever happens (sent, already asked today,
//   a link without a sender, a link that works), so it reveals nothing about the sender
//   or the invitation, and it emails the sender at most once a day per invitation.
import { type company, emailMessage, invitation, invitationEvent, user } from "@meterlink/db";
import { invitationStatus } from "@meterlink/shared";
import { and, desc, eq, gt } from "drizzle-orm";
import { brandFontPath } from "../../http/brand-assets";
import type { TContextInner } from "../../trpc";
import { recordEvent } from "../invitations/events";
import { currentRecipientSession, findInvitationByToken } from "./resolve";

const NEW_LINK_EVERY_HOURS = 24;

export const NEUTRAL_NEW_LINK_ANSWER =
  "If the sender can be reached, they have been told you would like a new link.";

export async function deadLinkDetails({
  ctx,
  input,
}: {
  ctx: Pick<TContextInner, "db" | "cookies">;
  input: { token: string };
}) {
  const row = await findInvitationByToken(ctx, input.token);
  const status = invitationStatus(row.invitation);
  let connectedAt: string | null = null;
  if (status === "fulfilled") {
    const session = await currentRecipientSession(ctx, row.invitation.id);
    if (session) {
      const [submitted] = await ctx.db
        .select({ createdAt: invitationEvent.createdAt })
        .from(invitationEvent)
        .where(
          and(
            eq(invitationEvent.invitationId, row.invitation.id),
            eq(invitationEvent.type, "submitted"),
            eq(invitationEvent.actorType, "recipient"),
            eq(invitationEvent.actorId, session.id),
          ),
        )
        .orderBy(desc(invitationEvent.id))
        .limit(1);
      connectedAt = submitted?.createdAt.toISOString() ?? null;
    }
  }
  return {
    status,
    locale: row.invitation.locale,
    company: brandingOf(row.company),
    connectedAt,
  };
}

export async function requestNewLink({
  ctx,
  input,
}: {
  ctx: Pick<TContextInner, "db" | "cookies" | "client" | "jobs">;
  input: { token: string };
}) {
  const row = await findInvitationByToken(ctx, input.token);
  const status = invitationStatus(row.invitation);
  if (status === "active" || !row.invitation.createdBy) return { message: NEUTRAL_NEW_LINK_ANSWER };
  const session = await currentRecipientSession(ctx, row.invitation.id);
  const emailId = await ctx.db.transaction(async (tx) => {
    // The row lock makes "at most one a day" hold under concurrent clicks.
    await tx
      .select({ id: invitation.id })
      .from(invitation)
      .where(eq(invitation.id, row.invitation.id))
      .for("update");
    const [recent] = await tx
      .select({ id: invitationEvent.id })
      .from(invitationEvent)
      .where(
        and(
          eq(invitationEvent.invitationId, row.invitation.id),
          eq(invitationEvent.type, "new_link_requested"),
          gt(invitationEvent.createdAt, new Date(Date.now() - NEW_LINK_EVERY_HOURS * 3600_000)),
        ),
      )
      .limit(1);
    if (recent) return null;
    const [sender] = await tx
      .select({ email: user.email })
      .from(user)
      .where(eq(user.id, row.invitation.createdBy ?? ""));
    if (!sender) return null;
    const [message] = await tx
      .insert(emailMessage)
      .values({
        companyId: row.invitation.companyId,
        invitationId: row.invitation.id,
        kind: "new_link_request",
        to: sender.email,
      })
      .returning({ id: emailMessage.id });
    if (!message) throw new Error("email insert returned nothing");
    await recordEvent(tx, {
      invitationId: row.invitation.id,
      type: "new_link_requested",
      actor: { type: "recipient", id: session?.id ?? null },
      client: ctx.client,
      data: { status, emailId: message.id },
    });
    return message.id;
  });
  if (emailId) await ctx.jobs.emailsQueued([emailId]);
  return { message: NEUTRAL_NEW_LINK_ANSWER };
}

function brandingOf(row: typeof company.$inferSelect) {
  return {
    displayName: row.displayName,
    logoUrl: row.logoUrl,
    primaryColor: row.primaryColor,
    accentColor: row.accentColor,
    font: row.font,
    fontUrl: row.fontFile ? brandFontPath(row.id, row.fontFile) : null,
    whiteLabel: row.whiteLabel,
  };
}
