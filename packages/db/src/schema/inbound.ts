// Every message forwarded to an MFA address or number, whatever became of it: the
// connection's forwarding activity ("code stored", "no code in it", "several codes",
// "sent to an address we do not know"), the recipient's "received ✓" while the MFA step
// is open, and the replay guard of the signed inbound webhooks (one row per delivery id).
// Never the text or the code: a code is kept only in `mfa_code`, encrypted.
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { connection } from "./connection";
import { recipientSession } from "./invitation";

export const INBOUND_CHANNELS = ["email", "sms"] as const;
export const INBOUND_SOURCES = ["smtp", "webhook", "twilio"] as const;
export const INBOUND_OUTCOMES = [
  /** A single code was found and stored for a collection to use (once, while valid). */
  "code_stored",
  /** Arrived at a recipient's address before the connection exists: proof that forwarding works. */
  "received",
  "no_code",
  "several_codes",
  "unknown_address",
  /**
   * A text to the shared number while several connections waited for a code and its
   * sender did not say whose it is: kept by nobody, shown to every candidate.
   */
  "ambiguous",
] as const;

export const inboundMessage = pgTable(
  "inbound_message",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channel: text("channel", { enum: INBOUND_CHANNELS }).notNull(),
    source: text("source", { enum: INBOUND_SOURCES }).notNull(),
    /**
     * The provider's id of this delivery (`webhook-id`, Twilio's MessageSid, the mail's
     * Message-ID): unique, so a replayed webhook is refused instead of recorded twice.
     */
    deliveryId: text("delivery_id").unique(),
    /** The forwarding address or number it was sent to (ours, not a secret). */
    addressedTo: text("addressed_to").notNull(),
    connectionId: uuid("connection_id").references(() => connection.id),
    recipientSessionId: uuid("recipient_session_id").references(() => recipientSession.id),
    outcome: text("outcome", { enum: INBOUND_OUTCOMES }).notNull(),
    /** Who sent it (an SMS's From: a utility's short code or number); not a secret. */
    sender: text("sender"),
    /** `ambiguous`: the connections it could have been for (each sees it in its activity). */
    candidateConnectionIds: uuid("candidate_connection_ids").array(),
    /** Ambiguous: the recipients testing forwarding it could have been meant by. */
    candidateRecipientSessionIds: uuid("candidate_recipient_session_ids").array(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("inbound_message_connection_idx").on(t.connectionId, t.receivedAt),
    index("inbound_message_recipient_idx").on(t.recipientSessionId, t.receivedAt),
    // Each MFA step's poll asks whether an unclaimed text named it (recipient-check.ts).
    index("inbound_message_candidate_recipients_idx").using("gin", t.candidateRecipientSessionIds),
  ],
);
