// Which connection (or recipient still in the MFA step) a forwarded message is for.
// Email: by the local part of the forwarding address. SMS: by the connection's own
// number; on the deployment's shared number, by the single party waiting for a message
// right now (a collection waiting for a code, or a recipient testing forwarding); with
// several waiting nobody can tell whose text it is, so nobody gets it.
import {
  collectionRun,
  connection,
  invitation,
  recipientSession,
  type TDbOrTx,
} from "@meterlink/db";
import { and, eq, gt, inArray, isNotNull } from "drizzle-orm";
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

export async function matchSms(
  db: TDbOrTx,
  inbound: TInboundConfig,
  to: string,
): Promise<TForwardingTarget | null> {
  const number = normalizeNumber(to);
  if (!number) return null;
  const own = await db
    .select({ id: connection.id })
    .from(connection)
    .where(eq(connection.smsNumber, number));
  if (own.length === 1 && own[0]) return { kind: "connection", connectionId: own[0].id };
  if (own.length === 0 && number !== inbound.smsNumber) return null;
  const since = new Date(Date.now() - WAITING_WINDOW_MS);
  const runs = await db
    .selectDistinct({ id: collectionRun.connectionId })
    .from(collectionRun)
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
  for (const run of runs) {
    candidates.set(run.id, { kind: "connection", connectionId: run.id });
  }
  for (const session of testing) {
    if (session.target) {
      candidates.set(session.target, { kind: "connection", connectionId: session.target });
    } else {
      candidates.set(session.id, { kind: "recipient", recipientSessionId: session.id });
    }
  }
  return candidates.size === 1 ? ([...candidates.values()][0] ?? null) : null;
}
