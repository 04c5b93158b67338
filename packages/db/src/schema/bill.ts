// Bill collection: one `collection_run` per attempt to sign in and read a connection's
// bills (its activity log; never deleted), the `bill` rows it found (one per provider
// bill id and connection: a bill is stored once however often it is seen), and the MFA
// codes forwarded to a connection's inbound address. A code is stored encrypted, valid
// for minutes, and consumed once.
import { relations, sql } from "drizzle-orm";
import {
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { company } from "./company";
import { connection } from "./connection";
import { loginSession } from "./login-session";

export const COLLECTION_TRIGGERS = ["first", "weekly", "reconnect", "manual"] as const;
export const COLLECTION_RUN_STATUSES = [
  "running",
  "waiting_for_code",
  "succeeded",
  "failed",
  "retrying",
] as const;

export const collectionRun = pgTable(
  "collection_run",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connection.id),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    trigger: text("trigger", { enum: COLLECTION_TRIGGERS }).notNull(),
    status: text("status", { enum: COLLECTION_RUN_STATUSES }).notNull().default("running"),
    /** Machine reason (`wrong_password`, `provider_down`…); the admin text is `message`. */
    reason: text("reason"),
    message: text("message"),
    billsFound: integer("bills_found").notNull().default(0),
    billsNew: integer("bills_new").notNull().default(0),
    /** 1 for the first try of a job, then pg-boss retries. */
    attempt: integer("attempt").notNull().default(1),
    loginSessionId: uuid("login_session_id").references(() => loginSession.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("collection_run_connection_idx").on(t.connectionId, t.startedAt)],
);

export type TBillFile = {
  kind: "pdf" | "csv" | "xlsx";
  /** Storage key (relative path under STORAGE_DIR, or an object key). */
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
};

export const bill = pgTable(
  "bill",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connection.id),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    /** The provider's own bill id. */
    externalId: text("external_id").notNull(),
    utilityType: text("utility_type"),
    periodStart: date("period_start"),
    periodEnd: date("period_end"),
    issuedOn: date("issued_on"),
    dueOn: date("due_on"),
    usage: numeric("usage", { precision: 14, scale: 3 }),
    unit: text("unit"),
    amount: numeric("amount", { precision: 14, scale: 2 }),
    currency: text("currency"),
    /** The utility account number printed on the bill (read from its PDF), when found. */
    accountNumber: text("account_number"),
    files: jsonb("files").$type<TBillFile[]>().notNull().default([]),
    collectionRunId: uuid("collection_run_id").references(() => collectionRun.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("bill_connection_external_idx").on(t.connectionId, t.externalId),
    index("bill_company_idx").on(t.companyId, t.issuedOn),
  ],
);

export const mfaCode = pgTable(
  "mfa_code",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connection.id),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    /** AES-256-GCM under TOKEN_ENCRYPTION_KEY: a database dump alone yields no code. */
    codeEncrypted: text("code_encrypted").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    consumedByRunId: uuid("consumed_by_run_id").references(() => collectionRun.id),
  },
  (t) => [
    index("mfa_code_waiting_idx")
      .on(t.connectionId, t.receivedAt)
      .where(sql`${t.consumedAt} is null`),
  ],
);

export const collectionRunRelations = relations(collectionRun, ({ one, many }) => ({
  connection: one(connection, {
    fields: [collectionRun.connectionId],
    references: [connection.id],
  }),
  bills: many(bill),
}));

export const billRelations = relations(bill, ({ one }) => ({
  connection: one(connection, { fields: [bill.connectionId], references: [connection.id] }),
  run: one(collectionRun, { fields: [bill.collectionRunId], references: [collectionRun.id] }),
}));
