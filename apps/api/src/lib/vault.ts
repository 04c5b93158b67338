// Credentials are sealed to the vault's public key (JWE, ECDH-ES+A256KW / A256GCM).
// The API web process holds only the public key: it can seal, never open. Only the
// collection job is given the private key.
import { CompactEncrypt, compactDecrypt, importJWK, type JWK } from "jose";

export type TCredentialPlaintext = {
  username: string;
  password: string;
  codes?: string[];
  notes?: string;
  providerId?: string | null;
  finalUrl?: string | null;
};

export async function sealCredential(
  credential: TCredentialPlaintext,
  publicJwk: JWK,
): Promise<string> {
  const key = await importJWK(publicJwk, "ECDH-ES+A256KW");
  return await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(credential)))
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM", cty: "meterlink-credential+json" })
    .encrypt(key);
}

/** For the collection job only (it holds the private key). */
export async function openCredential(
  sealed: string,
  privateJwk: JWK,
): Promise<TCredentialPlaintext> {
  const key = await importJWK(privateJwk, "ECDH-ES+A256KW");
  const { plaintext } = await compactDecrypt(sealed, key);
  return JSON.parse(new TextDecoder().decode(plaintext)) as TCredentialPlaintext;
}
