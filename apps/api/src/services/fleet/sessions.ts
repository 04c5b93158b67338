// The login-session lifecycle, in one place: placing a browser on a worker, starting it
// there, recording its outcome, and ending it. This module is the only writer of
// `login_session`. Invariants:
// - an open row (`ended_at` null) is a browser a worker really holds: placement counts
//   open rows as used capacity, so every ending must reach the row within seconds,
//   whichever process notices it first (the worker's report, its heartbeat, the relay,
//   the recipient's page, a revoke, a heartbeat that stopped);
// - a row ends exactly once: the first ending wins (`ended_at`, `end_reason`, and the
//   outcome when none was recorded), later ones change nothing;
// - interactive and headless sessions have separate slots on each worker, so bill
//   collections never take the browser a recipient needs.
import { loginSession, type TDb, type TDbOrTx, worker } from "@meterlink/db";
import { ZCollectRecipe } from "@meterlink/shared/connection";
import {
  type THeartbeat,
  type TLoginEndReason,
  type TSessionEnding,
  type TStartSession,
  ZProviderRules,
} from "@meterlink/shared/fleet";
import type { TLoginRecipe } from "@meterlink/shared/recipe";
import type { TLoginOutcome, TViewport } from "@meterlink/shared/stream";
import {
  and,
  asc,
  eq,
  gt,
  inArray,
  isNull,
  lt,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Logger } from "pino";
import type { TFleetConfig } from "../../trpc";
import { recordEvent } from "../invitations/events";
import { endWorkerSession, startWorkerSession, WorkerUnavailable } from "./worker-client";

const PLACEMENT_LOCK = 7_243_001;
/** Workers tried for one start before the caller hears "no browser". */
const PLACEMENT_ATTEMPTS = 3;
/**
 * A session placed this recently may not be on its worker's list yet (the start request
 * is still on its way): reconciliation leaves it alone until then.
 */
const START_GRACE_MS = 20_000;
/** A worker silent for this many heartbeat TTLs leaves the registry (and ops views). */
const WORKER_ROW_EXPIRY_TTLS = 30;

type TStoredOutcome = NonNullable<(typeof loginSession.$inferSelect)["outcome"]>;

/** The outcome a session is left with when it ends before any login outcome. */
function outcomeWhenNone(reason: TLoginEndReason): TStoredOutcome {
  switch (reason) {
    case "revoked":
      return "revoked";
    case "worker_lost":
    case "browser_crashed":
    case "shutdown":
      return "worker_lost";
    case "idle_timeout":
    case "max_duration":
      return "expired";
    default:
      return "abandoned";
  }
}

export type TSessionCtx = {
  db: TDb;
  log: Logger;
  fleet: Pick<TFleetConfig, "token" | "heartbeatTtlMs">;
};
export type TPlacement = { loginSessionId: string; workerId: string; workerUrl: string };
export type TProviderForSession = {
  id: string;
  loginUrl: string;
  allowedHostnames: string[];
  rules: unknown;
};

// ------------------------------------------------------------------------------ placing

/** What a browser is for: whose it is (a recipient's, or none for a collection) and where it goes. */
/** The collection recipe a live session reads first bills with; {} is generic discovery. */
function collectRecipeOf(rules: unknown): Record<string, unknown> {
  const recipe = ZCollectRecipe.safeParse(rules ?? {});
  return recipe.success ? recipe.data : {};
}

type TSessionRequest = {
  mode: TStartSession["mode"];
  invitationId?: string | null;
  recipientSessionId?: string | null;
  provider: TProviderForSession;
  meta?: Record<string, unknown>;
  /** A recipient's session: the company's account-tag key (duplicates, #17). */
  accountTagKey?: string;
};

/**
 * Places a browser on the least-loaded healthy worker with a free slot of its kind and
 * starts it there; a worker that refuses is skipped for the next try. Null when no
 * worker has room. Load is counted from open rows (not heartbeats, which lag), under a
 * transaction-scoped advisory lock so two API replicas never give one slot twice.
 */
export async function startSession(
  ctx: TSessionCtx,
  input: TSessionRequest & { viewport: TViewport },
): Promise<TPlacement | null> {
  // Catalog rows may hold more than the worker's hints (collection recipes): keep the
  // hints, drop the rest; a malformed row starts without hints rather than not at all.
  const rules = ZProviderRules.safeParse(input.provider.rules ?? {});
  const tried: string[] = [];
  for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
    const placed = await placeSession(ctx, { ...input, excludeWorkers: tried });
    if (!placed) return null;
    try {
      await startWorkerSession(placed.workerUrl, ctx.fleet.token, {
        sessionId: placed.loginSessionId,
        provider: {
          id: input.provider.id,
          loginUrl: input.provider.loginUrl,
          allowedHostnames: input.provider.allowedHostnames,
          ...(rules.success ? { rules: rules.data } : {}),
          // A recipient's session reads the first bills itself (services/bills/first-bills.ts).
          ...(input.mode === "interactive"
            ? { collect: collectRecipeOf(input.provider.rules) }
            : {}),
        },
        viewport: input.viewport,
        mode: input.mode,
        ...(input.accountTagKey ? { accountTagKey: input.accountTagKey } : {}),
      });
      return placed;
    } catch (error) {
      ctx.log.warn(
        {
          workerId: placed.workerId,
          mode: input.mode,
          reason: error instanceof WorkerUnavailable ? error.message : "error",
        },
        "worker refused a session",
      );
      await endLoginSession(ctx.db, placed.loginSessionId, "start_failed");
      // It may have started it after all (a timeout): make sure nothing stays behind.
      await endWorkerSession(placed.workerUrl, ctx.fleet.token, placed.loginSessionId);
      tried.push(placed.workerId);
    }
  }
  return null;
}

async function placeSession(
  ctx: TSessionCtx,
  input: TSessionRequest & { excludeWorkers: string[] },
): Promise<TPlacement | null> {
  await reapLostWorkers(ctx.db, ctx.fleet.heartbeatTtlMs);
  return await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PLACEMENT_LOCK})`);
    const cutoff = new Date(Date.now() - ctx.fleet.heartbeatTtlMs);
    const slots = input.mode === "headless" ? worker.headlessCapacity : worker.capacity;
    // Written out with table names: inside a select list Drizzle leaves columns
    // unqualified, and "id" would then mean the login session's id.
    const used = sql<number>`(select count(*)::int from login_session ls
      where ls.worker_id = "worker"."id" and ls.ended_at is null and ls.mode = ${input.mode})`;
    const candidates = await tx
      .select({ id: worker.id, url: worker.url, slots, used })
      .from(worker)
      .where(and(gt(worker.lastHeartbeatAt, cutoff), eq(worker.draining, false), gt(slots, 0)))
      .orderBy(sql`${used}::float / ${slots}`, asc(used), asc(worker.id));
    const chosen = candidates.find((c) => c.used < c.slots && !input.excludeWorkers.includes(c.id));
    if (!chosen) return null;
    const [session] = await tx
      .insert(loginSession)
      .values({
        invitationId: input.invitationId ?? null,
        recipientSessionId: input.recipientSessionId ?? null,
        providerId: input.provider.id,
        workerId: chosen.id,
        mode: input.mode,
        meta: input.meta ?? {},
      })
      .returning({ id: loginSession.id });
    if (!session) throw new Error("login session insert returned nothing");
    return { loginSessionId: session.id, workerId: chosen.id, workerUrl: chosen.url };
  });
}

// ------------------------------------------------------------------------------ outcomes

/** A login outcome the worker saw (report, or the answer when the API asked it). */
export async function recordLoginOutcome(
  db: TDbOrTx,
  input: {
    /** Only the worker that holds a session may speak for it. */
    workerId: string;
    loginSessionId: string;
    outcome: TLoginOutcome;
    sealedCredential: string | null;
    finalUrl: string | null;
    /** False: only the recipient said they were signed in. */
    verified?: boolean;
    /** Keyed hash of provider + username, with a success (duplicates, #17). */
    accountTag?: string | null;
    /** The learned login recipe (#19), non-secret; kept until the connection takes it. */
    recipe?: TLoginRecipe | null;
  },
): Promise<void> {
  const [updated] = await db
    .update(loginSession)
    .set({
      outcome: input.outcome,
      sealedCredential: input.outcome === "success" ? input.sealedCredential : null,
      meta: sql`${loginSession.meta} || ${JSON.stringify({
        finalHost: hostOf(input.finalUrl),
        ...(input.outcome === "success" ? { verified: input.verified ?? true } : {}),
        ...(input.outcome === "success" && input.accountTag
          ? { accountTag: input.accountTag }
          : {}),
        ...(input.outcome === "success" && input.recipe ? { recipe: input.recipe } : {}),
      })}::jsonb`,
    })
    .where(
      and(
        eq(loginSession.id, input.loginSessionId),
        eq(loginSession.workerId, input.workerId),
        or(
          isNull(loginSession.outcome),
          // A success is final; anything else may still turn into one (MFA, retries).
          // The same outcome twice (a report, then a status poll) is one event.
          and(ne(loginSession.outcome, "success"), ne(loginSession.outcome, input.outcome)),
          // An ending that carried "success" may have arrived before the sealed credential.
          input.outcome === "success" && input.sealedCredential
            ? and(eq(loginSession.outcome, "success"), isNull(loginSession.sealedCredential))
            : undefined,
        ),
      ),
    )
    .returning();
  if (!updated?.invitationId) return;
  if (input.outcome === "success" || input.outcome === "failure") {
    await recordEvent(db, {
      invitationId: updated.invitationId,
      type: input.outcome === "success" ? "login_succeeded" : "login_failed",
      actor: { type: "system", id: updated.workerId },
      data: {
        loginSessionId: updated.id,
        providerId: updated.providerId,
        ...(input.outcome === "success" ? { verified: input.verified ?? true } : {}),
      },
    });
  }
}

/** Only the host: paths and queries of a signed-in page can carry account numbers. */
function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------ ending

/**
 * Records a session's end once; returns whether this call ended it. `outcome` is the
 * login outcome the ending carries (a collection's result); without one the session
 * keeps the outcome it had, or gets the one its reason implies.
 */
export async function endLoginSession(
  db: TDbOrTx,
  loginSessionId: string,
  reason: TLoginEndReason,
  outcome?: TStoredOutcome | null,
): Promise<boolean> {
  const ended = await endOpenRows(db, eq(loginSession.id, loginSessionId), reason, outcome);
  return ended.length > 0;
}

/**
 * A collection's result is its headless session's outcome, whoever ended the session
 * first (the worker reports its own ending as soon as the collection is done).
 */
export async function settleHeadlessSession(
  db: TDbOrTx,
  loginSessionId: string,
  outcome: TStoredOutcome,
): Promise<void> {
  await db
    .update(loginSession)
    .set({
      outcome,
      endedAt: sql`coalesce(${loginSession.endedAt}, now())`,
      endReason: sql`coalesce(${loginSession.endReason}, 'completed')`,
    })
    .where(and(eq(loginSession.id, loginSessionId), eq(loginSession.mode, "headless")));
}

/** Ends every open row `where` matches; the one statement all endings go through. */
async function endOpenRows(
  db: TDbOrTx,
  where: SQL | undefined,
  reason: TLoginEndReason,
  outcome?: TStoredOutcome | SQL | null,
): Promise<string[]> {
  const ended = await db
    .update(loginSession)
    .set({
      endedAt: new Date(),
      endReason: reason,
      outcome: outcome ?? sql`coalesce(${loginSession.outcome}, ${outcomeWhenNone(reason)})`,
    })
    .where(and(isNull(loginSession.endedAt), where))
    .returning({ id: loginSession.id });
  return ended.map((row) => row.id);
}

/**
 * Ends live sessions on their workers and in the accounting: a recipient restarting,
 * completing or leaving the step, an admin revoking the invitation.
 */
export async function endLoginSessions(
  ctx: { db: TDb; config: { fleet: TFleetConfig | null } },
  where: { recipientSessionId: string } | { invitationId: string } | { loginSessionId: string },
  reason: TLoginEndReason,
): Promise<number> {
  const filter: SQL =
    "recipientSessionId" in where
      ? eq(loginSession.recipientSessionId, where.recipientSessionId)
      : "invitationId" in where
        ? eq(loginSession.invitationId, where.invitationId)
        : eq(loginSession.id, where.loginSessionId);
  const live = await ctx.db
    .select({ id: loginSession.id, workerUrl: worker.url })
    .from(loginSession)
    .leftJoin(worker, eq(worker.id, loginSession.workerId))
    .where(and(filter, isNull(loginSession.endedAt)));
  const fleet = ctx.config.fleet;
  await Promise.all(
    live.map(async (session) => {
      // Accounting first: the worker's own ending report, arriving a moment later, must
      // find the row closed with the real reason.
      await endLoginSession(ctx.db, session.id, reason);
      if (session.workerUrl && fleet) {
        await endWorkerSession(session.workerUrl, fleet.token, session.id);
      }
    }),
  );
  return live.length;
}

/** An ending the worker reported (at the time, or again in a heartbeat). */
export async function applyWorkerEnding(
  db: TDbOrTx,
  workerId: string,
  ending: Pick<TSessionEnding, "sessionId" | "reason" | "outcome">,
): Promise<boolean> {
  // Only the worker that holds a session may end it. The worker's outcome (a collection's
  // result) wins over none; a recorded one stays.
  const ended = await endOpenRows(
    db,
    and(eq(loginSession.id, ending.sessionId), eq(loginSession.workerId, workerId)),
    ending.reason,
    ending.outcome ? sql`coalesce(${loginSession.outcome}, ${ending.outcome})` : null,
  );
  return ended.length > 0;
}

// ------------------------------------------------------------------------------ reconciling

/**
 * A heartbeat is the worker's list of what it really holds. Rows the worker no longer
 * holds end (with the reason it reported, else as lost); sessions it holds that are over
 * for the API (or unknown to it) are returned, and the worker ends them.
 */
export async function reconcileWorker(
  db: TDbOrTx,
  beat: Pick<THeartbeat, "workerId" | "held" | "ended" | "bootedAt">,
): Promise<string[]> {
  // Endings are repeated in every heartbeat for two minutes: apply only the ones whose
  // row is still open (usually none), not one update per ending per beat.
  const endedIds = beat.ended.map((ending) => ending.sessionId).filter(isUuid);
  const stillOpen = endedIds.length
    ? new Set(
        (
          await db
            .select({ id: loginSession.id })
            .from(loginSession)
            .where(
              and(
                eq(loginSession.workerId, beat.workerId),
                isNull(loginSession.endedAt),
                inArray(loginSession.id, endedIds),
              ),
            )
        ).map((row) => row.id),
      )
    : new Set<string>();
  for (const ending of beat.ended) {
    if (stillOpen.has(ending.sessionId)) await applyWorkerEnding(db, beat.workerId, ending);
  }
  // A row younger than the grace may be a start still on its way, unless it was placed
  // before this worker process even started (a restart under the same id).
  const graceStart = Date.now() - START_GRACE_MS;
  const booted = beat.bootedAt ? Date.parse(beat.bootedAt) : graceStart;
  const settled = new Date(Math.max(graceStart, Math.min(booted, Date.now())));
  await endOpenRows(
    db,
    and(
      eq(loginSession.workerId, beat.workerId),
      lt(loginSession.startedAt, settled),
      beat.held.length ? notInArray(loginSession.id, beat.held.filter(isUuid)) : undefined,
    ),
    "worker_lost",
  );
  if (!beat.held.length) return [];
  const open = await db
    .select({ id: loginSession.id })
    .from(loginSession)
    .where(
      and(
        eq(loginSession.workerId, beat.workerId),
        isNull(loginSession.endedAt),
        inArray(loginSession.id, beat.held.filter(isUuid)),
      ),
    );
  const known = new Set(open.map((row) => row.id));
  return beat.held.filter((id) => !known.has(id));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(id: string): boolean {
  return UUID.test(id);
}

/**
 * Workers whose heartbeat is older than the TTL leave the routing table and their open
 * rows end as lost; rows of workers silent for much longer leave the registry.
 */
export async function reapLostWorkers(db: TDbOrTx, ttlMs: number): Promise<void> {
  const silent = db
    .select({ id: worker.id })
    .from(worker)
    .where(lt(worker.lastHeartbeatAt, new Date(Date.now() - ttlMs)));
  await endOpenRows(db, inArray(loginSession.workerId, silent), "worker_lost");
  await db
    .delete(worker)
    .where(lt(worker.lastHeartbeatAt, new Date(Date.now() - ttlMs * WORKER_ROW_EXPIRY_TTLS)));
}

/** A worker that left on purpose (after its drain): whatever it still held is gone. */
export async function endSessionsOfWorker(db: TDbOrTx, workerId: string): Promise<void> {
  await endOpenRows(db, eq(loginSession.workerId, workerId), "worker_lost");
}
