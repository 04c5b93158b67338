// "The phone is with someone else": a single-use link (30 minutes) that opens the same
// live login session on a colleague's device to type the code there. Only the token's
// hash is stored (a dump yields no working link); the first browser that opens it claims
// it (a cookie whose hash is kept here), any other browser is told it was already used.
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { recipientSession } from "./invitation";
import { loginSession } from "./login-session";

export const handoffLink = pgTable(
  "handoff_link",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    loginSessionId: uuid("login_session_id")
      .notNull()
      .references(() => loginSession.id),
    recipientSessionId: uuid("recipient_session_id")
      .notNull()
      .references(() => recipientSession.id),
    /** Who the recipient handed the code to ("Sam"), shown on both pages. */
    helperName: text("helper_name").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    /** Hash of the claiming browser's cookie: that browser may reconnect, no other. */
    claimHash: text("claim_hash"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("handoff_link_login_idx").on(t.loginSessionId)],
);
