import { recipientSession } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { TContextInner } from "../../trpc";
import { activeInvitationByToken, getOrCreateRecipientSession } from "./resolve";

/** The recipient agreed to share access with the company; kept with their session. */
export async function giveConsent({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string };
}) {
  const row = await activeInvitationByToken(ctx, input.token);
  const { session } = await getOrCreateRecipientSession(ctx, row.invitation.id);
  if (!session.consentedAt) {
    await ctx.db
      .update(recipientSession)
      .set({ consentedAt: new Date() })
      .where(eq(recipientSession.id, session.id));
  }
  return { consented: true };
}
