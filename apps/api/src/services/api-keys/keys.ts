// Company API keys. The key is shown once, at creation; the database keeps its sha256
// (to find it) and a short prefix (to tell keys apart): a dump alone opens nothing.
import { randomBytes } from "node:crypto";
import { API_KEY_PREFIX, type TApiKeyMode, TEST_API_KEY_PREFIX } from "@meterlink/shared/developer";
import { hashToken } from "../../lib/tokens";

/** `ml_live_` (or `ml_test_`) + 32 random bytes, base64url. */
export function newApiKey(mode: TApiKeyMode = "live"): string {
  const prefix = mode === "test" ? TEST_API_KEY_PREFIX : API_KEY_PREFIX;
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** The mode a key's text claims, or null when it is no Meterlink key at all. */
export function modeOfKey(key: string): TApiKeyMode | null {
  if (key.startsWith(API_KEY_PREFIX)) return "live";
  if (key.startsWith(TEST_API_KEY_PREFIX)) return "test";
  return null;
}

export function hashApiKey(key: string): string {
  return hashToken(key);
}

/** What admins see of a key: enough to recognise it, far too little to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 4);
}
