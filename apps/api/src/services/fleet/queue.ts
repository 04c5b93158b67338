// The line of recipients waiting for a free browser while every worker is full. The
// first in line gets the first freed slot: a caller with someone ahead of it (still
// polling) is not placed. A recipient session has one place; a page that stops polling
// for QUEUE_STALE_MS leaves the line.
import { loginQueue, loginSession, worker } from "@meterlink/db";
import { and, eq, gt, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { TContextInner } from "../../trpc";

/** A waiting recipient whose page stopped polling for this long leaves the queue. */
const QUEUE_STALE_MS = 5_000;
/** What a sign-in usually takes, before there is any history to tell. */
const TYPICAL_SESSION_MS = 90_000;

/**
 * The recipient's place in line (1 = next). One place per recipient session: the first
 * call joins, later calls (with or without the queue id the page got) keep it fresh.
 */
export async function queuePosition(
  ctx: Pick<TContextInner, "db">,
  input: { recipientSessionId: string },
): Promise<{ queueId: string; position: number; waitedMs: number; estimatedWaitMs: number }> {
  const staleBefore = new Date(Date.now() - QUEUE_STALE_MS);
  await ctx.db.delete(loginQueue).where(lt(loginQueue.lastPolledAt, staleBefore));
  let [entry] = await ctx.db
    .update(loginQueue)
    .set({ lastPolledAt: new Date() })
    .where(eq(loginQueue.recipientSessionId, input.recipientSessionId))
    .returning();
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
  const position = (ahead?.n ?? 0) + 1;
  return {
    queueId: entry.id,
    position,
    waitedMs: Date.now() - entry.enqueuedAt.getTime(),
    estimatedWaitMs: await estimateWait(ctx, position),
  };
}

export async function leaveQueue(
  ctx: Pick<TContextInner, "db">,
  recipientSessionId: string,
): Promise<void> {
  await ctx.db.delete(loginQueue).where(eq(loginQueue.recipientSessionId, recipientSessionId));
}

/** Someone still waiting joined the line before this recipient: they get the next browser. */
export async function someoneWaitingAhead(
  ctx: Pick<TContextInner, "db">,
  recipientSessionId: string,
): Promise<boolean> {
  const staleBefore = new Date(Date.now() - QUEUE_STALE_MS);
  const [mine] = await ctx.db
    .select()
    .from(loginQueue)
    .where(eq(loginQueue.recipientSessionId, recipientSessionId));
  const [ahead] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginQueue)
    .where(
      and(
        gt(loginQueue.lastPolledAt, staleBefore),
        ne(loginQueue.recipientSessionId, recipientSessionId),
        mine ? lt(loginQueue.enqueuedAt, mine.enqueuedAt) : undefined,
      ),
    );
  return (ahead?.n ?? 0) > 0;
}

/**
 * An honest guess of the wait for place `position`: slots free at the rate recent
 * sign-ins ended (their median length over the fleet's interactive slots).
 */
async function estimateWait(ctx: Pick<TContextInner, "db">, position: number): Promise<number> {
  const since = new Date(Date.now() - 60 * 60_000);
  const [recent] = await ctx.db
    .select({
      medianMs: sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from (${loginSession.endedAt} - ${loginSession.startedAt})) * 1000)`,
    })
    .from(loginSession)
    .where(
      and(
        eq(loginSession.mode, "interactive"),
        isNotNull(loginSession.endedAt),
        gt(loginSession.endedAt, since),
      ),
    );
  const [slots] = await ctx.db
    .select({ n: sql<number>`coalesce(sum(${worker.capacity}), 0)::int` })
    .from(worker)
    .where(
      and(eq(worker.draining, false), gt(worker.lastHeartbeatAt, new Date(Date.now() - 60_000))),
    );
  const sessionMs = Number(recent?.medianMs ?? TYPICAL_SESSION_MS) || TYPICAL_SESSION_MS;
  return Math.round((position * sessionMs) / Math.max(1, slots?.n ?? 0));
}
