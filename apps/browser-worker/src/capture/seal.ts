// Seals a captured credential for the vault. The worker holds only the vault's PUBLIC
// key: once sealed, nothing on the worker (or the API relaying it) can read it back.
import {
  CompactEncrypt,
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtDecrypt,
} from "jose";
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
  /** False when only the recipient said they were signed in; the portal never showed it. */
  verified: boolean;
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

// ---------------------------------------------------------------------------------------
// The worker's own ephemeral key (fleet identity, docs/scaling.md). Made at start, never
// written anywhere: the public half is registered with the fleet and served at
// GET /identity, where the API checks that the worker at the advertised address holds
// the key it registered. The collection job seals a stored credential to it, so a copied
// fleet token alone never yields a plaintext password.

export type TWorkerKey = { publicJwk: JWK; privateKey: CryptoKey };

export async function createWorkerKey(): Promise<TWorkerKey> {
  const { publicKey, privateKey } = await generateKeyPair(SEAL_ALG, {
    crv: "P-256",
    extractable: false,
  });
  return { publicJwk: await exportJWK(publicKey), privateKey };
}

const ZCollectCredentialClaims = z.object({
  username: z.string().min(1).max(1024),
  password: z.string().min(1).max(1024),
});

/**
 * Opens a credential the job sealed to this worker for one session. Anything else (sealed
 * to another key, for another session, expired, tampered with) is refused: null.
 */
export async function openSealedForSession(
  key: TWorkerKey,
  jwe: string,
  sessionId: string,
): Promise<{ username: string; password: string } | null> {
  try {
    const { payload } = await jwtDecrypt(jwe, key.privateKey, {
      subject: sessionId,
      keyManagementAlgorithms: [SEAL_ALG],
      contentEncryptionAlgorithms: [SEAL_ENC],
    });
    const parsed = ZCollectCredentialClaims.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
