// Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is
// `whsec_` + base64 bytes; the signature is `v1,` + base64 HMAC-SHA256 of
// `{webhook-id}.{webhook-timestamp}.{body}` with those bytes.
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString("base64")}`;
}

export function signWebhook(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  const mac = createHmac("sha256", key)
    .update(`${message.id}.${message.timestamp}.${message.body}`)
    .digest("base64");
  return `v1,${mac}`;
}
