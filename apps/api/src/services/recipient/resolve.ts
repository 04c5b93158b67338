// Everything a recipient request starts with: the invitation behind the token, its
// company, and this browser's recipient session (an httpOnly cookie per invitation).
import { company, invitation, recipientSession } from "@meterlink/db";
import { AppError, invitationStatus, type TInvitationStatus } from "@meterlink/shared";
import { and, eq, gt } from "drizzle-orm";
import { hashToken, newToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";

const SESSION_DAYS = 7;

/** One clear answer per dead link, saying nothing else about the company. */
const DEAD_LINK: Record<Exclude<TInvitationStatus, "active">, AppError> = {
  revoked: new AppError(
    "INVITATION_REVOKED",
    "This link has been cancelled by the sender. Ask them for a new one.",
  ),
  expired: new AppError(
    "INVITATION_EXPIRED",
    "This link has expired. Ask the person who sent it for a new one.",
  ),
  fulfilled: new AppError(
    "INVITATION_FULFILLED",
    "This link has already been used. If you still need to connect an account, ask the sender for a new link.",
  ),
};

export const INVALID_LINK = new AppError(
  "INVITATION_INVALID",
  "This link is not valid. Check that you opened the whole link from your email, or ask the sender for a new one.",
);

export function deadLinkError(status: Exclude<TInvitationStatus, "active">): AppError {
  return DEAD_LINK[status];
}

export async function findInvitationByToken(ctx: Pick<TContextInner, "db">, token: string) {
  const [row] = await ctx.db
    .select({ invitation, company })
    .from(invitation)
    .innerJoin(company, eq(company.id, invitation.companyId))
    .where(eq(invitation.tokenHash, hashToken(token)));
  if (!row) throw INVALID_LINK;
  return row;
}

/** The invitation, refused unless it can still be used. */
export async function activeInvitationByToken(ctx: Pick<TContextInner, "db">, token: string) {
  const row = await findInvitationByToken(ctx, token);
  const status = invitationStatus(row.invitation);
  if (status !== "active") throw deadLinkError(status);
  return row;
}

export function recipientCookieName(invitationId: string): string {
  return `ml_rs_${invitationId.replaceAll("-", "").slice(0, 12)}`;
}

export async function currentRecipientSession(
  ctx: Pick<TContextInner, "db" | "cookies">,
  invitationId: string,
) {
  const cookie = ctx.cookies.get(recipientCookieName(invitationId));
  if (!cookie) return null;
  const [session] = await ctx.db
    .select()
    .from(recipientSession)
    .where(
      and(
        eq(recipientSession.tokenHash, hashToken(cookie)),
        eq(recipientSession.invitationId, invitationId),
        gt(recipientSession.expiresAt, new Date()),
      ),
    );
  return session ?? null;
}

export async function getOrCreateRecipientSession(
  ctx: Pick<TContextInner, "db" | "cookies">,
  invitationId: string,
) {
  const existing = await currentRecipientSession(ctx, invitationId);
  if (existing) return { session: existing, created: false };
  const token = newToken();
  const [session] = await ctx.db
    .insert(recipientSession)
    .values({
      invitationId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000),
    })
    .returning();
  if (!session) throw new Error("recipient session insert returned nothing");
  ctx.cookies.set(recipientCookieName(invitationId), token, {
    maxAgeSeconds: SESSION_DAYS * 24 * 60 * 60,
  });
  return { session, created: true };
}

/** A session allowed to go past the verification step. */
export async function requireRecipientSession(
  ctx: Pick<TContextInner, "db" | "cookies">,
  row: { invitation: typeof invitation.$inferSelect },
) {
  const session = await currentRecipientSession(ctx, row.invitation.id);
  if (!session) {
    throw new AppError(
      "UNAUTHORIZED",
      "Your session has ended. Open the link from your email again to continue.",
      { reason: "sessionEnded" },
    );
  }
  if (row.invitation.allowedEmails.length && !session.verifiedEmail) {
    throw new AppError(
      "VERIFICATION_REQUIRED",
      "Confirm your email address first: we sent you a link.",
      { reason: "verificationRequired" },
    );
  }
  return session;
}
