// Placing a recipient's browser on the least-loaded healthy worker with room. Load is
// counted from live login sessions in the database (not from heartbeats, which lag), and
// placement takes a transaction-scoped advisory lock so two API replicas never put the
// last free slot's session on the same worker twice.
import { loginQueue, loginSession, type TDb, worker } from "@meterlink/db";
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import type { TContextInner } from "../../trpc";

const PLACEMENT_LOCK = 7_243_001;
/** A waiting recipient whose page stopped polling for this long leaves the queue. */
const QUEUE_STALE_MS = 10_000;

export type TPlacement = { loginSessionId: string; workerId: string; workerUrl: string };

/**
 * A recipient's live browser (tied to their invitation and session) or a collection's
 * headless one (tied to neither): both compete for the same slots under one lock.
 */
export async function placeSession(
  db: TDb,
  input: {
    mode: "interactive" | "headless";
    invitationId?: string | null;
    recipientSessionId?: string | null;
    providerId: string;
    heartbeatTtlMs: number;
    excludeWorkers: string[];
  },
): Promise<TPlacement | null> {
  return await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PLACEMENT_LOCK})`);
    const cutoff = new Date(Date.now() - input.heartbeatTtlMs);
    // Written out with table names: inside a select list Drizzle leaves columns
    // unqualified, and "id" would then mean the login session's id.
    const live = sql<number>`(select count(*)::int from login_session ls where ls.worker_id = "worker"."id" and ls.ended_at is null)`;
    const candidates = await tx
      .select({ id: worker.id, url: worker.url, capacity: worker.capacity, live })
      .from(worker)
      .where(
        and(gt(worker.lastHeartbeatAt, cutoff), eq(worker.draining, false), gt(worker.capacity, 0)),
      )
      .orderBy(sql`${live}::float / ${worker.capacity}`, asc(live), asc(worker.id));
    const chosen = candidates.find(
      (c) => c.live < c.capacity && !input.excludeWorkers.includes(c.id),
    );
    if (!chosen) return null;
    const [session] = await tx
      .insert(loginSession)
      .values({
        invitationId: input.invitationId ?? null,
        recipientSessionId: input.recipientSessionId ?? null,
        providerId: input.providerId,
        workerId: chosen.id,
        mode: input.mode,
      })
      .returning({ id: loginSession.id });
    if (!session) throw new Error("login session insert returned nothing");
    return { loginSessionId: session.id, workerId: chosen.id, workerUrl: chosen.url };
  });
}

/**
 * The recipient's place in line (1 = next). Joins the queue on first call; a page keeps
 * its place by polling with the same queue id.
 */
export async function queuePosition(
  ctx: Pick<TContextInner, "db">,
  input: { recipientSessionId: string; queueId?: string },
): Promise<{ queueId: string; position: number; waitedMs: number }> {
  const staleBefore = new Date(Date.now() - QUEUE_STALE_MS);
  await ctx.db.delete(loginQueue).where(lt(loginQueue.lastPolledAt, staleBefore));
  let [entry] = input.queueId
    ? await ctx.db
        .update(loginQueue)
        .set({ lastPolledAt: new Date() })
        .where(
          and(
            eq(loginQueue.id, input.queueId),
            eq(loginQueue.recipientSessionId, input.recipientSessionId),
          ),
        )
        .returning()
    : [];
  if (!entry) {
    [entry] = await ctx.db
      .insert(loginQueue)
      .values({ recipientSessionId: input.recipientSessionId })
      .returning();
  }
  if (!entry) throw new Error("queue insert returned nothing");
  const [ahead] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginQueue)
    .where(lt(loginQueue.enqueuedAt, entry.enqueuedAt));
  return {
    queueId: entry.id,
    position: (ahead?.n ?? 0) + 1,
    waitedMs: Date.now() - entry.enqueuedAt.getTime(),
  };
}

export async function leaveQueue(
  ctx: Pick<TContextInner, "db">,
  queueId: string | undefined,
): Promise<void> {
  if (queueId) await ctx.db.delete(loginQueue).where(eq(loginQueue.id, queueId));
}

/** Someone has waited longer than this caller: let them have the next free browser. */
export async function someoneWaitingAhead(
  ctx: Pick<TContextInner, "db">,
  queueId: string | undefined,
): Promise<boolean> {
  const staleBefore = new Date(Date.now() - QUEUE_STALE_MS);
  const [mine] = queueId
    ? await ctx.db.select().from(loginQueue).where(eq(loginQueue.id, queueId))
    : [];
  const [ahead] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginQueue)
    .where(
      and(
        gt(loginQueue.lastPolledAt, staleBefore),
        mine ? lt(loginQueue.enqueuedAt, mine.enqueuedAt) : undefined,
      ),
    );
  return (ahead?.n ?? 0) > 0;
}
