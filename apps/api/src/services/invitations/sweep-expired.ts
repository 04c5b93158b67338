// Expiry is derived (status is never stored), so nothing happens on its own when an
// invitation's time passes. This sweep notices it afterwards and records one `expired`
// event per invitation (which emits `invitation.expired`); skip-locked so API replicas
// share the work, and the missing-event check makes a second sweep a no-op.
import { invitation, invitationEvent, type TDb } from "@meterlink/db";
import { and, asc, eq, notExists, sql } from "drizzle-orm";
import { recordEvent } from "./events";
import { statusCondition } from "./status-sql";

const SWEEP_BATCH = 200;

/** Records the expiries that passed since the last sweep; returns how many. */
export async function sweepExpiredInvitations(db: TDb, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: invitation.id, expiresAt: invitation.expiresAt })
      .from(invitation)
      .where(
        and(
          statusCondition("expired", now),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(invitationEvent)
              .where(
                and(
                  eq(invitationEvent.invitationId, invitation.id),
                  eq(invitationEvent.type, "expired"),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(invitation.expiresAt))
      .limit(SWEEP_BATCH)
      .for("update", { skipLocked: true });
    for (const row of rows) {
      await recordEvent(tx, {
        invitationId: row.id,
        type: "expired",
        actor: { type: "system" },
        data: { expiresAt: row.expiresAt?.toISOString() ?? null },
      });
    }
    return rows.length;
  });
}
