// What each webhook's body holds (documented in the OpenAPI document's `webhooks`
// section, so integrators can type them): the envelope, and `data` per event type.
// New fields may be added to a `data` without a version bump; removing one needs one.
import { z } from "zod";
import {
  type TWebhookEventType,
  WEBHOOK_PAYLOAD_VERSION,
  WEBHOOK_TEST_EVENT,
  ZCount,
  ZNullableTimestamp,
  ZTimestamp,
} from "./developer";
import { INVITATION_STATUSES } from "./invitation-status";

const ZIntegratorKeys = {
  externalReference: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
};
const ZInvitationEventData = (extra: z.ZodRawShape) =>
  z.object({ invitationId: z.uuid(), ...ZIntegratorKeys, ...extra });
const ZActor = z.enum(["admin", "api", "recipient", "system"]);
/** On every `connection.*` event: the connection's account number at that moment. */
const ZAccountNumber = z.string().nullable().meta({
  description:
    "The utility account number as the newest collected bill that prints one shows it; null until then.",
});

/** What `data` holds, per event type. New fields may be added without a version bump. */
export const WEBHOOK_DATA = {
  "invitation.created": ZInvitationEventData({
    kind: z.enum(["contributor", "reconnect"]),
    delivery: z.enum(["email", "manual"]),
    recipients: ZCount,
    actorType: ZActor,
  }),
  "invitation.viewed": ZInvitationEventData({ via: z.string() }),
  "invitation.email_verified": ZInvitationEventData({ email: z.string(), actorType: ZActor }),
  "invitation.email_bounced": ZInvitationEventData({
    emailId: z.uuid(),
    to: z.string(),
    kind: z.string(),
    reason: z.string().optional(),
    actorType: ZActor,
  }),
  "invitation.revoked": ZInvitationEventData({
    previousStatus: z.enum(INVITATION_STATUSES),
    actorType: ZActor,
  }),
  "invitation.expired": ZInvitationEventData({
    expiresAt: ZNullableTimestamp,
    actorType: ZActor,
  }),
  "invitation.fulfilled": ZInvitationEventData({ connectionId: z.uuid() }),
  "connection.created": ZInvitationEventData({
    connectionId: z.uuid(),
    accountNumber: ZAccountNumber,
  }),
  "connection.updated": ZInvitationEventData({
    connectionId: z.uuid(),
    accountNumber: ZAccountNumber,
  }),
  "connection.status_changed": z.object({
    connectionId: z.uuid(),
    accountNumber: ZAccountNumber,
    status: z.enum(["pending", "active", "error"]),
    previousStatus: z.enum(["pending", "active", "error"]),
    reason: z.string().nullable(),
    ...ZIntegratorKeys,
  }),
  "bill.created": z.object({
    billId: z.uuid(),
    connectionId: z.uuid(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    issuedOn: z.string().nullable(),
    amount: z.string().nullable(),
    currency: z.string().nullable(),
    usage: z.string().nullable(),
    unit: z.string().nullable(),
    needsReview: z.boolean(),
    ...ZIntegratorKeys,
  }),
  [WEBHOOK_TEST_EVENT]: z.object({ message: z.string() }),
} satisfies Record<TWebhookEventType | typeof WEBHOOK_TEST_EVENT, z.ZodType>;

/** The body of every webhook: the envelope repeats the headers' id and time. */
export function webhookPayloadSchema(type: keyof typeof WEBHOOK_DATA) {
  return z.object({
    id: z.uuid().meta({ description: "The event id, also the `webhook-id` header." }),
    type: z.literal(type),
    version: z
      .literal(WEBHOOK_PAYLOAD_VERSION)
      .meta({ description: "The payload schema's version (see docs/webhooks.md)." }),
    companyId: z.uuid(),
    livemode: z.boolean().meta({
      description: "false for an event of your test environment (made with an `ml_test_` key).",
    }),
    occurredAt: ZTimestamp,
    timestamp: ZTimestamp.meta({ description: "Same as occurredAt (kept for older receivers)." }),
    data: WEBHOOK_DATA[type],
  });
}
