import type { TLoginRecipe } from "@meterlink/shared/recipe";
import { relations, sql } from "drizzle-orm";
import {
  date,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { company } from "./company";
import { provider } from "./provider";
import { site } from "./site";

export const CONNECTION_STATUSES = ["pending", "active", "error"] as const;

/**
 * Access to one utility account. Created only when a recipient completes an invitation;
 * the credential is stored sealed (JWE) and the API process cannot open it.
 */
export const connection = pgTable(
  "connection",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    providerId: text("provider_id").references(() => provider.id),
    /** For manual entry of a provider outside the catalog. */
    providerName: text("provider_name").notNull(),
    utilityTypes: text("utility_types").array().notNull().default([]),
    ownerEmail: text("owner_email"),
    collectionStartDate: date("collection_start_date"),
    status: text("status", { enum: CONNECTION_STATUSES }).notNull().default("pending"),
    /** Why a connection is in error, in words an admin understands. */
    statusReason: text("status_reason"),
    sealedCredential: text("sealed_credential"),
    /**
     * Keyed hash of provider + normalised username (@meterlink/shared/account-tag): two
     * connections of a company with the same tag are the same utility account. Never the
     * username itself. Null for connections made before it existed.
     */
    accountTag: text("account_tag"),
    /**
     * Set when the account was signed in to at an address no provider uses (the recipient
     * typed it): the registrable domain, for the platform team to promote to the catalog.
     */
    unlistedDomain: text("unlisted_domain"),
    /** How the recipient signed in live (#19): non-secret, replayed by the collection. */
    loginRecipe: jsonb("login_recipe").$type<TLoginRecipe>(),
    /**
     * The utility account number, as the newest bill that prints one shows it. Not a
     * credential (it is on every bill), but kept out of logs. Never reset to null.
     */
    accountNumber: text("account_number"),
    lastCollectedAt: timestamp("last_collected_at", { withTimezone: true }),
    /**
     * Local part of the connection's MFA forwarding address (`c-…@INBOUND_EMAIL_DOMAIN`).
     * Only the local part is stored so the domain can change by configuration. Set by the
     * database on insert, so every path that creates a connection gets one.
     */
    forwardingKey: text("forwarding_key")
      .notNull()
      .unique()
      .default(sql`('c-' || substr(md5(gen_random_uuid()::text), 1, 12))`),
    /** A number of our SMS provider (E.164) that receives this connection's codes. */
    smsNumber: text("sms_number"),
    /**
     * The owner's phone that forwards this connection's texts to the shared number (E.164),
     * learned from a text only this connection could have been meant by: later it tells
     * this connection's codes from another's waiting at the same time.
     */
    forwardingPhone: text("forwarding_phone"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("connection_company_idx").on(t.companyId, t.createdAt),
    index("connection_account_tag_idx").on(t.companyId, t.accountTag),
  ],
);

export const connectionSite = pgTable(
  "connection_site",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connection.id),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.siteId] })],
);

export const connectionRelations = relations(connection, ({ one, many }) => ({
  company: one(company, { fields: [connection.companyId], references: [company.id] }),
  provider: one(provider, { fields: [connection.providerId], references: [provider.id] }),
  sites: many(connectionSite),
}));

export const connectionSiteRelations = relations(connectionSite, ({ one }) => ({
  connection: one(connection, {
    fields: [connectionSite.connectionId],
    references: [connection.id],
  }),
  site: one(site, { fields: [connectionSite.siteId], references: [site.id] }),
}));
