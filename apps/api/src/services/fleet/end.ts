import { loginSession, worker } from "@meterlink/db";
import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { TContextInner } from "../../trpc";
import { markLoginEnded } from "./outcome";
import { endWorkerSession } from "./worker-client";

/**
 * Ends live browser sessions (on their workers, then in the accounting). Used when a
 * recipient restarts, completes or leaves, and when an admin revokes the invitation.
 */
export async function endLiveLogins(
  ctx: Pick<TContextInner, "db" | "config">,
  where: { recipientSessionId: string } | { invitationId: string } | { loginSessionId: string },
  outcomeIfNone: "abandoned" | "revoked",
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
  await Promise.all(
    live.map(async (session) => {
      // Accounting first: the worker's "ended" message, relayed at once, must find the
      // session already closed with the real reason.
      await markLoginEnded(ctx.db, session.id, outcomeIfNone);
      if (session.workerUrl && ctx.config.fleet) {
        await endWorkerSession(session.workerUrl, ctx.config.fleet.token, session.id);
      }
    }),
  );
  return live.length;
}
