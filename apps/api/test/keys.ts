import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { JWK } from "jose";

// One vault key pair and token key per test process, like an operator's secrets.
const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
export const TEST_VAULT_PUBLIC_JWK = publicKey.export({ format: "jwk" }) as JWK;
export const TEST_VAULT_PRIVATE_JWK = privateKey.export({ format: "jwk" }) as JWK;
export const TEST_TOKEN_KEY = randomBytes(32).toString("base64url");

export const TEST_ENV = {
  TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY,
  VAULT_PUBLIC_KEY: JSON.stringify(TEST_VAULT_PUBLIC_JWK),
};
