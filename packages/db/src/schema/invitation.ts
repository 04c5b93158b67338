// Invitations and everything a recipient does with one. Status is never stored: it is
// derived from revokedAt, uses/maxUses and expiresAt by the rule in
// @meterlink/shared/invitation-status, and the SQL filter in the API must agree with it.
// Nothing here is ever deleted; revoke instead.
import { relations } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";
import { company } from "./company";
import { connection } from "./connection";
import { apiKey } from "./developer";

export const INVITATION_KINDS = ["contributor", "reconnect"] as const;
export const EXPIRY_KINDS = ["never", "duration", "date"] as const;
export const DELIVERY_KINDS = ["email", "manual"] as const;

export type TInvitationPrefill = {
  providerId?: string | null;
  providerUrl?: string | null;
  country?: string | null;
  siteIds?: string[];
  utilityTypes?: string[];
  ownerEmail?: string | null;
  collectionStartDate?: string | null;
};

export const invitation = pgTable(
  "invitation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    kind: text("kind", { enum: INVITATION_KINDS }).notNull(),
    /** Old magic links: they still resolve into the flow; none can be created. */
    legacy: boolean("legacy").notNull().default(false),
    /**
     * sha256 of an imported legacy link's path (`connect/{publicCompanyId}/{secret}` or
     * `connect/{publicCompanyId}/workflow/{secret}`): finds the row from the old URL,
     * useless to build it. null for every invitation made here.
     */
    legacyPathHash: text("legacy_path_hash").unique(),
    targetConnectionId: uuid("target_connection_id").references(() => connection.id),
    /** sha256 of the token: enough to find the row, useless to open the link. */
    tokenHash: text("token_hash").notNull().unique(),
    /** AES-256-GCM copy for "copy link"; the key is not in the database. */
    tokenCiphertext: text("token_ciphertext").notNull(),
    allowedEmails: text("allowed_emails").array().notNull().default([]),
    expiryKind: text("expiry_kind", { enum: EXPIRY_KINDS }).notNull().default("never"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** null = unlimited. */
    maxUses: integer("max_uses"),
    uses: integer("uses").notNull().default(0),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** The admin who revoked it; or, over the REST API, the key (revokedByApiKeyId). */
    revokedBy: text("revoked_by").references(() => user.id),
    revokedByApiKeyId: uuid("revoked_by_api_key_id").references(() => apiKey.id),
    prefill: jsonb("prefill").$type<TInvitationPrefill>().notNull().default({}),
    delivery: text("delivery", { enum: DELIVERY_KINDS }).notNull(),
    recipients: text("recipients").array().notNull().default([]),
    message: text("message"),
    locale: text("locale").notNull().default("en"),
    /** The admin's own label ("Harbor View, boiler room"), shown instead of the recipient. */
    name: text("name"),
    /**
     * The integrator's own keys (Plaid's client_user_id): a bounded string map and one
     * reference, echoed in webhooks and inherited by the connections it creates.
     */
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    externalReference: text("external_reference"),
    /** Where the confirmation's "Back to …" button goes; on one of the company's origins. */
    redirectUrl: text("redirect_url"),
    createdBy: text("created_by").references(() => user.id),
    /** "admin", "api" (the REST API with a key) or "import" (legacy links, by the CLI). */
    createdVia: text("created_via").notNull().default("admin"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invitation_company_created_idx").on(t.companyId, t.createdAt)],
);

export const INVITATION_EVENT_TYPES = [
  "created",
  "email_queued",
  "email_sent",
  "email_failed",
  "email_resent",
  "email_delivered",
  "email_bounced",
  "email_complained",
  "viewed",
  "verification_sent",
  "email_verified",
  "login_started",
  "login_succeeded",
  "login_failed",
  "manual_entry",
  "submitted",
  "connection_created",
  "connection_updated",
  "fulfilled",
  "revoked",
  /** A recipient on the dead link's page asked the sender for a new one. */
  "new_link_requested",
  /** Recorded by the expiry sweep when expiresAt passes (status stays derived). */
  "expired",
] as const;
export type TInvitationEventType = (typeof INVITATION_EVENT_TYPES)[number];

/** Append-only activity log. */
export const invitationEvent = pgTable(
  "invitation_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    invitationId: uuid("invitation_id")
      .notNull()
      .references(() => invitation.id),
    type: text("type", { enum: INVITATION_EVENT_TYPES }).notNull(),
    actorType: text("actor_type", { enum: ["admin", "recipient", "system", "api"] }).notNull(),
    actorId: text("actor_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    /** Truncated (/24 or /48): enough to tell places apart, not to identify a person. */
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invitation_event_invitation_idx").on(t.invitationId, t.id)],
);

/** Connections created or updated through an invitation. */
export const invitationConnection = pgTable(
  "invitation_connection",
  {
    invitationId: uuid("invitation_id")
      .notNull()
      .references(() => invitation.id),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connection.id),
    action: text("action", { enum: ["created", "updated"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.invitationId, t.connectionId, t.createdAt] })],
);

/** Who a platform-sent invitation went to; the proof in their link skips verification. */
export const invitationRecipient = pgTable(
  "invitation_recipient",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    invitationId: uuid("invitation_id")
      .notNull()
      .references(() => invitation.id),
    email: text("email").notNull(),
    proofHash: text("proof_hash").notNull().unique(),
    proofCiphertext: text("proof_ciphertext").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invitation_recipient_invitation_idx").on(t.invitationId)],
);

/** A browser working through one invitation (httpOnly cookie holds the token). */
export const recipientSession = pgTable("recipient_session", {
  id: uuid("id").primaryKey().defaultRandom(),
  invitationId: uuid("invitation_id")
    .notNull()
    .references(() => invitation.id),
  tokenHash: text("token_hash").notNull().unique(),
  verifiedEmail: text("verified_email"),
  consentedAt: timestamp("consented_at", { withTimezone: true }),
  /**
   * Reserved for the connection this session will create, so the MFA step can show its
   * forwarding address before the connection exists; handed over (and cleared) on complete.
   */
  forwardingKey: text("forwarding_key").unique(),
  /**
   * When the MFA step started waiting for a forwarded test message: on a shared SMS
   * number, a text is this session's proof only while it is the one session waiting.
   */
  forwardingCheckAt: timestamp("forwarding_check_at", { withTimezone: true }),
  /** The phone this session's test text came from; the connection's forwardingPhone on complete. */
  forwardingPhone: text("forwarding_phone"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

export const emailVerification = pgTable("email_verification", {
  id: uuid("id").primaryKey().defaultRandom(),
  invitationId: uuid("invitation_id")
    .notNull()
    .references(() => invitation.id),
  recipientSessionId: uuid("recipient_session_id")
    .notNull()
    .references(() => recipientSession.id),
  email: text("email").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const invitationRelations = relations(invitation, ({ one, many }) => ({
  company: one(company, { fields: [invitation.companyId], references: [company.id] }),
  creator: one(user, { fields: [invitation.createdBy], references: [user.id] }),
  recipients: many(invitationRecipient),
  targetConnection: one(connection, {
    fields: [invitation.targetConnectionId],
    references: [connection.id],
  }),
  events: many(invitationEvent),
  connections: many(invitationConnection),
}));

export const invitationRecipientRelations = relations(invitationRecipient, ({ one }) => ({
  invitation: one(invitation, {
    fields: [invitationRecipient.invitationId],
    references: [invitation.id],
  }),
}));

export const invitationEventRelations = relations(invitationEvent, ({ one }) => ({
  invitation: one(invitation, {
    fields: [invitationEvent.invitationId],
    references: [invitation.id],
  }),
}));

export const invitationConnectionRelations = relations(invitationConnection, ({ one }) => ({
  invitation: one(invitation, {
    fields: [invitationConnection.invitationId],
    references: [invitation.id],
  }),
  connection: one(connection, {
    fields: [invitationConnection.connectionId],
    references: [connection.id],
  }),
}));
