// One forwarded message, whichever way it came in (our SMTP listener, the signed JSON
// webhook, Twilio): matched to the connection (or the recipient still testing forwarding)
// it was sent to, its code extracted, and a record kept of what became of it. A message
// with no code, several codes, for an address we do not know, or (on the shared SMS
// number) one several waiting connections could have been meant by is recorded with that
// reason and otherwise ignored. The code is stored only encrypted, valid for minutes,
// and consumed once by a collection (services/collection/run.ts); neither the code nor
// the text is ever logged or kept in plaintext.
import {
  connection,
  inboundMessage,
  mfaCode,
  recipientSession,
  type TDb,
  type TDbOrTx,
} from "@meterlink/db";
import { eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { encryptSecret } from "../../lib/tokens";
import { findCode } from "../collection/code";
import type { TInboundConfig } from "../connections/forwarding";
import {
  learnableSender,
  matchEmail,
  matchSms,
  normalizeSender,
  type TForwardingTarget,
} from "./match";

/** Utilities' codes live about ten minutes; a forwarded one is kept no longer. */
export const FORWARDED_CODE_VALIDITY_MS = 10 * 60_000;

export type TInboundDeps = { db: TDb; log: Logger; tokenKey: Buffer; inbound: TInboundConfig };

export type TForwardedMessage = {
  channel: "email" | "sms";
  source: "smtp" | "webhook" | "twilio";
  /** The provider's id of this delivery; a second delivery with the same id is a replay. */
  deliveryId: string | null;
  /** Email: the addresses it was sent to (envelope first); SMS: the number. */
  to: string[];
  /** SMS: who texted it (a utility's number or short code); tells utilities apart. */
  from?: string | null | undefined;
  text: string;
};

export type TOutcome = (typeof inboundMessage.$inferSelect)["outcome"];
export type TReceived =
  | { replayed: true }
  | { replayed: false; matched: boolean; code: boolean; outcome: TOutcome };

type TMatched = {
  target: TForwardingTarget | null;
  addressedTo: string;
  /** Several could have been meant (SMS on the shared number): their connections... */
  ambiguous: string[] | null;
  /** ...and the recipients testing forwarding then, whose pages say so. */
  ambiguousRecipients: string[] | null;
  learnSender: boolean;
  learnPhone: boolean;
};

const NOBODY = {
  target: null,
  ambiguous: null,
  ambiguousRecipients: null,
  learnSender: false,
  learnPhone: false,
};

async function match(deps: TInboundDeps, message: TForwardedMessage): Promise<TMatched> {
  const sender = normalizeSender(message.from);
  for (const to of message.to) {
    if (message.channel === "email") {
      const target = await matchEmail(deps.db, deps.inbound, to);
      if (target) {
        return { ...NOBODY, target, addressedTo: to };
      }
      continue;
    }
    const found = await matchSms(deps.db, deps.inbound, { to, sender, text: message.text });
    if (found.kind === "target") {
      return {
        ...NOBODY,
        target: found.target,
        addressedTo: to,
        learnSender: found.learnSender,
        learnPhone: found.learnPhone,
      };
    }
    if (found.kind === "ambiguous") {
      return {
        ...NOBODY,
        addressedTo: to,
        ambiguous: found.connectionIds,
        ambiguousRecipients: found.recipientSessionIds,
      };
    }
  }
  return { ...NOBODY, addressedTo: message.to[0] ?? "" };
}

export async function receiveForwardedMessage(
  deps: TInboundDeps,
  message: TForwardedMessage,
): Promise<TReceived> {
  const { target, addressedTo, ambiguous, ambiguousRecipients, learnSender, learnPhone } =
    await match(deps, message);
  const found = findCode(message.text);
  const outcome = ambiguous ? "ambiguous" : outcomeOf(target, found.kind);
  const sender = normalizeSender(message.from);
  const connectionId = target?.kind === "connection" ? target.connectionId : null;
  const stored = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inboundMessage)
      .values({
        channel: message.channel,
        source: message.source,
        deliveryId: message.deliveryId,
        addressedTo: addressedTo.slice(0, 320),
        connectionId,
        recipientSessionId: target?.kind === "recipient" ? target.recipientSessionId : null,
        outcome,
        sender: sender?.slice(0, 50) ?? null,
        candidateConnectionIds: ambiguous,
        candidateRecipientSessionIds: ambiguousRecipients,
      })
      .onConflictDoNothing({ target: inboundMessage.deliveryId })
      .returning({ id: inboundMessage.id });
    if (!row) return false;
    if (learnPhone && sender) await rememberPhone(tx, target, sender);
    if (connectionId && found.kind === "one") {
      await tx.insert(mfaCode).values({
        connectionId,
        channel: message.channel,
        codeEncrypted: encryptSecret(found.code, deps.tokenKey),
        expiresAt: new Date(Date.now() + FORWARDED_CODE_VALIDITY_MS),
      });
      if (learnSender && sender && learnableSender(sender)) {
        // The first code of this utility on the shared number: from now on its sender
        // tells this utility's texts from another's.
        await tx.execute(sql`
          update provider set sms_senders = array_append(sms_senders, ${sender})
          where id = (select provider_id from connection where id = ${connectionId})
            and not (${sender} = any(sms_senders))`);
      }
    }
    return true;
  });
  if (!stored) {
    deps.log.warn({ channel: message.channel, source: message.source }, "replayed inbound message");
    return { replayed: true };
  }
  // Which connection and what became of it; never the code or the text.
  deps.log.info(
    { channel: message.channel, source: message.source, connectionId, outcome },
    "forwarded MFA message",
  );
  return { replayed: false, matched: target !== null, code: outcome === "code_stored", outcome };
}

/** The owner's phone that forwarded a text only `target` could have been meant by. */
async function rememberPhone(tx: TDbOrTx, target: TForwardingTarget | null, phone: string) {
  if (target?.kind === "connection") {
    await tx
      .update(connection)
      .set({ forwardingPhone: phone })
      .where(eq(connection.id, target.connectionId));
  } else if (target?.kind === "recipient") {
    await tx
      .update(recipientSession)
      .set({ forwardingPhone: phone })
      .where(eq(recipientSession.id, target.recipientSessionId));
  }
}

function outcomeOf(
  target: TForwardingTarget | null,
  found: ReturnType<typeof findCode>["kind"],
): TOutcome {
  if (!target) return "unknown_address";
  // Before the connection exists there is nothing to sign in to: any message proves it.
  if (target.kind === "recipient") return "received";
  if (found === "none") return "no_code";
  if (found === "several") return "several_codes";
  return "code_stored";
}
