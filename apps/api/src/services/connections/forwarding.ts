// Where a connection's MFA codes are forwarded: `<forwardingKey>@<INBOUND_EMAIL_DOMAIN>`
// and, when configured, our SMS number. Only the key is stored per connection, so the
// domain can change by configuration without touching rows.
//
// The domain and number are set once at start by registerInboundHooks (app.ts) because
// the procedures' context does not carry them; tests and processes that never register
// the hooks get the defaults of env.ts.
import { connection, invitation, recipientSession, type TDbOrTx } from "@meterlink/db";
import { eq, sql } from "drizzle-orm";

export type TInboundConfig = { emailDomain: string; smsNumber: string | null };

let inbound: TInboundConfig = { emailDomain: "inbound.meterlink.test", smsNumber: null };

export function configureInbound(config: TInboundConfig): void {
  inbound = { emailDomain: config.emailDomain.toLowerCase(), smsNumber: config.smsNumber };
}

export function inboundConfig(): TInboundConfig {
  return inbound;
}

export function forwardingAddressOf(forwardingKey: string): string {
  return `${forwardingKey}@${inbound.emailDomain}`;
}

export function forwardingOf(row: { forwardingKey: string; smsNumber: string | null }) {
  return {
    email: forwardingAddressOf(row.forwardingKey),
    sms: row.smsNumber ?? inbound.smsNumber,
  };
}

/**
 * The forwarding address of the connection a recipient session is about: the target of
 * a reconnect invitation, or the key this session reserves for the connection it will
 * create (so the MFA step can show the address before the connection exists).
 */
export async function forwardingAddressForRecipient(
  db: TDbOrTx,
  recipientSessionId: string | null,
): Promise<string | null> {
  if (!recipientSessionId) return null;
  const [target] = await db
    .select({ key: connection.forwardingKey })
    .from(recipientSession)
    .innerJoin(invitation, eq(invitation.id, recipientSession.invitationId))
    .innerJoin(connection, eq(connection.id, invitation.targetConnectionId))
    .where(eq(recipientSession.id, recipientSessionId));
  if (target) return forwardingAddressOf(target.key);
  const [reserved] = await db
    .update(recipientSession)
    .set({ forwardingKey: sql`coalesce(${recipientSession.forwardingKey}, ${NEW_FORWARDING_KEY})` })
    .where(eq(recipientSession.id, recipientSessionId))
    .returning({ key: recipientSession.forwardingKey });
  return reserved?.key ? forwardingAddressOf(reserved.key) : null;
}

/** Same shape as the connection column's default (migration 0004). */
export const NEW_FORWARDING_KEY = sql`'c-' || substr(md5(gen_random_uuid()::text), 1, 12)`;
