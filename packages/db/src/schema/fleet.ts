// The worker fleet's registry, in PostgreSQL so every API replica routes with the same
// view. Workers write it only through the API's internal endpoints (fleet token).
import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { recipientSession } from "./invitation";
import { loginSession } from "./login-session";

export const worker = pgTable("worker", {
  id: text("id").primaryKey(),
  /** Where the API reaches the worker (never exposed to recipients). */
  url: text("url").notNull(),
  /**
   * The worker process's ephemeral public key (EC P-256 JWK, JSON), checked against what
   * the worker at `url` serves before it is admitted. Collection credentials are sealed
   * to it. Null only for rows written by hand (tests, operators): they get no credential.
   */
  publicKey: text("public_key"),
  /** Interactive (recipient) slots. */
  capacity: integer("capacity").notNull(),
  /** Slots for headless collections, on top of `capacity`. */
  headlessCapacity: integer("headless_capacity").notNull().default(1),
  /** As the worker last reported; placement counts live login sessions instead. */
  activeSessions: integer("active_sessions").notNull().default(0),
  version: text("version").notNull().default("unknown"),
  draining: boolean("draining").notNull().default(false),
  registeredAt: timestamp("registered_at", { withTimezone: true }).notNull().defaultNow(),
  lastHeartbeatAt: timestamp("last_heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Single-use, short-lived permission to open one stream, bound to a recipient session. */
export const streamTicket = pgTable("stream_ticket", {
  tokenHash: text("token_hash").primaryKey(),
  loginSessionId: uuid("login_session_id")
    .notNull()
    .references(() => loginSession.id),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/** Recipients waiting for a free browser while the whole fleet is full. */
export const loginQueue = pgTable(
  "login_queue",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recipientSessionId: uuid("recipient_session_id")
      .notNull()
      .references(() => recipientSession.id),
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true }).notNull().defaultNow(),
    lastPolledAt: timestamp("last_polled_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("login_queue_enqueued_idx").on(t.enqueuedAt)],
);
