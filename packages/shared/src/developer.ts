// Wire schemas of the developer platform: API keys and webhooks (admin side), and the
// REST API's inputs and outputs. The REST inputs are cut from the same schemas as the
// admin's tRPC procedures (ZCreateInvitation, ZListInvitations), so the two cannot drift;
// the outputs document what the services return and are checked on every response.
import { z } from "zod";
import {
  MAX_INT4,
  MAX_PAGE,
  UTILITY_TYPES,
  ZCreateInvitation,
  ZListInvitations,
} from "./invitation";
import { INVITATION_STATUSES } from "./invitation-status";

// ——— API keys ———

/** Every key starts with one of these, so secret scanners and people recognise one. */
export const API_KEY_PREFIX = "ml_live_";
/** A test-mode key: it acts on the company's test environment, never on live data. */
export const TEST_API_KEY_PREFIX = "ml_test_";

export const API_KEY_MODES = ["live", "test"] as const;
export type TApiKeyMode = (typeof API_KEY_MODES)[number];

export const ZCreateApiKey = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { error: "Name the key after where it is used, like “CRM sync”." })
    .max(100, { error: "Keep the name under 100 characters." }),
  /** `test`: an `ml_test_` key, isolated from live invitations, connections and webhooks. */
  mode: z.enum(API_KEY_MODES, { error: "Pick live or test." }).default("live"),
});
export type TCreateApiKey = z.input<typeof ZCreateApiKey>;

export const ZApiKeyId = z.strictObject({ id: z.uuid({ error: "Unknown API key." }) });

/** One email of the company's test environment, opened in the admin app (Developers). */
export const ZTestEmailId = z.strictObject({ id: z.uuid({ error: "Unknown test email." }) });

// ——— Webhooks ———

export const WEBHOOK_EVENT_TYPES = [
  "invitation.created",
  "invitation.viewed",
  "invitation.email_verified",
  "invitation.email_bounced",
  "invitation.revoked",
  "invitation.expired",
  "invitation.fulfilled",
  "connection.created",
  "connection.updated",
  "connection.status_changed",
  "bill.created",
] as const;
export const ZWebhookEventType = z.enum(WEBHOOK_EVENT_TYPES, {
  error: "Pick event types from the list.",
});
export type TWebhookEventType = z.infer<typeof ZWebhookEventType>;
/**
 * The version of every webhook payload's schema. A breaking change to a payload bumps
 * it and is announced; new fields and new event types are not breaking.
 */
export const WEBHOOK_PAYLOAD_VERSION = 1;
/** Sent only by "send test event", to one endpoint. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

const LOOPBACK_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?\//;

/** Where events are POSTed: https, or plain http on loopback for local development. */
export const ZWebhookUrl = z
  .url({ error: "Enter the endpoint's address, starting with https://." })
  .max(2000)
  .refine((value) => value.startsWith("https://") || LOOPBACK_HTTP.test(value), {
    error: "Use an https:// address (plain http is allowed only for localhost).",
  })
  .refine(
    (value) => {
      // Refinements run even after the URL check failed: parse defensively.
      const url = URL.canParse(value) ? new URL(value) : null;
      return !url || (!url.username && !url.password);
    },
    { error: "Leave credentials out of the address; verify our signature instead." },
  );

export const ZCreateWebhookEndpoint = z.strictObject({
  url: ZWebhookUrl,
  description: z.string().trim().max(200).optional(),
  /** Empty: every event type, including ones added later. */
  eventTypes: z
    .array(ZWebhookEventType)
    .max(WEBHOOK_EVENT_TYPES.length)
    .default([])
    .transform((types) => [...new Set(types)]),
});
export type TCreateWebhookEndpoint = z.input<typeof ZCreateWebhookEndpoint>;

export const ZWebhookEndpointId = z.strictObject({ id: z.uuid({ error: "Unknown endpoint." }) });

/** Seconds the old secret keeps signing after a rotation: 0 (a leak) to 7 days. */
export const ZRotateWebhookSecret = z.strictObject({
  id: z.uuid({ error: "Unknown endpoint." }),
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60 * 60, { error: "The overlap can last at most 7 days (604800 seconds)." })
    .default(24 * 60 * 60),
});

export const ZRedeliverWebhook = z.strictObject({
  id: z.uuid({ error: "Unknown endpoint." }),
  deliveryId: z.uuid({ error: "Unknown delivery." }),
});

export const ZWebhookDeliveries = z.strictObject({
  endpointId: z.uuid({ error: "Unknown endpoint." }),
  limit: z.number().int().min(1).max(200).default(50),
});

// ——— REST API (/api/v1) ———

const [ZContributorBranch, ZReconnectBranch] = ZCreateInvitation.options;

/** POST /invitations: a contributor invitation, with any prefill. */
export const ZApiCreateInvitation = ZContributorBranch.omit({ kind: true });
/** POST /connections/{id}/reconnect-invitations: the connection comes from the path. */
export const ZApiCreateReconnectInvitation = ZReconnectBranch.omit({
  kind: true,
  targetConnectionId: true,
}).extend({ id: z.uuid({ error: "Unknown connection." }) });

/** GET /invitations: the admin list's filters, read from the query string (numbers as text). */
export const ZApiListInvitations = ZListInvitations.extend({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZApiId = z.strictObject({ id: z.uuid({ error: "Unknown id." }) });

/** A count the database holds in an `integer` column. */
export const ZCount = z.number().int().min(0).max(MAX_INT4);

export const ZTimestamp = z.iso.datetime({ offset: true });
export const ZNullableTimestamp = ZTimestamp.nullable();

/** Stripe's `livemode`, on every REST object: which environment it belongs to. */
export const ZLivemode = z.boolean().meta({
  description:
    "false for an object of your test environment (made with an `ml_test_` key), true for live data.",
});

export const ZApiPrefill = z.object({
  providerId: z.string().nullish(),
  providerUrl: z.string().nullish(),
  country: z.string().nullish(),
  siteIds: z.array(z.string()).optional(),
  utilityTypes: z.array(z.string()).optional(),
  ownerEmail: z.string().nullish(),
  collectionStartDate: z.string().nullish(),
});

export const ZApiInvitation = z
  .object({
    id: z.uuid(),
    livemode: ZLivemode,
    kind: z.enum(["contributor", "reconnect"]),
    legacy: z.boolean().meta({
      deprecated: true,
      description:
        "true for a legacy magic link of the previous system (imported; its old `/p/connect/…` URL still opens the flow). Deprecated: none can be created; replace them with new invitations.",
    }),
    status: z.enum(INVITATION_STATUSES),
    targetConnectionId: z.uuid().nullable(),
    allowedEmails: z.array(z.string()),
    expiryKind: z.enum(["never", "duration", "date"]),
    expiresAt: ZNullableTimestamp,
    maxUses: ZCount.nullable(),
    uses: ZCount,
    revokedAt: ZNullableTimestamp,
    revokedBy: z.string().nullable(),
    revokedByType: z.enum(["admin", "api"]).nullable(),
    prefill: ZApiPrefill,
    delivery: z.enum(["email", "manual"]),
    recipients: z.array(z.string()),
    message: z.string().nullable(),
    locale: z.string(),
    /** The admin's own label for it, if they gave one. */
    name: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    externalReference: z.string().nullable(),
    redirectUrl: z.string().nullable(),
    createdVia: z.string(),
    createdAt: ZTimestamp,
  })
  .meta({ id: "Invitation" });

export const ZApiCreatedInvitation = z
  .object({
    id: z.uuid(),
    livemode: ZLivemode,
    /** The recipient link; keep it like a password until it is sent. */
    url: z.url(),
    emailsQueued: ZCount,
  })
  .meta({ id: "CreatedInvitation" });

export const ZApiInvitationDetail = ZApiInvitation.extend({
  url: z.url(),
  events: z.array(
    z.object({
      id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      type: z.string(),
      actorType: z.string(),
      actorId: z.string().nullable(),
      data: z.record(z.string(), z.unknown()),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      createdAt: ZTimestamp,
    }),
  ),
  connections: z.array(
    z.object({
      id: z.uuid(),
      providerName: z.string(),
      status: z.string(),
      statusReason: z.string().nullable(),
      action: z.enum(["created", "updated"]),
      linkedAt: ZTimestamp,
    }),
  ),
  emails: z.array(
    z.object({
      id: z.uuid(),
      to: z.string(),
      kind: z.string(),
      status: z.string(),
      failureReason: z.string().nullable(),
      createdAt: ZTimestamp,
      sentAt: ZNullableTimestamp,
    }),
  ),
}).meta({ id: "InvitationDetail" });

export const ZApiInvitationList = z
  .object({
    items: z.array(ZApiInvitation),
    total: ZCount,
    page: ZCount,
    pageSize: ZCount,
    counts: z.object({
      all: ZCount,
      active: ZCount,
      expired: ZCount,
      revoked: ZCount,
      fulfilled: ZCount,
    }),
  })
  .meta({ id: "InvitationList" });

export const ZApiResendInvitation = ZApiId.extend({
  /** Defaults to the invitation's recipients. */
  recipients: z
    .array(z.email({ error: "Enter a valid email address, like name@example.com." }))
    .max(50)
    .optional(),
});
export const ZApiResendResult = z.object({ emailsQueued: ZCount });

export const ZApiConnection = z
  .object({
    id: z.uuid(),
    livemode: ZLivemode,
    providerId: z.string().nullable(),
    providerName: z.string(),
    utilityTypes: z.array(z.enum(UTILITY_TYPES).or(z.string())),
    ownerEmail: z.string().nullable(),
    status: z.enum(["pending", "active", "error"]),
    statusReason: z.string().nullable(),
    collectionStartDate: z.string().nullable(),
    lastCollectedAt: ZNullableTimestamp,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    sites: z.array(z.object({ id: z.uuid(), name: z.string() })),
    /** Inherited from the invitation that created the connection. */
    metadata: z.record(z.string(), z.string()),
    externalReference: z.string().nullable(),
    invitationId: z.uuid().nullable(),
    /** Other connections of the company to the same utility account (duplicates). */
    sameAccountAs: z.array(z.uuid()),
    /** Signed in at an address no provider uses: its registrable domain (unlisted utility). */
    unlistedDomain: z.string().nullable(),
    accountNumber: z
      .string()
      .nullable()
      .meta({
        description:
          "The utility account number as the newest bill that prints one shows it (read from the bill's PDF); null until a collected bill shows one.",
        examples: ["NW-4410-2291"],
      }),
  })
  .meta({ id: "Connection" });

// ——— Bills ———

/** A bill document's kind: the utility's PDF, or its CSV/XLSX data export. */
export const ZApiBillFile = z.object({
  kind: z.enum(["pdf", "csv", "xlsx"]),
  contentType: z.string(),
  bytes: ZCount,
  sha256: z.string(),
});

export const ZApiBill = z
  .object({
    id: z.uuid(),
    livemode: ZLivemode,
    connectionId: z.uuid(),
    /** The utility's own bill number, or `sha256:…` for a document found without one. */
    externalId: z.string(),
    utilityType: z.string().nullable(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    issuedOn: z.string().nullable(),
    dueOn: z.string().nullable(),
    usage: z.string().nullable().meta({ description: "Decimal as a string, in `unit`." }),
    unit: z.string().nullable(),
    amount: z.string().nullable().meta({ description: "Decimal as a string, in `currency`." }),
    currency: z.string().nullable(),
    accountNumber: z
      .string()
      .nullable()
      .meta({ description: "The utility account number printed on this bill, when read." }),
    /** Kept, but nothing could be read from its document: a person should look at it. */
    needsReview: z.boolean(),
    files: z.array(ZApiBillFile),
    collectedAt: ZTimestamp,
  })
  .meta({ id: "Bill" });
/** A bill as services/bills builds it; the REST layer adds `livemode` (the key's environment). */
export type TApiBill = Omit<z.infer<typeof ZApiBill>, "livemode">;

export const ZApiBillList = z.object({ items: z.array(ZApiBill) }).meta({ id: "BillList" });

/** GET /bills/{id}/document: the PDF by default, or the data export. */
export const ZApiBillDocument = z.strictObject({
  id: z.uuid({ error: "Unknown bill." }),
  kind: z.enum(["pdf", "csv", "xlsx"]).optional(),
});

/** GET /connections: filters, search and pages, read from the query string. */
export const ZApiListConnections = z.strictObject({
  status: z.enum(["pending", "active", "error"]).optional(),
  providerId: z.string().min(1).max(100).optional(),
  siteId: z.uuid({ error: "Unknown site." }).optional(),
  externalReference: z.string().min(1).max(255).optional(),
  /** Matched against the provider name, the owner email and the external reference. */
  search: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TApiListConnections = z.output<typeof ZApiListConnections>;

export const ZApiConnectionList = z
  .object({
    items: z.array(ZApiConnection),
    total: ZCount,
    page: ZCount,
    pageSize: ZCount,
  })
  .meta({ id: "ConnectionList" });

export const ZApiWebhookDeliveries = z.strictObject({
  id: z.uuid({ error: "Unknown endpoint." }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZApiWebhookEndpoint = z
  .object({
    id: z.uuid(),
    livemode: ZLivemode,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    createdAt: ZTimestamp,
    previousSecretExpiresAt: ZNullableTimestamp,
  })
  .meta({ id: "WebhookEndpoint" });

export const ZApiWebhookEndpointWithSecret = ZApiWebhookEndpoint.extend({
  /** Shown only in this answer: store it now. */
  secret: z.string(),
}).meta({ id: "WebhookEndpointWithSecret" });

export const ZApiWebhookEndpointList = z
  .object({ items: z.array(ZApiWebhookEndpoint) })
  .meta({ id: "WebhookEndpointList" });

export const ZApiWebhookDeliveryList = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        eventId: z.uuid(),
        eventType: z.string(),
        redelivery: z.boolean(),
        payload: z.record(z.string(), z.unknown()),
        attempt: ZCount,
        ok: z.boolean(),
        statusCode: ZCount.nullable(),
        error: z.string().nullable(),
        durationMs: ZCount,
        createdAt: ZTimestamp,
      }),
    ),
  })
  .meta({ id: "WebhookDeliveryList" });

export const ZApiQueuedEvent = z.object({ eventId: z.uuid() });
export const ZApiDeleted = z.object({ id: z.uuid(), deleted: z.literal(true) });

/** Every REST error: the AppError code, a sentence for people, and field problems. */
export const ZApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
