// Which connection (or recipient still in the MFA step) a forwarded message is for.
// Email: by the local part of the forwarding address. SMS: by the connection's own
// number; on the deployment's shared number, by who is waiting for a message right now
// (a collection waiting for a code within the window, or a recipient testing
// forwarding), narrowed by the sender: a utility's sending number or short code
// (configured on the provider, or learned from the first code matched to one of its
// connections) picks that utility's waiting connection. When that still leaves several,
// nobody can tell whose code it is, so nobody gets it: each candidate's activity says so.
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
  | { kind: "target"; target: TForwardingTarget; learnSender: boolean }
  /** Several connections could have been meant: it goes to none of them. */
  | { kind: "ambiguous"; connectionIds: string[] }
  | { kind: "none" };

/**
 * A personal phone number (10+ digits) may be the owner's phone forwarding a text, not
 * the utility: only short codes and short alphanumeric senders are learned; a utility
 * texting from a long number has it configured on the provider.
 */
export function learnableSender(sender: string): boolean {
  const digits = sender.replace(/\D/g, "");
  return digits.length > 0 ? digits.length <= 8 : /^[a-z0-9 ]{2,11}$/i.test(sender);
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
  to: string,
  sender: string | null,
): Promise<TSmsMatch> {
  const number = normalizeNumber(to);
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
    };
  }
  if (own.length === 0 && number !== inbound.smsNumber) return { kind: "none" };
  const since = new Date(Date.now() - WAITING_WINDOW_MS);
  const waiting = await db
    .selectDistinct({ id: collectionRun.connectionId, providerId: connection.providerId })
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
    };
  }
  if (known && theirs.length > 1) {
    return { kind: "ambiguous", connectionIds: theirs.map((run) => run.id) };
  }
  // Recipients testing forwarding count on the shared number only (a connection's own
  // number is matched above).
  const testing =
    own.length > 1
      ? []
      : await db
          .select({ id: recipientSession.id, target: invitation.targetConnectionId })
          .from(recipientSession)
          .innerJoin(invitation, eq(invitation.id, recipientSession.invitationId))
          .where(
            and(
              isNotNull(recipientSession.forwardingCheckAt),
              gt(recipientSession.forwardingCheckAt, new Date(Date.now() - TESTING_WINDOW_MS)),
            ),
          );
  const candidates = new Map<string, TForwardingTarget>();
  for (const run of theirs) {
    candidates.set(run.id, { kind: "connection", connectionId: run.id });
  }
  for (const session of testing) {
    if (session.target) {
      candidates.set(session.target, { kind: "connection", connectionId: session.target });
    } else {
      candidates.set(session.id, { kind: "recipient", recipientSessionId: session.id });
    }
  }
  const [only] = candidates.values();
  if (candidates.size === 1 && only) {
    // A collection's code from an unknown sender teaches us that utility's sender.
    const learnSender = !known && theirs.length === 1 && only.kind === "connection";
    return { kind: "target", target: only, learnSender };
  }
  const connectionIds = [...candidates.values()].flatMap((c) =>
    c.kind === "connection" ? [c.connectionId] : [],
  );
  return candidates.size > 1 ? { kind: "ambiguous", connectionIds } : { kind: "none" };
}
