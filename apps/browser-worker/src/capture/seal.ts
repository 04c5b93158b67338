// Seals a captured credential for the vault. The worker holds only the vault's PUBLIC
// key: once sealed, nothing on the worker (or the API relaying it) can read it back.
import { CompactEncrypt, type CryptoKey, importJWK, type JWK } from "jose";
import { z } from "zod";

export const SEAL_ALG = "ECDH-ES+A256KW";
export const SEAL_ENC = "A256GCM";

const ZVaultPublicJwk = z
  .object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string() })
  .loose()
  .refine((jwk) => !("d" in jwk), "must be a PUBLIC key (it contains a private part `d`)");

export type TSealedPayload = {
  username: string;
  password: string;
  codes: string[];
  providerId: string;
  finalUrl: string;
};

/** Accepts the JWK as a JSON string (env) or an object; fails loudly at start if invalid. */
export async function importVaultPublicKey(jwk: string | JWK): Promise<CryptoKey> {
  let value: unknown = jwk;
  if (typeof jwk === "string") {
    try {
      value = JSON.parse(jwk);
    } catch {
      throw new Error("VAULT_PUBLIC_KEY is not valid JSON (expected an EC P-256 public JWK)");
    }
  }
  const parsed = ZVaultPublicJwk.safeParse(value);
  if (!parsed.success) {
    throw new Error(`VAULT_PUBLIC_KEY: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const key = await importJWK(parsed.data as JWK, SEAL_ALG);
  if (key instanceof Uint8Array) throw new Error("VAULT_PUBLIC_KEY must be an EC key");
  return key;
}

export async function sealCredential(key: CryptoKey, payload: TSealedPayload): Promise<string> {
  const plaintext = new TextEncoder().encode(JSON.stringify(payload));
  return await new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: SEAL_ALG, enc: SEAL_ENC, cty: "meterlink-credential+json" })
    .encrypt(key);
}
