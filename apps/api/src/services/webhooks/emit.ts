// The webhook outbox. Services call `emitWebhookEvent` inside the transaction of what
// happened, so an event exists exactly when its cause committed; the job runner
// delivers it afterwards (jobs/webhooks.ts). Companies without endpoints write nothing.
import { type TDbOrTx, webhookEndpoint, webhookEvent } from "@meterlink/db";
import type { TWebhookEventType } from "@meterlink/shared/developer";
import { and, eq, isNull } from "drizzle-orm";

export async function emitWebhookEvent(
  db: TDbOrTx,
  event: { companyId: string; type: TWebhookEventType; data: Record<string, unknown> },
): Promise<void> {
  const [endpoint] = await db
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.companyId, event.companyId), isNull(webhookEndpoint.deletedAt)))
    .limit(1);
  if (!endpoint) return;
  await db.insert(webhookEvent).values({
    companyId: event.companyId,
    type: event.type,
    data: event.data,
  });
}

/**
 * For whatever changes a connection's status (the collection job): call it in the same
 * transaction as the status update, only when the status really changed.
 */
export async function emitConnectionStatusChanged(
  db: TDbOrTx,
  change: {
    companyId: string;
    connectionId: string;
    status: string;
    previousStatus: string;
    reason: string | null;
  },
): Promise<void> {
  const { companyId, ...data } = change;
  await emitWebhookEvent(db, { companyId, type: "connection.status_changed", data });
}
