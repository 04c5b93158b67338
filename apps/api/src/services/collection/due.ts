// Which connections are due for their weekly collection at a given moment. The moment is
// a parameter (never read from the clock here) so the schedule itself is testable: a
// connection whose last run (its first bills in the recipient's live session count) is a
// day old is not due; one a week old is. A new connection is left to its own first job
// for a grace period; one in error waits for a reconnect, not for the sweeper.
import { collectionRun, connection, type TDbOrTx } from "@meterlink/db";
import { and, inArray, isNotNull, lt, sql } from "drizzle-orm";

export async function connectionsDue(
  db: TDbOrTx,
  input: { now: Date; intervalMs: number; firstJobGraceMs: number; limit: number },
): Promise<string[]> {
  const lastRunBefore = new Date(input.now.getTime() - input.intervalMs);
  const rows = await db
    .select({ id: connection.id })
    .from(connection)
    .where(
      and(
        inArray(connection.status, ["active", "pending"]),
        isNotNull(connection.sealedCredential),
        isNotNull(connection.providerId),
        lt(connection.createdAt, new Date(input.now.getTime() - input.firstJobGraceMs)),
        sql`not exists (select 1 from ${collectionRun} r where r.connection_id = ${connection.id} and r.started_at > ${lastRunBefore.toISOString()})`,
      ),
    )
    .limit(input.limit);
  return rows.map((row) => row.id);
}
