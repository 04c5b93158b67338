// Rate-limit counters shared by every API replica (rate-limiter-flexible's Postgres store,
// apps/api/src/rate-limit.ts). The table has the library's own shape; it is created here
// by migration, not by the library at start, because replicas starting together raced
// to create it ("type already exists") and one of them died.
import { bigint, integer, pgTable, varchar } from "drizzle-orm/pg-core";

export const rateLimiterFlexible = pgTable("rate_limiter_flexible", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});
