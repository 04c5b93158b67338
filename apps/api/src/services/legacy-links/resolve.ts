// Where an old magic link leads: the token of the invitation it was imported as, or
// null for a path no import knows.
import { invitation, type TDb } from "@meterlink/db";
import { eq } from "drizzle-orm";
import { decryptSecret } from "../../lib/tokens";
import { legacyPathHash, type TLegacyKind } from "./paths";

export async function legacyLinkToken(
  db: TDb,
  tokenKey: Buffer,
  link: { kind: TLegacyKind; publicCompanyId: string; secret: string },
): Promise<string | null> {
  const [row] = await db
    .select({ tokenCiphertext: invitation.tokenCiphertext })
    .from(invitation)
    .where(
      eq(invitation.legacyPathHash, legacyPathHash(link.kind, link.publicCompanyId, link.secret)),
    );
  return row ? decryptSecret(row.tokenCiphertext, tokenKey) : null;
}
