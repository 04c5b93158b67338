import { relations, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";

/**
 * The tenant. Branding lives here because every recipient page and email reads it.
 * better-auth's organization plugin uses this table as its `organization` (auth.ts maps
 * the fields): `slug` and `metadata` are its columns.
 */
export const company = pgTable("company", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").unique(),
  metadata: text("metadata"),
  displayName: text("display_name").notNull(),
  logoUrl: text("logo_url"),
  primaryColor: text("primary_color").notNull().default("#0f766e"),
  accentColor: text("accent_color").notNull().default("#f59e0b"),
  font: text("font").notNull().default("system"),
  /** An uploaded WOFF2 font as a data: URL (validated, at most 512 KB), served at /brand/:id/font. */
  fontFile: text("font_file"),
  whiteLabel: boolean("white_label").notNull().default(false),
  allowedFrameOrigins: text("allowed_frame_origins").array().notNull().default([]),
  /**
   * Set on a company's test environment (what `ml_test_` keys act on): a company of its
   * own, so every company-scoped query isolates test data from live data by itself. It
   * has no members; its name, branding and origins are kept in step with the live one.
   */
  testOf: uuid("test_of")
    .unique()
    .references((): AnyPgColumn => company.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** owner: everything, the team included; admin: everything but the team; viewer: reads only. */
export const MEMBERSHIP_ROLES = ["owner", "admin", "viewer"] as const;
export type TMembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** better-auth's organization `member`: the plugin finds and updates a member by `id`. */
export const membership = pgTable(
  "membership",
  {
    id: text("id").notNull().unique().default(sql`gen_random_uuid()::text`),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    role: text("role", { enum: MEMBERSHIP_ROLES }).notNull().default("admin"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.companyId] })],
);

export const companyRelations = relations(company, ({ many }) => ({
  memberships: many(membership),
}));

export const membershipRelations = relations(membership, ({ one }) => ({
  user: one(user, { fields: [membership.userId], references: [user.id] }),
  company: one(company, { fields: [membership.companyId], references: [company.id] }),
}));
