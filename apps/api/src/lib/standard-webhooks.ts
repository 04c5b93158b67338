// Standard Webhooks (https://www.standardwebhooks.com), which Svix — and so Resend —
// also use: the secret is `whsec_` + base64 bytes; a signature is `v1,` + base64
// HMAC-SHA256 of `{id}.{timestamp}.{raw body}`. One module signs what we send and
// verifies what we receive, so both sides can never disagree.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const SECRET_PREFIX = "whsec_";
const TOLERANCE_SECONDS = 5 * 60;

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString("base64")}`;
}

function mac(
  secret: string,
  message: { id: string; timestamp: number | string; body: string },
): Buffer {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return createHmac("sha256", key)
    .update(`${message.id}.${message.timestamp}.${message.body}`)
    .digest();
}

export function signWebhook(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): string {
  return `v1,${mac(secret, message).toString("base64")}`;
}

/** True when one of the `v1,<base64>` signatures matches, signed within five minutes. */
export function verifyWebhookSignature(input: {
  secret: string;
  id: string;
  timestamp: string;
  signatures: string;
  body: string;
  now?: Date;
}): boolean {
  const seconds = Number(input.timestamp);
  const now = (input.now ?? new Date()).getTime() / 1000;
  if (!Number.isInteger(seconds) || Math.abs(now - seconds) > TOLERANCE_SECONDS) return false;
  const expected = mac(input.secret, input);
  return input.signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Mounts POST routes that accept only correctly signed JSON: the raw body is kept as
 * text (the signature covers the exact bytes) and anything unsigned gets 401 before the
 * handler runs. `headerPrefix` is "webhook" (Standard Webhooks) or "svix" (Resend).
 */
export async function registerSignedHooks(
  app: FastifyInstance,
  options: {
    secret: string;
    headerPrefix: "webhook" | "svix";
    routes: Record<
      string,
      (body: string, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>
    >;
  },
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) =>
      done(null, body),
    );
    for (const [path, handler] of Object.entries(options.routes)) {
      scope.post(path, async (req, reply) => {
        const header = (name: string) => {
          const value = req.headers[`${options.headerPrefix}-${name}`];
          return typeof value === "string" ? value : "";
        };
        const body = typeof req.body === "string" ? req.body : "";
        const verified = verifyWebhookSignature({
          secret: options.secret,
          id: header("id"),
          timestamp: header("timestamp"),
          signatures: header("signature"),
          body,
        });
        if (!verified) {
          return reply.status(401).send({
            error: {
              code: "UNAUTHORIZED",
              message: "The webhook signature is missing or invalid.",
            },
          });
        }
        return await handler(body, req, reply);
      });
    }
  });
}
