// Workers announce themselves with heartbeats; a worker whose heartbeat is older than
// the TTL leaves the routing table (and its live sessions are ended as worker_lost).
import { loginSession, type TDbOrTx, worker } from "@meterlink/db";
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { ZWorkerPublicJwk } from "./admit";

export const ZHeartbeat = z.object({
  workerId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.:-]+$/),
  url: z.url({ protocol: /^https?$/ }),
  capacity: z.number().int().min(0).max(1000),
  activeSessions: z.number().int().min(0),
  version: z.string().max(100).default("unknown"),
  draining: z.boolean().default(false),
  /** The worker's ephemeral key (fleet identity, services/fleet/admit.ts). */
  publicKey: ZWorkerPublicJwk,
});
export type THeartbeat = z.infer<typeof ZHeartbeat>;

export async function recordHeartbeat(db: TDbOrTx, beat: THeartbeat): Promise<void> {
  await db
    .insert(worker)
    .values({ id: beat.workerId, ...withoutId(beat), lastHeartbeatAt: new Date() })
    .onConflictDoUpdate({
      target: worker.id,
      set: { ...withoutId(beat), lastHeartbeatAt: new Date() },
    });
}

function withoutId(beat: THeartbeat) {
  return {
    url: beat.url,
    capacity: beat.capacity,
    activeSessions: beat.activeSessions,
    version: beat.version,
    draining: beat.draining,
    publicKey: JSON.stringify(beat.publicKey),
  };
}

/** A worker leaving on purpose (after its drain) is removed at once. */
export async function deregisterWorker(db: TDbOrTx, workerId: string): Promise<void> {
  await db
    .update(worker)
    .set({ lastHeartbeatAt: new Date(0), draining: true })
    .where(eq(worker.id, workerId));
}

/** Ends the live sessions of workers that stopped answering; returns their ids. */
export async function reapLostWorkers(db: TDbOrTx, ttlMs: number): Promise<string[]> {
  const cutoff = new Date(Date.now() - ttlMs);
  const lost = await db
    .select({ id: worker.id })
    .from(worker)
    .where(lt(worker.lastHeartbeatAt, cutoff));
  if (!lost.length) return [];
  const ended = await db
    .update(loginSession)
    .set({ endedAt: new Date(), outcome: sql`coalesce(${loginSession.outcome}, 'worker_lost')` })
    .where(
      and(
        isNull(loginSession.endedAt),
        inArray(
          loginSession.workerId,
          lost.map((w) => w.id),
        ),
      ),
    )
    .returning({ id: loginSession.id });
  return ended.map((row) => row.id);
}
