import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { company } from "./company";

/**
 * The catalog of supported utilities. The remote browser may only load a provider's
 * `allowedHostnames`; an unknown provider gets manual entry, never an arbitrary URL.
 * `catalog` rows come from the shipped data files and every company sees them; a
 * `company` row is a utility one company added (Settings › Utilities), seen by it alone.
 */
export const PROVIDER_KINDS = ["catalog", "company"] as const;

export const provider = pgTable(
  "provider",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    country: text("country").notNull(),
    loginUrl: text("login_url").notNull(),
    allowedHostnames: text("allowed_hostnames").array().notNull(),
    utilityTypes: text("utility_types").array().notNull().default([]),
    mfa: text("mfa", { enum: ["none", "sms", "email"] })
      .notNull()
      .default("none"),
    isSandbox: boolean("is_sandbox").notNull().default(false),
    /** Per-provider hints for outcome detection and collection (selectors, texts). */
    rules: jsonb("rules").notNull().default({}),
    kind: text("kind", { enum: PROVIDER_KINDS }).notNull().default("catalog"),
    /** The company whose own utility this is; null for the shared catalog. */
    companyId: uuid("company_id").references(() => company.id),
    /** The registrable domain the hostnames were derived from (company utilities). */
    registrableDomain: text("registrable_domain"),
    /**
     * The numbers or short codes this utility texts its codes from (normalized): how a
     * text to the deployment's shared SMS number is told apart from another utility's.
     * Configured, or learned from the first code matched to one of its connections.
     */
    smsSenders: text("sms_senders").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("provider_company_idx").on(t.companyId)],
);
