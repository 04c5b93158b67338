// The developer platform: company API keys, idempotency records of REST creates, and
// outgoing webhooks. Invariants:
// - an API key is stored as a sha256 hash (plus a short prefix to recognise it): a
//   database dump yields no working key; revoking keeps the row (audit), never deletes;
// - webhook events are an outbox: written in the transaction of what caused them, then
//   delivered by the job queue; every delivery attempt leaves a `webhook_delivery` row.
import { relations } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";
import { company } from "./company";

export const apiKey = pgTable(
  "api_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    name: text("name").notNull(),
    /** The first characters of the key (`ml_live_ab12`), shown so admins can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** sha256 of the whole key, hex. */
    keyHash: text("key_hash").notNull().unique(),
    /** false: an `ml_test_` key, acting on the company's test environment. */
    livemode: boolean("livemode").notNull().default(true),
    createdBy: text("created_by").references(() => user.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by").references(() => user.id),
  },
  (t) => [index("api_key_company_idx").on(t.companyId, t.createdAt)],
);

/**
 * One REST create made with an `Idempotency-Key`: the same key and body within 24 h get
 * the stored answer back instead of a second invitation. `statusCode` is null while the
 * first request is still running.
 */
export const idempotencyRecord = pgTable(
  "idempotency_record",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKey.id),
    key: text("key").notNull(),
    /** sha256 of method, path and body: a reused key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code"),
    response: jsonb("response"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("idempotency_record_key_idx").on(t.apiKeyId, t.key)],
);

export const webhookEndpoint = pgTable(
  "webhook_endpoint",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    url: text("url").notNull(),
    description: text("description"),
    /** The `whsec_…` signing secret, AES-256-GCM with the token key (it must be readable to sign). */
    secretCiphertext: text("secret_ciphertext").notNull(),
    /**
     * The secret before the last rotation, still signing (beside the new one) until
     * previousSecretExpiresAt, so receivers can switch without missing an event.
     */
    previousSecretCiphertext: text("previous_secret_ciphertext"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    /** Event types delivered here; empty = all. */
    eventTypes: text("event_types").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Deleted endpoints keep their delivery log; nothing is sent to them any more. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [index("webhook_endpoint_company_idx").on(t.companyId)],
);

export const webhookEvent = pgTable(
  "webhook_event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** Only this endpoint (a "send test event", a redelivery); null = every subscribed endpoint. */
    endpointId: uuid("endpoint_id").references(() => webhookEndpoint.id),
    /**
     * A redelivery asked for by the company: sent again under the original event's id
     * (webhook-id and body), so receivers see the same event, not a new one.
     */
    redeliveryOf: uuid("redelivery_of"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When delivery jobs were enqueued for it; null = still in the outbox. */
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_event_outbox_idx").on(t.dispatchedAt, t.createdAt),
    index("webhook_event_company_idx").on(t.companyId, t.createdAt),
  ],
);

/** One row per attempt to deliver one event to one endpoint. */
export const webhookDelivery = pgTable(
  "webhook_delivery",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvent.id),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoint.id),
    attempt: integer("attempt").notNull(),
    ok: boolean("ok").notNull(),
    /** The endpoint's HTTP status; null when it did not answer. */
    statusCode: integer("status_code"),
    /** Why it failed, in words (never the response body, which may hold anything). */
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_delivery_endpoint_idx").on(t.endpointId, t.createdAt)],
);

export const apiKeyRelations = relations(apiKey, ({ one }) => ({
  company: one(company, { fields: [apiKey.companyId], references: [company.id] }),
}));

export const webhookEndpointRelations = relations(webhookEndpoint, ({ one, many }) => ({
  company: one(company, { fields: [webhookEndpoint.companyId], references: [company.id] }),
  deliveries: many(webhookDelivery),
}));

export const webhookDeliveryRelations = relations(webhookDelivery, ({ one }) => ({
  event: one(webhookEvent, { fields: [webhookDelivery.eventId], references: [webhookEvent.id] }),
  endpoint: one(webhookEndpoint, {
    fields: [webhookDelivery.endpointId],
    references: [webhookEndpoint.id],
  }),
}));
