import { invitationEvent, type TDbOrTx, type TInvitationEventType } from "@meterlink/db";
import type { TWebhookEventType } from "@meterlink/shared/developer";
import { truncateIp } from "../../lib/tokens";
import type { TClientInfo } from "../../trpc";
import { emitInvitationWebhook } from "../webhooks/emit";

/**
 * Activity that integrators also get as a webhook, emitted here in the same
 * transaction so no caller (admin, API, recipient, provider hook, sweep) can forget it.
 */
const WEBHOOK_OF: Partial<Record<TInvitationEventType, TWebhookEventType>> = {
  created: "invitation.created",
  email_verified: "invitation.email_verified",
  email_bounced: "invitation.email_bounced",
  revoked: "invitation.revoked",
  expired: "invitation.expired",
};

export type TActor =
  | { type: "admin"; id: string }
  | { type: "api"; id: string }
  | { type: "recipient"; id?: string | null }
  | { type: "system"; id?: string | null };

type TEvent = {
  invitationId: string;
  type: TInvitationEventType;
  actor: TActor;
  client?: TClientInfo;
  data?: Record<string, unknown>;
};

/** The activity-log row of an event (for a caller that inserts it within a larger statement). */
export function invitationEventValues(event: TEvent): typeof invitationEvent.$inferInsert {
  return {
    invitationId: event.invitationId,
    type: event.type,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    data: event.data ?? {},
    ip: truncateIp(event.client?.ip ?? null),
    userAgent: event.client?.userAgent?.slice(0, 300) ?? null,
  };
}

/** Appends to the activity log. Never put a secret in `data`. */
export async function recordEvent(db: TDbOrTx, event: TEvent): Promise<void> {
  await db.insert(invitationEvent).values(invitationEventValues(event));
  const webhook = WEBHOOK_OF[event.type];
  if (webhook) {
    await emitInvitationWebhook(db, event.invitationId, webhook, {
      ...event.data,
      actorType: event.actor.type,
    });
  }
}
