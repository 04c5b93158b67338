// Outcomes reach the API two ways: the worker POSTs them (internal endpoint) and the
// API asks the worker when a recipient's page checks. Both land here, once.
import { loginSession, type TDbOrTx } from "@meterlink/db";
import type { TLoginOutcome } from "@meterlink/shared/stream";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { recordEvent } from "../invitations/events";

export async function recordLoginOutcome(
  db: TDbOrTx,
  input: {
    loginSessionId: string;
    outcome: TLoginOutcome;
    sealedCredential: string | null;
    finalUrl: string | null;
  },
): Promise<void> {
  const [updated] = await db
    .update(loginSession)
    .set({
      outcome: input.outcome,
      sealedCredential: input.outcome === "success" ? input.sealedCredential : null,
      meta: sql`${loginSession.meta} || ${JSON.stringify({ finalHost: hostOf(input.finalUrl) })}::jsonb`,
    })
    .where(
      and(
        eq(loginSession.id, input.loginSessionId),
        // A success is final; anything else may still turn into one (MFA, retries).
        or(isNull(loginSession.outcome), sql`${loginSession.outcome} <> 'success'`),
      ),
    )
    .returning();
  if (!updated?.invitationId) return;
  if (input.outcome === "success" || input.outcome === "failure") {
    await recordEvent(db, {
      invitationId: updated.invitationId,
      type: input.outcome === "success" ? "login_succeeded" : "login_failed",
      actor: { type: "system", id: updated.workerId },
      data: { loginSessionId: updated.id, providerId: updated.providerId },
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

export async function markLoginEnded(
  db: TDbOrTx,
  loginSessionId: string,
  outcomeIfNone: "abandoned" | "worker_lost" | "revoked" | "expired",
): Promise<void> {
  await db
    .update(loginSession)
    .set({ endedAt: new Date(), outcome: sql`coalesce(${loginSession.outcome}, ${outcomeIfNone})` })
    .where(and(eq(loginSession.id, loginSessionId), isNull(loginSession.endedAt)));
}
