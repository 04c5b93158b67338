import type { TDbOrTx } from "@meterlink/db";
import { streamTicket } from "@meterlink/db";
import { and, eq, gt, isNull } from "drizzle-orm";
import { hashToken, newToken } from "../../lib/tokens";

const TICKET_SECONDS = 60;

/** A single-use permission to open the stream of one login session, valid one minute. */
export async function issueStreamTicket(db: TDbOrTx, loginSessionId: string): Promise<string> {
  const ticket = newToken();
  await db.insert(streamTicket).values({
    tokenHash: hashToken(ticket),
    loginSessionId,
    expiresAt: new Date(Date.now() + TICKET_SECONDS * 1000),
  });
  return ticket;
}

/** Consumes a ticket; null when unknown, used, expired or for another session. */
export async function redeemStreamTicket(
  db: TDbOrTx,
  loginSessionId: string,
  ticket: string,
): Promise<boolean> {
  const [used] = await db
    .update(streamTicket)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(streamTicket.tokenHash, hashToken(ticket)),
        eq(streamTicket.loginSessionId, loginSessionId),
        isNull(streamTicket.usedAt),
        gt(streamTicket.expiresAt, new Date()),
      ),
    )
    .returning({ id: streamTicket.loginSessionId });
  return Boolean(used);
}

export function streamPath(loginSessionId: string, ticket: string): string {
  return `/stream/${loginSessionId}?ticket=${encodeURIComponent(ticket)}`;
}
