// The worker registry: who is in the fleet, where the API reaches it and how many slots
// of each kind it offers. Heartbeats keep a row fresh; a worker whose heartbeat is older
// than the TTL leaves the routing table (sessions.ts ends what it held).
import { type TDbOrTx, worker } from "@meterlink/db";
import type { THeartbeat } from "@meterlink/shared/fleet";
import { eq } from "drizzle-orm";
import { endSessionsOfWorker, reapLostWorkers, reconcileWorker } from "./sessions";

/**
 * Records one heartbeat and reconciles the worker's sessions with it; answers the ids the
 * worker should end. Each beat also sweeps workers that went silent, so a dead worker's
 * rows end while any other worker lives.
 */
export async function receiveHeartbeat(
  db: TDbOrTx,
  beat: THeartbeat,
  heartbeatTtlMs: number,
): Promise<string[]> {
  const row = {
    url: beat.url,
    capacity: beat.capacity,
    headlessCapacity: beat.headlessCapacity,
    activeSessions: beat.activeSessions,
    version: beat.version,
    draining: beat.draining,
    publicKey: JSON.stringify(beat.publicKey),
    lastHeartbeatAt: new Date(),
  };
  await db
    .insert(worker)
    .values({ id: beat.workerId, ...row })
    .onConflictDoUpdate({ target: worker.id, set: row });
  const end = await reconcileWorker(db, beat);
  await reapLostWorkers(db, heartbeatTtlMs);
  return end;
}

/** A worker leaving on purpose (after its drain) is out of routing at once. */
export async function deregisterWorker(db: TDbOrTx, workerId: string): Promise<void> {
  await db
    .update(worker)
    .set({ lastHeartbeatAt: new Date(0), draining: true })
    .where(eq(worker.id, workerId));
  await endSessionsOfWorker(db, workerId);
}
