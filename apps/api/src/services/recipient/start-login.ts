// Starting the live remote browser for a recipient: consent given, email verified when
// restricted, provider in the catalog (an unknown provider gets manual entry, never an
// arbitrary URL). One live browser per recipient session: a restart ends the old one.
// A browser is started only here, and the worker ends it if its stream is not opened
// within seconds, so opening links without using them holds no capacity.

import { createHash } from "node:crypto";
import { connection, loginSession, provider } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { accountTagKeyOf } from "@meterlink/shared/account-tag";
import type { TViewport } from "@meterlink/shared/stream";
import { and, count, eq, isNull, ne, sql } from "drizzle-orm";
import type { TContextInner, TFleetConfig } from "../../trpc";
import { leaveQueue, queuePosition, someoneWaitingAhead } from "../fleet/queue";
import { endLoginSessions, startSession } from "../fleet/sessions";
import { issueStreamTicket, streamPath } from "../fleet/tickets";
import { recordEvent } from "../invitations/events";
import { providersVisibleTo } from "../providers/company-utilities";
import { activeInvitationByToken, requireRecipientSession } from "./resolve";
import { matchUtilityAddress, UNLISTED_PREFIX } from "./utility-address";

/** See FLEET_MAX_LIVE_PER_INVITATION and FLEET_MAX_LIVE_PER_CLIENT (env.ts). */
const MAX_LIVE_PER_INVITATION = 5;
const MAX_LIVE_PER_CLIENT = 10;

const TOO_MANY_HERE = new AppError(
  "LIMIT_REACHED",
  "Several secure browsers are already open from this network. Finish or close one, then try again.",
  { reason: "tooManyHere" },
);

/** The client address as a short hash: enough to count its browsers, nothing to read. */
function clientKey(ip: string | null): string | null {
  return ip ? createHash("sha256").update(ip).digest("hex").slice(0, 16) : null;
}

export const FLEET_BUSY = new AppError(
  "FLEET_BUSY",
  "All remote browsers are busy right now. Please try again in a few minutes, or enter your details by hand.",
  { reason: "fleetBusy" },
);

export function requireFleet(ctx: Pick<TContextInner, "config">): TFleetConfig {
  if (!ctx.config.fleet) {
    throw new AppError(
      "UNAVAILABLE",
      "Live sign-in is not available right now. Enter your details by hand instead.",
      { reason: "liveUnavailable" },
    );
  }
  return ctx.config.fleet;
}

/**
 * An unlisted utility's session: the typed address, checked again here (the page's word
 * is not trusted), restricted to its registrable domain; an address a provider uses is
 * that provider.
 */
async function unlistedProvider(
  ctx: TContextInner,
  company: { id: string; testOf: string | null },
  url: string,
) {
  const match = await matchUtilityAddress(ctx, company, url);
  if (match.kind === "catalog") {
    const [found] = await ctx.db.select().from(provider).where(eq(provider.id, match.providerId));
    return found ?? null;
  }
  return {
    id: `${UNLISTED_PREFIX}${match.registrableDomain}`,
    name: match.registrableDomain,
    loginUrl: match.site.url,
    allowedHostnames: match.site.allowedHostnames,
    rules: {},
    mfa: "none" as const,
  };
}

export async function startLogin({
  ctx,
  input,
}: {
  ctx: TContextInner;
  // `queueId` is what a waiting page sends back; its place is its recipient session's.
  input: {
    token: string;
    providerId?: string;
    /** An address the recipient typed that no provider uses (utility-address.ts). */
    unlistedUrl?: string;
    viewport: TViewport;
    queueId?: string;
  };
}) {
  const fleet = requireFleet(ctx);
  const row = await activeInvitationByToken(ctx, input.token);
  const session = await requireRecipientSession(ctx, row);
  if (!session.consentedAt) {
    throw AppError.field(
      "consent",
      "Please confirm that you agree to share access before signing in.",
    );
  }
  const inv = row.invitation;
  let providerId = input.providerId;
  if (inv.kind === "reconnect" && inv.targetConnectionId) {
    const [target] = await ctx.db
      .select()
      .from(connection)
      .where(eq(connection.id, inv.targetConnectionId));
    providerId = target?.providerId ?? providerId;
  }
  const chosen =
    !providerId && input.unlistedUrl && inv.kind === "contributor"
      ? await unlistedProvider(ctx, row.company, input.unlistedUrl)
      : providerId
        ? (
            await ctx.db
              .select()
              .from(provider)
              .where(and(eq(provider.id, providerId), providersVisibleTo(inv.companyId)))
          )[0]
        : null;
  if (!providerId && !input.unlistedUrl)
    throw AppError.field("providerId", "Pick your utility first.");
  if (!chosen)
    throw AppError.field(
      "providerId",
      "We don't know this utility. Pick one from the list or enter your details by hand.",
    );

  await endLoginSessions(ctx, { recipientSessionId: session.id }, "restarted");
  const [others] = await ctx.db
    .select({ n: count() })
    .from(loginSession)
    .where(
      and(
        eq(loginSession.invitationId, inv.id),
        ne(loginSession.recipientSessionId, session.id),
        isNull(loginSession.endedAt),
      ),
    );
  if ((others?.n ?? 0) >= (fleet.maxLivePerInvitation ?? MAX_LIVE_PER_INVITATION)) {
    throw new AppError(
      "LIMIT_REACHED",
      "Several people are signing in with this link right now. Try again in a minute, or enter your details by hand.",
      { reason: "tooManyOnLink" },
    );
  }

  const client = clientKey(ctx.client.ip);
  if (client) {
    const [fromHere] = await ctx.db
      .select({ n: count() })
      .from(loginSession)
      .where(
        and(
          sql`${loginSession.meta}->>'client' = ${client}`,
          ne(loginSession.recipientSessionId, session.id),
          isNull(loginSession.endedAt),
        ),
      );
    if ((fromHere?.n ?? 0) >= (fleet.maxLivePerClient ?? MAX_LIVE_PER_CLIENT)) throw TOO_MANY_HERE;
  }

  const placed = (await someoneWaitingAhead(ctx, session.id))
    ? null
    : await startSession(
        { db: ctx.db, log: ctx.log, fleet },
        {
          mode: "interactive",
          invitationId: inv.id,
          recipientSessionId: session.id,
          provider: chosen,
          viewport: input.viewport,
          accountTagKey: accountTagKeyOf(ctx.config.tokenKey, inv.companyId),
          ...(client ? { meta: { client } } : {}),
        },
      );
  if (placed) {
    await leaveQueue(ctx, session.id);
    await recordEvent(ctx.db, {
      invitationId: inv.id,
      type: "login_started",
      actor: { type: "recipient", id: session.id },
      client: ctx.client,
      data: { loginSessionId: placed.loginSessionId, providerId: chosen.id },
    });
    const ticket = await issueStreamTicket(ctx.db, placed.loginSessionId);
    return {
      status: "started" as const,
      loginSessionId: placed.loginSessionId,
      streamUrl: streamPath(placed.loginSessionId, ticket),
      provider: { id: chosen.id, name: chosen.name, loginUrl: chosen.loginUrl, mfa: chosen.mfa },
    };
  }

  const queued = await queuePosition(ctx, { recipientSessionId: session.id });
  if (queued.waitedMs > fleet.queueMaxMs) {
    await leaveQueue(ctx, session.id);
    throw FLEET_BUSY;
  }
  return {
    status: "queued" as const,
    queueId: queued.queueId,
    position: queued.position,
    estimatedWaitMs: queued.estimatedWaitMs,
    retryAfterMs: 1000,
  };
}
