import { emailVerification, recipientSession } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq, gt, isNull } from "drizzle-orm";
import { hashToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { recordEvent } from "../invitations/events";
import { activeInvitationByToken, getOrCreateRecipientSession } from "./resolve";

/**
 * The confirm button behind the verification email's link. It verifies the browser that
 * opened the link and pressed the button, which has just proved it reads that inbox,
 * and only that browser: the session that asked for the email proved nothing (anyone
 * holding the invitation link can ask for a victim's address, and must not ride on the
 * victim's click). A mutation, so a mail scanner fetching the link (GET) verifies
 * nothing; the page asks for a click first.
 */
export async function verifyEmail({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; code: string };
}) {
  const { invitation } = await activeInvitationByToken(ctx, input.token);
  const { session } = await getOrCreateRecipientSession(ctx, invitation.id);
  const verification = await ctx.db.transaction(async (tx) => {
    const [used] = await tx
      .update(emailVerification)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(emailVerification.tokenHash, hashToken(input.code)),
          eq(emailVerification.invitationId, invitation.id),
          isNull(emailVerification.usedAt),
          gt(emailVerification.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!used) return null;
    await tx
      .update(recipientSession)
      .set({ verifiedEmail: used.email })
      .where(eq(recipientSession.id, session.id));
    await recordEvent(tx, {
      invitationId: invitation.id,
      type: "email_verified",
      actor: { type: "recipient", id: session.id },
      client: ctx.client,
      data: { email: used.email, sameBrowser: used.recipientSessionId === session.id },
    });
    return used;
  });
  if (!verification) {
    throw new AppError(
      "BAD_REQUEST",
      "This verification link has expired or was already used. Go back to the invitation and ask for a new one.",
      { reason: "verificationLinkUsed" },
    );
  }
  return { verified: true, email: verification.email };
}
