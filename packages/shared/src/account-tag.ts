// Duplicate utility accounts, detected without revealing the username (#17). The tag is
// HMAC-SHA256 over the provider and the normalised username, under a key that belongs to
// one company: derived from the API's TOKEN_ENCRYPTION_KEY with a label and the company
// id. A database dump alone cannot test username guesses (no key), and a worker, which
// computes the tag for a live sign-in because only it sees the typed username, is handed
// only the key of the company whose recipient it serves: it learns nothing it could use
// against another company's tags. API (manual entry) and worker (live sign-in) share this
// one function, so both paths give the same tag for the same account.
import { createHmac } from "node:crypto";

/** What makes two spellings the same login: Unicode form, case and outer spaces. */
export function normaliseUsername(username: string): string {
  return username.normalize("NFKC").trim().toLowerCase();
}

/** The company's tag key (base64url), derived from the API's 32-byte token key. */
export function accountTagKeyOf(tokenKey: Uint8Array, companyId: string): string {
  return createHmac("sha256", tokenKey)
    .update(`meterlink account tag v1\0${companyId}`)
    .digest("base64url");
}

/** The tag stored beside a sealed credential; `providerKey` is the provider id or name. */
export function accountTagOf(key: string, providerKey: string, username: string): string {
  return createHmac("sha256", Buffer.from(key, "base64url"))
    .update(`${providerKey.trim().toLowerCase()}\0${normaliseUsername(username)}`)
    .digest("base64url");
}
