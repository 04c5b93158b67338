// Webhook wording and the retry schedule the delivery log explains.
import type { TWebhookEventType } from "@meterlink/shared/developer";
import type { TRouterOutputs } from "./trpc";

export type TWebhookEndpoint = TRouterOutputs["admin"]["webhooks"]["list"][number];
export type TWebhookDelivery = TRouterOutputs["admin"]["webhooks"]["deliveries"][number];

export const WEBHOOK_EVENT_LABELS: Record<TWebhookEventType, { label: string; hint: string }> = {
  "invitation.created": { label: "Invitation created", hint: "In the app or over the API." },
  "invitation.email_verified": {
    label: "Email verified",
    hint: "A recipient proved their address on a restricted invitation.",
  },
  "invitation.email_bounced": {
    label: "Invitation email bounced",
    hint: "An invitation email could not be delivered.",
  },
  "invitation.revoked": { label: "Invitation revoked", hint: "By an admin or an API key." },
  "invitation.expired": { label: "Invitation expired", hint: "Its expiry date passed." },
  "invitation.viewed": { label: "Invitation viewed", hint: "A recipient opened the link." },
  "invitation.fulfilled": {
    label: "Invitation fulfilled",
    hint: "The last allowed use was consumed.",
  },
  "connection.created": {
    label: "Connection created",
    hint: "A recipient completed a contributor invitation.",
  },
  "connection.updated": {
    label: "Connection updated",
    hint: "A recipient signed in again through a reconnect invitation.",
  },
  "connection.status_changed": {
    label: "Connection status changed",
    hint: "A collection made a connection active or put it in error.",
  },
  "bill.created": {
    label: "Bill collected",
    hint: "A new bill (period, amount, usage) was stored; fetch its document over the API.",
  },
};

// The delivery job's schedule (apps/api/src/jobs/webhooks.ts, docs/webhooks.md): 8 tries,
// pg-boss exponential backoff from 30 s with jitter, capped at 30 min. The API does not
// return when the next try is due, so the log shows the window this schedule gives.
export const WEBHOOK_MAX_ATTEMPTS = 8;
const RETRY_DELAY_SECONDS = 30;
const RETRY_DELAY_MAX_SECONDS = 1800;

export type TNextRetry =
  | { kind: "none" }
  | { kind: "gave_up" }
  | { kind: "scheduled"; from: Date; to: Date };

/** When the event of this failed attempt is tried again, if it is the latest attempt. */
export function nextRetry(delivery: TWebhookDelivery, all: TWebhookDelivery[]): TNextRetry {
  if (delivery.ok) return { kind: "none" };
  const later = all.some(
    (other) => other.eventId === delivery.eventId && other.attempt > delivery.attempt,
  );
  if (later) return { kind: "none" };
  if (delivery.attempt >= WEBHOOK_MAX_ATTEMPTS) return { kind: "gave_up" };
  const base = RETRY_DELAY_SECONDS * 2 ** (delivery.attempt - 1);
  const at = new Date(delivery.createdAt).getTime();
  return {
    kind: "scheduled",
    from: new Date(at + Math.min(RETRY_DELAY_MAX_SECONDS, base) * 1000),
    to: new Date(at + Math.min(RETRY_DELAY_MAX_SECONDS, base * 2) * 1000),
  };
}
