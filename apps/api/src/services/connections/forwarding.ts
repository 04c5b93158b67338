// Where a connection's MFA codes are forwarded: `<forwardingKey>@<INBOUND_EMAIL_DOMAIN>`
// and our SMS number (the connection's own, or the deployment's shared one). Only the key
// is stored per connection, so the domain can change by configuration without touching
// rows. The domain and number come from the server configuration (`TServerConfig.inbound`),
// passed in by every caller: nothing here is module state.
import { connection, invitation, recipientSession, type TDbOrTx } from "@meterlink/db";
import { eq, sql } from "drizzle-orm";

export type TInboundConfig = {
  /** Lower case, e.g. `inbound.example.com`. */
  emailDomain: string;
  /** The deployment's shared SMS number (E.164), or null when SMS forwarding is not set up. */
  smsNumber: string | null;
};

export function inboundConfigOf(env: {
  INBOUND_EMAIL_DOMAIN: string;
  INBOUND_SMS_NUMBER?: string | undefined;
}): TInboundConfig {
  return {
    emailDomain: env.INBOUND_EMAIL_DOMAIN.toLowerCase(),
    smsNumber: env.INBOUND_SMS_NUMBER ? normalizeNumber(env.INBOUND_SMS_NUMBER) : null,
  };
}

export function normalizeNumber(value: string): string {
  return value.replace(/[^\d+]/g, "");
}

export function forwardingAddressOf(inbound: TInboundConfig, forwardingKey: string): string {
  return `${forwardingKey}@${inbound.emailDomain}`;
}

export function forwardingOf(
  inbound: TInboundConfig,
  row: { forwardingKey: string; smsNumber: string | null },
) {
  return {
    email: forwardingAddressOf(inbound, row.forwardingKey),
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
  inbound: TInboundConfig,
  recipientSessionId: string | null,
): Promise<string | null> {
  return (await forwardingForRecipient(db, inbound, recipientSessionId))?.email ?? null;
}

/** Address and number the recipient forwards to, and whose messages count as theirs. */
export async function forwardingForRecipient(
  db: TDbOrTx,
  inbound: TInboundConfig,
  recipientSessionId: string | null,
): Promise<{ email: string; sms: string | null; connectionId: string | null } | null> {
  if (!recipientSessionId) return null;
  const [target] = await db
    .select({ id: connection.id, key: connection.forwardingKey, sms: connection.smsNumber })
    .from(recipientSession)
    .innerJoin(invitation, eq(invitation.id, recipientSession.invitationId))
    .innerJoin(connection, eq(connection.id, invitation.targetConnectionId))
    .where(eq(recipientSession.id, recipientSessionId));
  if (target) {
    return {
      email: forwardingAddressOf(inbound, target.key),
      sms: target.sms ?? inbound.smsNumber,
      connectionId: target.id,
    };
  }
  const [reserved] = await db
    .update(recipientSession)
    .set({ forwardingKey: sql`coalesce(${recipientSession.forwardingKey}, ${NEW_FORWARDING_KEY})` })
    .where(eq(recipientSession.id, recipientSessionId))
    .returning({ key: recipientSession.forwardingKey });
  return reserved?.key
    ? {
        email: forwardingAddressOf(inbound, reserved.key),
        sms: inbound.smsNumber,
        connectionId: null,
      }
    : null;
}

/** Same shape as the connection column's default (migration 0004). */
export const NEW_FORWARDING_KEY = sql`'c-' || substr(md5(gen_random_uuid()::text), 1, 12)`;
