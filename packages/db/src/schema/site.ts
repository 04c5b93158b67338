import { relations } from "drizzle-orm";
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { company } from "./company";

/** A building a company manages; connections cover one or more sites. */
export const site = pgTable(
  "site",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("site_company_idx").on(t.companyId)],
);

export const siteRelations = relations(site, ({ one }) => ({
  company: one(company, { fields: [site.companyId], references: [company.id] }),
}));
