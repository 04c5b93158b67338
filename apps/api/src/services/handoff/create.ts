// "The phone is with someone else": the recipient hands their live sign-in to a colleague
// with a single-use link, valid 30 minutes, that opens the same remote browser on the
// colleague's device (services/handoff/open.ts). Only the link's hash is stored; the link
// itself is returned once, to the recipient who asked, and never logged.
import { handoffLink, loginSession } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq } from "drizzle-orm";
import { hashToken, newToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { activeInvitationByToken, requireRecipientSession } from "../recipient/resolve";
import { requireFleet } from "../recipient/start-login";

export const HANDOFF_MINUTES = 30;

export async function createHandoff({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; loginSessionId: string; name: string };
}) {
  requireFleet(ctx);
  const row = await activeInvitationByToken(ctx, input.token);
  const session = await requireRecipientSession(ctx, row);
  const [login] = await ctx.db
    .select({ id: loginSession.id, endedAt: loginSession.endedAt })
    .from(loginSession)
    .where(
      and(
        eq(loginSession.id, input.loginSessionId),
        eq(loginSession.recipientSessionId, session.id),
        eq(loginSession.mode, "interactive"),
      ),
    );
  if (!login) throw new AppError("NOT_FOUND", "This sign-in session was not found. Start again.");
  if (login.endedAt) {
    throw new AppError(
      "CONFLICT",
      "This sign-in session has ended. Start it again, then hand it over.",
    );
  }
  const secret = newToken();
  const expiresAt = new Date(Date.now() + HANDOFF_MINUTES * 60_000);
  await ctx.db.insert(handoffLink).values({
    tokenHash: hashToken(secret),
    loginSessionId: login.id,
    recipientSessionId: session.id,
    helperName: input.name,
    expiresAt,
  });
  return { url: `${ctx.config.publicUrl}/p/h/${secret}`, expiresAt, helperName: input.name };
}
