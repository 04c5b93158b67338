// Invitation tokens, recipient cookies, verification codes: 32 random bytes, URL-safe.
// The database keeps a sha256 for lookup and, where a link must be shown again, an
// AES-256-GCM copy whose key lives only in the environment: a dump alone opens nothing.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function parseKey(base64url: string): Buffer {
  const key = Buffer.from(base64url, "base64url");
  if (key.length !== 32) throw new Error("the key must be 32 bytes, base64url-encoded");
  return key;
}

export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    "v1",
    iv.toString("base64url"),
    body.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
  ].join(".");
}

export function decryptSecret(sealed: string, key: Buffer): string {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !body || !tag) throw new Error("unknown ciphertext format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** Keeps the network, drops the host: /24 for IPv4, /48 for IPv6. */
export function truncateIp(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = ip.replace(/^::ffff:/, "");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) return v4.replace(/\.\d+$/, ".0");
  if (ip.includes(":")) {
    const groups = ip
      .split(":")
      .filter((group, index, all) => group !== "" || index < all.length - 1);
    return `${groups.slice(0, 3).join(":")}::`;
  }
  return null;
}
