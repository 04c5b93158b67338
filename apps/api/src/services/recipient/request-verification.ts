import { emailMessage, emailVerification } from "@meterlink/db";
import { encryptSecret, hashToken, newToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { recordEvent } from "../invitations/events";
import { activeInvitationByToken, getOrCreateRecipientSession } from "./resolve";

const VERIFICATION_MINUTES = 30;

export const NEUTRAL_VERIFICATION_ANSWER =
  "If this address can use the invitation, we have sent it a link. Check your inbox (and spam folder).";

/**
 * Emails a verification link to an address on the allow-list. Every address gets the
 * same answer, so the list can't be probed. The link verifies the browser that opens
 * it and confirms (verify-email.ts), never the one that asked: asking proves nothing.
 * Bounded per address and per invitation, so a link holder cannot mail-bomb anyone.
 */
export async function requestVerification({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; email: string; locale?: string; timeZone?: string };
}) {
  const { invitation } = await activeInvitationByToken(ctx, input.token);
  const { session } = await getOrCreateRecipientSession(ctx, invitation.id);
  const email = input.email.toLowerCase();
  // Counted before the allow-list check, for listed and unlisted addresses alike: a
  // limit that only listed addresses hit would tell a prober which ones are listed.
  await ctx.config.rateLimits.verificationEmail(email, invitation.id);
  if (!invitation.allowedEmails.includes(email)) return { message: NEUTRAL_VERIFICATION_ANSWER };

  const code = newToken();
  const emailId = await ctx.db.transaction(async (tx) => {
    const [verification] = await tx
      .insert(emailVerification)
      .values({
        invitationId: invitation.id,
        recipientSessionId: session.id,
        email,
        tokenHash: hashToken(code),
        expiresAt: new Date(Date.now() + VERIFICATION_MINUTES * 60 * 1000),
      })
      .returning({ id: emailVerification.id });
    if (!verification) throw new Error("verification insert returned nothing");
    const [message] = await tx
      .insert(emailMessage)
      .values({
        companyId: invitation.companyId,
        invitationId: invitation.id,
        kind: "verification",
        to: email,
        payload: {
          verificationId: verification.id,
          codeCiphertext: encryptSecret(code, ctx.config.tokenKey),
          // Written in the page's language and time zone, not the invitation's defaults.
          ...(input.locale ? { locale: input.locale } : {}),
          ...(input.timeZone ? { timeZone: input.timeZone } : {}),
        },
      })
      .returning({ id: emailMessage.id });
    if (!message) throw new Error("email insert returned nothing");
    await recordEvent(tx, {
      invitationId: invitation.id,
      type: "verification_sent",
      actor: { type: "recipient", id: session.id },
      client: ctx.client,
      data: { to: email, emailId: message.id },
    });
    return message.id;
  });
  await ctx.jobs.emailsQueued([emailId]);
  return { message: NEUTRAL_VERIFICATION_ANSWER };
}
