// The colleague's side of a hand-off: the link opens the recipient's live login session
// on this device (a fresh single-use stream ticket; the worker moves the stream here and
// the recipient's page says who is entering the code). The first browser to open the link
// claims it with a cookie and may reconnect; any other browser, a link past 30 minutes or
// a session that already ended gets a message saying so.
import {
  company,
  handoffLink,
  invitation,
  loginSession,
  provider,
  recipientSession,
} from "@meterlink/db";
import { AppError, invitationStatus } from "@meterlink/shared";
import { and, eq, isNull } from "drizzle-orm";
import { hashToken, newToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { issueStreamTicket, streamPath } from "../fleet/tickets";
import { requireFleet } from "../recipient/start-login";
import { HANDOFF_MINUTES } from "./create";

const USED_ELSEWHERE = new AppError(
  "CONFLICT",
  "This link was already used on another device. Ask the person who sent it for a new link.",
);

const cookieName = (id: string) => `ml_ho_${id.replaceAll("-", "").slice(0, 12)}`;

async function findLink(ctx: Pick<TContextInner, "db">, secret: string) {
  const [row] = await ctx.db
    .select({
      link: handoffLink,
      login: { endedAt: loginSession.endedAt, outcome: loginSession.outcome },
      invitation,
      company: company.displayName,
      provider: provider.name,
    })
    .from(handoffLink)
    .innerJoin(loginSession, eq(loginSession.id, handoffLink.loginSessionId))
    .innerJoin(recipientSession, eq(recipientSession.id, handoffLink.recipientSessionId))
    .innerJoin(invitation, eq(invitation.id, recipientSession.invitationId))
    .innerJoin(company, eq(company.id, invitation.companyId))
    .leftJoin(provider, eq(provider.id, loginSession.providerId))
    .where(eq(handoffLink.tokenHash, hashToken(secret)));
  if (!row) {
    throw new AppError(
      "NOT_FOUND",
      "This link is not valid. Ask the person who sent it for a new one.",
    );
  }
  return row;
}

/** The claiming browser's own check: others are refused as "used elsewhere". */
function ownsClaim(ctx: Pick<TContextInner, "cookies">, link: typeof handoffLink.$inferSelect) {
  const cookie = ctx.cookies.get(cookieName(link.id));
  return Boolean(cookie && link.claimHash && hashToken(cookie) === link.claimHash);
}

/** A link that can still be opened by this browser, else the error that says why not. */
async function usableLink(ctx: TContextInner, secret: string) {
  requireFleet(ctx);
  const row = await findLink(ctx, secret);
  const { link } = row;
  if (link.claimedAt && !ownsClaim(ctx, link)) throw USED_ELSEWHERE;
  if (row.login.endedAt || invitationStatus(row.invitation) !== "active") {
    throw new AppError(
      "CONFLICT",
      row.login.outcome === "success"
        ? "The code was entered and the sign-in is complete. Nothing more to do here."
        : "The sign-in this link was for has ended. Ask the person who sent it to start again and send a new link.",
    );
  }
  if (link.expiresAt < new Date()) {
    throw new AppError(
      "CONFLICT",
      `This link has expired (links last ${HANDOFF_MINUTES} minutes). Ask the person who sent it for a new one.`,
    );
  }
  return row;
}

/** The colleague's first screen, before anything is claimed (scanners open links too). */
export async function peekHandoff({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { handoff: string };
}) {
  const row = await usableLink(ctx, input.handoff);
  return {
    helperName: row.link.helperName,
    company: row.company,
    provider: row.provider ?? "the utility",
  };
}

export async function openHandoff({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { handoff: string };
}) {
  const row = await usableLink(ctx, input.handoff);
  const { link } = row;
  if (!link.claimedAt) {
    const claim = newToken();
    const [claimed] = await ctx.db
      .update(handoffLink)
      .set({ claimedAt: new Date(), claimHash: hashToken(claim) })
      .where(and(eq(handoffLink.id, link.id), isNull(handoffLink.claimedAt)))
      .returning({ id: handoffLink.id });
    // Two devices opening it at once: one wins, the other is told.
    if (!claimed) throw USED_ELSEWHERE;
    ctx.cookies.set(cookieName(link.id), claim, {
      maxAgeSeconds: Math.ceil((link.expiresAt.getTime() - Date.now()) / 1000),
    });
  }
  return {
    loginSessionId: link.loginSessionId,
    helperName: link.helperName,
    company: row.company,
    provider: row.provider ?? "the utility",
    streamUrl: streamPath(
      link.loginSessionId,
      await issueStreamTicket(ctx.db, link.loginSessionId),
    ),
  };
}

/** Where the handed-over sign-in stands, for the colleague's page (claiming browser only). */
export async function handoffStatus({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { handoff: string };
}) {
  const row = await findLink(ctx, input.handoff);
  if (!ownsClaim(ctx, row.link)) throw USED_ELSEWHERE;
  return { outcome: row.login.outcome, ended: row.login.endedAt !== null };
}
