import { emailVerification, recipientSession } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq, gt, isNull } from "drizzle-orm";
import { hashToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { recordEvent } from "../invitations/events";
import { activeInvitationByToken, getOrCreateRecipientSession } from "./resolve";

/**
 * The one-click link from the verification email. It verifies the browser session that
 * asked for it (the recipient's first tab sees it on its next check) and the browser
 * that clicked, which has just proved it reads that inbox.
 */
export async function verifyEmail({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; code: string };
}) {
  const { invitation } = await activeInvitationByToken(ctx, input.token);
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
      .where(eq(recipientSession.id, used.recipientSessionId));
    await recordEvent(tx, {
      invitationId: invitation.id,
      type: "email_verified",
      actor: { type: "recipient", id: used.recipientSessionId },
      client: ctx.client,
      data: { email: used.email },
    });
    return used;
  });
  if (!verification) {
    throw new AppError(
      "BAD_REQUEST",
      "This verification link has expired or was already used. Go back to the invitation and ask for a new one.",
    );
  }
  const { session } = await getOrCreateRecipientSession(ctx, invitation.id);
  if (session.id !== verification.recipientSessionId) {
    await ctx.db
      .update(recipientSession)
      .set({ verifiedEmail: verification.email })
      .where(eq(recipientSession.id, session.id));
  }
  return { verified: true, email: verification.email };
}
