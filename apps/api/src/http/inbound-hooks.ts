// Forwarded MFA codes: POST /hooks/inbound-email and /hooks/inbound-sms. The inbound-mail
// or SMS provider (or a relay in front of it) signs each request the Standard Webhooks
// way: HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${raw body}` with the key
// after `whsec_` of INBOUND_WEBHOOK_SECRET, within five minutes. Only then is the code
// extracted, matched to a connection (email: the forwarding address; SMS: the number it
// was sent to), and stored encrypted with a short validity; a collection waiting for a
// code consumes it once. The code itself is never logged.
import type { TDb } from "@meterlink/db";
import { collectionRun, connection, mfaCode } from "@meterlink/db";
import { ZInboundEmail, ZInboundSms } from "@meterlink/shared/connection";
import { and, eq, gt, inArray } from "drizzle-orm";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Logger } from "pino";
import type { TApiEnv } from "../env";
import { registerSignedHooks } from "../lib/standard-webhooks";
import { encryptSecret, parseKey } from "../lib/tokens";
import { extractCode } from "../services/collection/code";
import { configureInbound, inboundConfig } from "../services/connections/forwarding";

/** Utilities' codes live about ten minutes; a forwarded one is kept no longer. */
export const FORWARDED_CODE_VALIDITY_MS = 10 * 60_000;

function bareAddress(value: string): string {
  const angle = /<([^>]+)>/.exec(value)?.[1];
  return (angle ?? value).trim().toLowerCase();
}

function normalizeNumber(value: string): string {
  return value.replace(/[^\d+]/g, "");
}

async function matchEmail(db: TDb, to: string[]): Promise<string | null> {
  const { emailDomain } = inboundConfig();
  for (const raw of to) {
    const address = bareAddress(raw);
    const at = address.lastIndexOf("@");
    if (at < 1 || address.slice(at + 1) !== emailDomain) continue;
    const [found] = await db
      .select({ id: connection.id })
      .from(connection)
      .where(eq(connection.forwardingKey, address.slice(0, at)));
    if (found) return found.id;
  }
  return null;
}

async function matchSms(db: TDb, to: string): Promise<string | null> {
  const number = normalizeNumber(to);
  const own = await db
    .select({ id: connection.id })
    .from(connection)
    .where(eq(connection.smsNumber, number));
  if (own.length === 1) return own[0]?.id ?? null;
  // A number shared by many connections: the code belongs to the one collection that is
  // waiting for a code right now; with several waiting, nobody can tell, so nobody gets it.
  const shared = own.length > 1 || number === inboundConfig().smsNumber;
  if (!shared) return null;
  const waiting = await db
    .selectDistinct({ id: collectionRun.connectionId })
    .from(collectionRun)
    .where(
      and(
        eq(collectionRun.status, "waiting_for_code"),
        gt(collectionRun.startedAt, new Date(Date.now() - 30 * 60_000)),
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
  return waiting.length === 1 ? (waiting[0]?.id ?? null) : null;
}

/** Stores a forwarded code for the connection it was sent to; false when none matches. */
export async function receiveForwardedCode(
  deps: { db: TDb; tokenKey: Buffer },
  input: { channel: "email" | "sms"; connectionId: string | null; text: string },
): Promise<{ matched: boolean; code: boolean }> {
  if (!input.connectionId) return { matched: false, code: false };
  const code = extractCode(input.text);
  if (!code) return { matched: true, code: false };
  await deps.db.insert(mfaCode).values({
    connectionId: input.connectionId,
    channel: input.channel,
    codeEncrypted: encryptSecret(code, deps.tokenKey),
    expiresAt: new Date(Date.now() + FORWARDED_CODE_VALIDITY_MS),
  });
  return { matched: true, code: true };
}

export async function registerInboundHooks(
  app: FastifyInstance,
  deps: { db: TDb; log: Logger; env: TApiEnv },
): Promise<void> {
  const { env, db, log } = deps;
  configureInbound({
    emailDomain: env.INBOUND_EMAIL_DOMAIN,
    smsNumber: env.INBOUND_SMS_NUMBER ? normalizeNumber(env.INBOUND_SMS_NUMBER) : null,
  });
  const secret = env.INBOUND_WEBHOOK_SECRET;
  // Not configured: no routes, so the hooks answer 404 like any unknown endpoint.
  if (!secret) return;
  const tokenKey = parseKey(env.TOKEN_ENCRYPTION_KEY);
  const receive =
    (channel: "email" | "sms") => async (body: string, _req: unknown, reply: FastifyReply) => {
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {}
      let connectionId: string | null;
      let text: string;
      if (channel === "email") {
        const parsed = ZInboundEmail.safeParse(json);
        if (!parsed.success) return badPayload(reply);
        connectionId = await matchEmail(db, parsed.data.to);
        text = `${parsed.data.subject}\n${parsed.data.text || parsed.data.html || ""}`;
      } else {
        const parsed = ZInboundSms.safeParse(json);
        if (!parsed.success) return badPayload(reply);
        connectionId = await matchSms(db, parsed.data.to);
        text = parsed.data.text;
      }
      const result = await receiveForwardedCode({ db, tokenKey }, { channel, connectionId, text });
      // Which connection and whether a code was found; never the code or the text.
      log.info({ channel, connectionId, ...result }, "forwarded MFA message");
      return reply.status(202).send(result);
    };
  await registerSignedHooks(app, {
    secret,
    headerPrefix: "webhook",
    routes: { "/hooks/inbound-email": receive("email"), "/hooks/inbound-sms": receive("sms") },
  });
}

function badPayload(reply: FastifyReply) {
  return reply.status(400).send({
    error: { code: "BAD_REQUEST", message: "The message is not in a format we read." },
  });
}
