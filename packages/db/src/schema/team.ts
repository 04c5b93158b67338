// The team of a company: invitations of new members (better-auth's organization plugin
// writes them; auth.ts maps its `invitation` model here) and the audit log of every
// membership change. The log is append-only: nothing here is updated or deleted.
import { relations } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { company } from "./company";

export const TEAM_INVITATION_STATUSES = ["pending", "accepted", "rejected", "canceled"] as const;

export const teamInvitation = pgTable(
  "team_invitation",
  {
    id: text("id").primaryKey(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    email: text("email").notNull(),
    role: text("role").notNull(),
    status: text("status").notNull().default("pending"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    inviterId: text("inviter_id")
      .notNull()
      .references(() => user.id),
    /**
     * SHA-256 of the token in the emailed link, set when the email is queued. The link
     * carries the token, never the id, so a database dump yields no working link.
     */
    tokenHash: text("token_hash").unique(),
  },
  (t) => [index("team_invitation_company_idx").on(t.companyId, t.status)],
);

export const TEAM_EVENT_TYPES = [
  "invited",
  "invitation_canceled",
  "joined",
  "role_changed",
  "removed",
  "left",
] as const;
export type TTeamEventType = (typeof TEAM_EVENT_TYPES)[number];

export const teamEvent = pgTable(
  "team_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => company.id),
    type: text("type", { enum: TEAM_EVENT_TYPES }).notNull(),
    /** Who did it (null: nobody signed in, e.g. accepting an emailed invitation). */
    actorUserId: text("actor_user_id"),
    /** Whom it is about: the member's or the invited person's email, kept after removal. */
    subjectEmail: text("subject_email").notNull(),
    data: jsonb("data").$type<Record<string, string | null>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("team_event_company_idx").on(t.companyId, t.at)],
);

export const teamInvitationRelations = relations(teamInvitation, ({ one }) => ({
  company: one(company, { fields: [teamInvitation.companyId], references: [company.id] }),
  inviter: one(user, { fields: [teamInvitation.inviterId], references: [user.id] }),
}));
