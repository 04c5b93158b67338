// Where a connection's MFA codes are forwarded: `<forwardingKey>@<INBOUND_EMAIL_DOMAIN>`
// and, when configured, our SMS number. Only the key is stored per connection, so the
// domain can change by configuration without touching rows.
//
// The domain and number are set once at start by registerInboundHooks (app.ts) because
// the procedures' context does not carry them; tests and processes that never register
// the hooks get the defaults of env.ts.
import {
  connection,
  invitation,
  loginSession,
  recipientSession,
  type TDbOrTx,
} from "@meterlink/db";
import { and, eq, sql } from "drizzle-orm";

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
 * a reconnect invitation, or the connection this session's sign-in created.
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
  const [created] = await db
    .select({ key: connection.forwardingKey })
    .from(loginSession)
    .innerJoin(connection, sql`${connection.id}::text = ${loginSession.meta}->>'consumedBy'`)
    .where(
      and(
        eq(loginSession.recipientSessionId, recipientSessionId),
        sql`${loginSession.meta} ? 'consumedBy'`,
      ),
    )
    .limit(1);
  return created ? forwardingAddressOf(created.key) : null;
}
