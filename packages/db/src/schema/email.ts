// Outbox of emails. A row is written in the same transaction as what caused it; the
// send job (pg-boss) picks it up after commit, so nothing is lost on a crash or restart.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { company } from "./company";
import { invitation } from "./invitation";

// new_link_request: to the sender, asked for on a dead link's page.
// team_invitation, password_reset: to admins (services/team), not about a recipient invitation.
export const EMAIL_KINDS = [
  "invitation",
  "verification",
  "reconnect",
  "new_link_request",
  "team_invitation",
  "password_reset",
] as const;
export const EMAIL_STATUSES = [
  "queued",
  "sent",
  "failed",
  "delivered",
  "bounced",
  "complained",
] as const;

export const emailMessage = pgTable(
  "email_message",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    invitationId: uuid("invitation_id").references(() => invitation.id),
    kind: text("kind", { enum: EMAIL_KINDS }).notNull(),
    to: text("to").notNull(),
    /** What the template needs besides the invitation (e.g. the sealed verification link). */
    payload: jsonb("payload").$type<Record<string, string>>().notNull().default({}),
    status: text("status", { enum: EMAIL_STATUSES }).notNull().default("queued"),
    failureReason: text("failure_reason"),
    providerMessageId: text("provider_message_id"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_message_invitation_idx").on(t.invitationId),
    index("email_message_status_idx").on(t.status, t.createdAt),
  ],
);
