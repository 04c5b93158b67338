// What an admin and a recipient see of forwarded messages: the connection's forwarding
// activity (each message and what became of it, in words), whether forwarding was ever
// proven, and the MFA step's live "received ✓".
import { inboundMessage, type TDbOrTx } from "@meterlink/db";
import { and, arrayContains, desc, eq, gte, isNull, or, type SQL } from "drizzle-orm";

export const INBOUND_OUTCOME_MESSAGES = {
  code_stored: "A code was received and kept for the next sign-in (valid 10 minutes).",
  received: "A test message was received while the recipient set up forwarding.",
  no_code: "Ignored: the message had no code in it.",
  several_codes: "Ignored: the message had several different codes and we could not tell which.",
  unknown_address: "Ignored: sent to an address or number we do not know.",
  ambiguous:
    "Ignored: a text to the shared number while several connections waited for a code, and its sender did not tell whose it was. The next sign-in asks for a new code.",
} as const;

/** Latest forwarded messages of a connection, for its activity view. */
export async function forwardingActivity(db: TDbOrTx, connectionId: string, limit = 50) {
  const rows = await db
    .select({
      id: inboundMessage.id,
      channel: inboundMessage.channel,
      outcome: inboundMessage.outcome,
      receivedAt: inboundMessage.receivedAt,
    })
    .from(inboundMessage)
    .where(
      or(
        eq(inboundMessage.connectionId, connectionId),
        arrayContains(inboundMessage.candidateConnectionIds, [connectionId]),
      ),
    )
    .orderBy(desc(inboundMessage.receivedAt))
    .limit(limit);
  return rows.map((row) => ({ ...row, message: INBOUND_OUTCOME_MESSAGES[row.outcome] }));
}

/** Did anything arrive for this connection or recipient session (since `since`)? */
export async function receivedSince(
  db: TDbOrTx,
  whose: { connectionId: string | null; recipientSessionId: string | null },
  since: Date | null,
): Promise<{ email: boolean; sms: boolean }> {
  const owners: SQL[] = [];
  if (whose.connectionId) owners.push(eq(inboundMessage.connectionId, whose.connectionId));
  if (whose.recipientSessionId)
    owners.push(eq(inboundMessage.recipientSessionId, whose.recipientSessionId));
  if (owners.length === 0) return { email: false, sms: false };
  const rows = await db
    .selectDistinct({ channel: inboundMessage.channel })
    .from(inboundMessage)
    .where(and(or(...owners), since ? gte(inboundMessage.receivedAt, since) : undefined));
  const channels = new Set(rows.map((row) => row.channel));
  return { email: channels.has("email"), sms: channels.has("sms") };
}

/** Whether a text went to nobody that could have been this testing recipient's (match.ts). */
export async function hasUnclaimedText(db: TDbOrTx, recipientSessionId: string) {
  const [found] = await db
    .select({ id: inboundMessage.id })
    .from(inboundMessage)
    .where(
      and(
        eq(inboundMessage.outcome, "ambiguous"),
        arrayContains(inboundMessage.candidateRecipientSessionIds, [recipientSessionId]),
      ),
    )
    .limit(1);
  return found !== undefined;
}

/** On complete: the MFA step's test messages belong to the connection it created. */
export async function adoptForwardedMessages(
  tx: TDbOrTx,
  input: { recipientSessionId: string; connectionId: string },
): Promise<void> {
  await tx
    .update(inboundMessage)
    .set({ connectionId: input.connectionId })
    .where(
      and(
        eq(inboundMessage.recipientSessionId, input.recipientSessionId),
        isNull(inboundMessage.connectionId),
      ),
    );
}
