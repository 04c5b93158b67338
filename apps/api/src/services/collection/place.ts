// Placing a collection's headless browser. Same rule and same advisory lock as a
// recipient's live session (services/fleet/place.ts): least-loaded healthy worker with
// room, counted from live login sessions. Kept apart because that placement is tied to
// an invitation and a recipient session, which a scheduled collection has neither of.
import { loginSession, type TDb, worker } from "@meterlink/db";
import { and, asc, eq, gt, sql } from "drizzle-orm";

/** Must equal services/fleet/place.ts PLACEMENT_LOCK: both placements share the slots. */
const PLACEMENT_LOCK = 7_243_001;

export type THeadlessPlacement = { loginSessionId: string; workerId: string; workerUrl: string };

export async function placeHeadlessSession(
  db: TDb,
  input: { providerId: string; heartbeatTtlMs: number; excludeWorkers: string[] },
): Promise<THeadlessPlacement | null> {
  return await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PLACEMENT_LOCK})`);
    const cutoff = new Date(Date.now() - input.heartbeatTtlMs);
    // Table names written out: in a select list Drizzle leaves columns unqualified.
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
      .values({ providerId: input.providerId, workerId: chosen.id, mode: "headless" })
      .returning({ id: loginSession.id });
    if (!session) throw new Error("login session insert returned nothing");
    return { loginSessionId: session.id, workerId: chosen.id, workerUrl: chosen.url };
  });
}
