import { relations } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { company } from "./company";

/**
 * A building a company manages; connections cover one or more sites. Never deleted:
 * a site a connection covers is archived instead (hidden from recipients and pickers,
 * still shown on the connections that cover it).
 */
export const site = pgTable(
  "site",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    /** The company's own code for the building (from its CSV or its product), optional. */
    reference: text("reference"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("site_company_idx").on(t.companyId),
    // One reference per company, so an import or an integration can find "its" site.
    uniqueIndex("site_company_reference_idx").on(t.companyId, t.reference),
  ],
);

export const siteRelations = relations(site, ({ one }) => ({
  company: one(company, { fields: [site.companyId], references: [company.id] }),
}));
