// Everything a recipient request starts with: the invitation behind the token, its
// company, and this browser's recipient session (an httpOnly cookie per invitation).
import { company, invitation, recipientSession } from "@meterlink/db";
import { AppError, invitationStatus, type TInvitationStatus } from "@meterlink/shared";
import { and, eq, gt } from "drizzle-orm";
import { hashToken, newToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import type { TInvitationRow } from "./invitation-cache";

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

async function selectByTokenHash(
  ctx: Pick<TContextInner, "db">,
  tokenHash: string,
): Promise<TInvitationRow | undefined> {
  const [row] = await ctx.db
    .select({ invitation, company })
    .from(invitation)
    .innerJoin(company, eq(company.id, invitation.companyId))
    .where(eq(invitation.tokenHash, tokenHash));
  return row;
}

/** Always read from the database (completion and dead-link answers must be current). */
export async function findInvitationByToken(ctx: Pick<TContextInner, "db">, token: string) {
  const row = await selectByTokenHash(ctx, hashToken(token));
  if (!row) throw INVALID_LINK;
  return row;
}

/**
 * The invitation, refused unless it can still be used. Through the server's invitation
 * cache when it has one (invitation-cache.ts: the status is still computed here, per call).
 */
export async function activeInvitationByToken(
  ctx: Pick<TContextInner, "db"> & { config?: Pick<TContextInner["config"], "invitationCache"> },
  token: string,
) {
  const tokenHash = hashToken(token);
  const cache = ctx.config?.invitationCache;
  const row = cache
    ? await cache.get(tokenHash, () => selectByTokenHash(ctx, tokenHash))
    : await selectByTokenHash(ctx, tokenHash);
  if (!row) throw INVALID_LINK;
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

/**
 * A new browser's session: the row to insert and the cookie to set once it is stored
 * (open.ts inserts it in one statement with the `viewed` event).
 */
export function newRecipientSession(
  ctx: Pick<TContextInner, "cookies">,
  invitationId: string,
): { values: typeof recipientSession.$inferInsert; setCookie: () => void } {
  const token = newToken();
  return {
    values: {
      invitationId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000),
    },
    setCookie: () =>
      ctx.cookies.set(recipientCookieName(invitationId), token, {
        maxAgeSeconds: SESSION_DAYS * 24 * 60 * 60,
      }),
  };
}

export async function getOrCreateRecipientSession(
  ctx: Pick<TContextInner, "db" | "cookies">,
  invitationId: string,
) {
  const existing = await currentRecipientSession(ctx, invitationId);
  if (existing) return { session: existing, created: false };
  const fresh = newRecipientSession(ctx, invitationId);
  const [session] = await ctx.db.insert(recipientSession).values(fresh.values).returning();
  if (!session) throw new Error("recipient session insert returned nothing");
  fresh.setCookie();
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
