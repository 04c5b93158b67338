// Which connection (or recipient still in the MFA step) a forwarded message is for.
// Email: by the local part of the forwarding address. SMS: by the connection's own
// number; on the deployment's shared number, by who is waiting for a message right now
// (a collection waiting for a code within the window, or a recipient testing
// forwarding), narrowed by the sender: a utility's sending number or short code
// (configured on the provider, or learned from the first code matched to one of its
// connections) picks that utility's waiting connection. When that still leaves several,
// the word a testing recipient was asked to text, then the owner's phone (kept from a
// text only that party could have been meant by) picks one: a forwarded text comes from
// the owner's phone, so two owners of the same utility are told apart that way. Else
// nobody can tell whose code it is, so nobody gets it: each candidate's activity says so.
import { createHash } from "node:crypto";
import {
  collectionRun,
  connection,
  invitation,
  provider,
  recipientSession,
  type TDbOrTx,
} from "@meterlink/db";
import { and, arrayContains, eq, gt, inArray, isNotNull } from "drizzle-orm";
import { normalizeNumber, type TInboundConfig } from "../connections/forwarding";

export type TForwardingTarget =
  | { kind: "connection"; connectionId: string }
  | { kind: "recipient"; recipientSessionId: string };

/** How long a waiting collection claims texts to the shared number. */
export const WAITING_WINDOW_MS = 30 * 60_000;
/** An MFA step polls every few seconds: one silent for longer is no longer open. */
export const TESTING_WINDOW_MS = 2 * 60_000;

export function bareAddress(value: string): string {
  const angle = /<([^>]+)>/.exec(value)?.[1];
  return (angle ?? value).trim().toLowerCase();
}

/** The forwarding key of an address at our inbound domain, else null. */
export function forwardingKeyOf(inbound: TInboundConfig, raw: string): string | null {
  const address = bareAddress(raw);
  const at = address.lastIndexOf("@");
  if (at < 1 || address.slice(at + 1) !== inbound.emailDomain) return null;
  return address.slice(0, at);
}

export async function matchEmail(
  db: TDbOrTx,
  inbound: TInboundConfig,
  address: string,
): Promise<TForwardingTarget | null> {
  const key = forwardingKeyOf(inbound, address);
  if (!key) return null;
  const [owned] = await db
    .select({ id: connection.id })
    .from(connection)
    .where(eq(connection.forwardingKey, key));
  if (owned) return { kind: "connection", connectionId: owned.id };
  // Reserved by a recipient whose connection does not exist yet (the MFA step's test).
  const [reserved] = await db
    .select({ id: recipientSession.id })
    .from(recipientSession)
    .where(eq(recipientSession.forwardingKey, key));
  return reserved ? { kind: "recipient", recipientSessionId: reserved.id } : null;
}

export type TSmsMatch =
  | {
      kind: "target";
      target: TForwardingTarget;
      learnSender: boolean;
      /** The owner's phone sent it, and only this target could have been meant: keep it. */
      learnPhone: boolean;
    }
  /** Several could have been meant: it goes to none of them. */
  | { kind: "ambiguous"; connectionIds: string[]; recipientSessionIds: string[] }
  | { kind: "none" };

/** Who could have been meant by a text to the shared number, with what tells them apart. */
type TCandidate = {
  target: TForwardingTarget;
  /** The owner's phone learned before (forwardingPhone). */
  phone: string | null;
  /** A recipient testing forwarding: their session, and the word their page asks for. */
  testing: { recipientSessionId: string; word: string } | null;
};

const CONSONANTS = "BDFGHJLMNPRSTVZ";
const VOWELS = "AEIOU";

/**
 * The word a recipient testing forwarding texts to the shared number when others test at
 * the same moment: three letter syllables from their session id (letters only, so it is
 * never read as a code), the same on every poll.
 */
export function smsWordOf(recipientSessionId: string): string {
  const digest = createHash("sha256").update(recipientSessionId).digest();
  let word = "";
  for (let i = 0; i < 3; i += 1) {
    const byte = digest[i] ?? 0;
    word += `${CONSONANTS[byte % CONSONANTS.length]}${VOWELS[(byte >> 4) % VOWELS.length]}`;
  }
  return word;
}

function saysWord(text: string, word: string): boolean {
  return new RegExp(`(?<![a-z])${word}(?![a-z])`, "i").test(text);
}

/**
 * A personal phone number (10+ digits) may be the owner's phone forwarding a text, not
 * the utility: only short codes and short alphanumeric senders are learned; a utility
 * texting from a long number has it configured on the provider.
 */
export function learnableSender(sender: string): boolean {
  const digits = sender.replace(/\D/g, "");
  return digits.length > 0 ? digits.length <= 8 : /^[a-z0-9 ]{2,11}$/i.test(sender);
}

/** A phone number (more digits than a short code): the owner's phone forwarding a text. */
export function isPersonalNumber(sender: string): boolean {
  return /^\+?\d+$/.test(sender) && !learnableSender(sender);
}

export function normalizeSender(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  return /\d/.test(trimmed) && !/[a-z]/i.test(trimmed)
    ? normalizeNumber(trimmed)
    : trimmed.toLowerCase();
}

export async function matchSms(
  db: TDbOrTx,
  inbound: TInboundConfig,
  message: { to: string; sender: string | null; text: string },
): Promise<TSmsMatch> {
  const { sender } = message;
  const number = normalizeNumber(message.to);
  if (!number) return { kind: "none" };
  const own = await db
    .select({ id: connection.id })
    .from(connection)
    .where(eq(connection.smsNumber, number));
  if (own.length === 1 && own[0]) {
    return {
      kind: "target",
      target: { kind: "connection", connectionId: own[0].id },
      learnSender: false,
      learnPhone: false,
    };
  }
  if (own.length === 0 && number !== inbound.smsNumber) return { kind: "none" };
  const since = new Date(Date.now() - WAITING_WINDOW_MS);
  const waiting = await db
    .selectDistinct({
      id: collectionRun.connectionId,
      providerId: connection.providerId,
      phone: connection.forwardingPhone,
    })
    .from(collectionRun)
    .innerJoin(connection, eq(connection.id, collectionRun.connectionId))
    .where(
      and(
        eq(collectionRun.status, "waiting_for_code"),
        gt(collectionRun.startedAt, since),
        ...(own.length > 1
          ? [
              inArray(
                collectionRun.connectionId,
                own.map((row) => row.id),
              ),
            ]
          : []),
      ),
    );
  // The utility that sends from this number (configured or learned): of the waiting
  // connections only its own can be meant. A sender two utilities share tells nothing.
  const senders = sender
    ? await db
        .select({ id: provider.id })
        .from(provider)
        .where(arrayContains(provider.smsSenders, [sender]))
    : [];
  const senderProviders = new Set(senders.map((row) => row.id));
  const known = senderProviders.size > 0;
  const theirs = known
    ? waiting.filter((run) => run.providerId && senderProviders.has(run.providerId))
    : waiting;
  if (known && theirs.length === 1 && theirs[0]) {
    return {
      kind: "target",
      target: { kind: "connection", connectionId: theirs[0].id },
      learnSender: false,
      learnPhone: false,
    };
  }
  if (known && theirs.length > 1) {
    return {
      kind: "ambiguous",
      connectionIds: theirs.map((run) => run.id),
      recipientSessionIds: [],
    };
  }
  // Recipients testing forwarding count on the shared number only (a connection's own
  // number is matched above).
  const testing =
    own.length > 1
      ? []
      : await db
          .select({
            id: recipientSession.id,
            phone: recipientSession.forwardingPhone,
            target: invitation.targetConnectionId,
            targetPhone: connection.forwardingPhone,
          })
          .from(recipientSession)
          .innerJoin(invitation, eq(invitation.id, recipientSession.invitationId))
          .leftJoin(connection, eq(connection.id, invitation.targetConnectionId))
          .where(
            and(
              isNotNull(recipientSession.forwardingCheckAt),
              gt(recipientSession.forwardingCheckAt, new Date(Date.now() - TESTING_WINDOW_MS)),
            ),
          );
  const candidates = new Map<string, TCandidate>();
  for (const run of theirs) {
    candidates.set(run.id, {
      target: { kind: "connection", connectionId: run.id },
      phone: run.phone,
      testing: null,
    });
  }
  for (const session of testing) {
    const asked = { recipientSessionId: session.id, word: smsWordOf(session.id) };
    if (session.target) {
      candidates.set(session.target, {
        target: { kind: "connection", connectionId: session.target },
        phone: session.targetPhone,
        testing: asked,
      });
    } else {
      candidates.set(session.id, {
        target: { kind: "recipient", recipientSessionId: session.id },
        phone: session.phone,
        testing: asked,
      });
    }
  }
  const all = [...candidates.values()];
  // The owner's phone forwarded it (not the utility): worth keeping once it is clear whose.
  const personal = sender !== null && isPersonalNumber(sender);
  const [alone] = all;
  if (all.length === 1 && alone) {
    // A collection's code from an unknown sender teaches us that utility's sender.
    const learnSender = !known && theirs.length === 1 && alone.target.kind === "connection";
    return { kind: "target", target: alone.target, learnSender, learnPhone: personal };
  }
  const one = (found: TCandidate[], learnPhone: boolean): TSmsMatch | null => {
    const [only] = found;
    return found.length === 1 && only
      ? { kind: "target", target: only.target, learnSender: false, learnPhone }
      : null;
  };
  const match =
    // Several could be meant: the word a testing recipient was asked to text is theirs...
    one(
      all.filter((c) => c.testing !== null && saysWord(message.text, c.testing.word)),
      personal,
    ) ??
    // ...and so is the phone an owner forwarded from before.
    (personal
      ? one(
          all.filter((c) => c.phone === sender),
          false,
        )
      : null);
  if (match) return match;
  const connectionIds = all.flatMap((c) =>
    c.target.kind === "connection" ? [c.target.connectionId] : [],
  );
  const recipientSessionIds = all.flatMap((c) => (c.testing ? [c.testing.recipientSessionId] : []));
  return all.length > 1
    ? { kind: "ambiguous", connectionIds, recipientSessionIds }
    : { kind: "none" };
}
