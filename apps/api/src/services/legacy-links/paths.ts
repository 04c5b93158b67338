// The old magic-link URL shapes, and the one hash both the import and the lookup use.
// Only the hash of a legacy path is stored: a database dump rebuilds no old link.
import { hashToken } from "../../lib/tokens";

export type TLegacyKind = "contributor" | "reconnect";

/** The path (without the leading /p/) of an old link: reconnects live under /workflow/. */
export function legacyPath(kind: TLegacyKind, publicCompanyId: string, secret: string): string {
  return kind === "reconnect"
    ? `connect/${publicCompanyId}/workflow/${secret}`
    : `connect/${publicCompanyId}/${secret}`;
}

export function legacyPathHash(kind: TLegacyKind, publicCompanyId: string, secret: string) {
  return hashToken(legacyPath(kind, publicCompanyId, secret));
}
