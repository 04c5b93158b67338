import { decryptSecret } from "../../lib/tokens";

/** The recipient link. `proof` marks a link sent to one address by the platform. */
export function invitationUrl(publicUrl: string, token: string, proof?: string): string {
  const url = new URL(`/p/i/${token}`, publicUrl);
  if (proof) url.searchParams.set("r", proof);
  return url.toString();
}

export function invitationUrlFromCiphertext(
  publicUrl: string,
  tokenCiphertext: string,
  tokenKey: Buffer,
): string {
  return invitationUrl(publicUrl, decryptSecret(tokenCiphertext, tokenKey));
}
