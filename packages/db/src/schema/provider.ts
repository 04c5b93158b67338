import { boolean, jsonb, pgTable, text } from "drizzle-orm/pg-core";

/**
 * The catalog of supported utilities. The remote browser may only load a provider's
 * `allowedHostnames`; an unknown provider gets manual entry, never an arbitrary URL.
 */
export const provider = pgTable("provider", {
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
});
