// A live (or headless) browser session on a worker. Accounting for the activity log and
// capacity planning; the sealed credential waits here until the recipient completes.
// Invariant: a row with `ended_at` null is a browser that really exists (placement counts
// it as used capacity); apps/api/src/services/fleet/sessions.ts is its only writer.
import type { TLoginEndReason } from "@meterlink/shared/fleet";
import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { invitation, recipientSession } from "./invitation";

export const LOGIN_OUTCOMES = [
  "success",
  "failure",
  "mfa",
  "unsure",
  "abandoned",
  "expired",
  "worker_lost",
  "revoked",
] as const;

export const loginSession = pgTable(
  "login_session",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    invitationId: uuid("invitation_id").references(() => invitation.id),
    recipientSessionId: uuid("recipient_session_id").references(() => recipientSession.id),
    providerId: text("provider_id"),
    workerId: text("worker_id"),
    mode: text("mode", { enum: ["interactive", "headless"] })
      .notNull()
      .default("interactive"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    outcome: text("outcome", { enum: LOGIN_OUTCOMES }),
    endReason: text("end_reason").$type<TLoginEndReason>(),
    sealedCredential: text("sealed_credential"),
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("login_session_invitation_idx").on(t.invitationId),
    // Placement and reconciliation read only the open rows of a worker.
    index("login_session_open_idx").on(t.workerId).where(sql`${t.endedAt} is null`),
  ],
);
