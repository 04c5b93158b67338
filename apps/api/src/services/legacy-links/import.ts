// Imports the previous system's magic links as invitations marked `legacy`, so the old
// URLs keep working (http/legacy-links.ts) and admins see them, marked Legacy. Invariants:
// - nothing else creates legacy invitations (no API or admin input has the field);
// - a file with any bad entry imports nothing, and says which entries and why;
// - safe to run again: a link already imported (same path hash) is skipped, not doubled;
// - the old secret is never stored, only its path's hash; each row gets a fresh token
//   (hash + encrypted copy, like every invitation) that the old URL forwards to.
import { company, connection, invitation, type TDb } from "@meterlink/db";
import { AppError, type TFieldError } from "@meterlink/shared";
import { ZLegacyLinkFile } from "@meterlink/shared/legacy-links";
import { and, inArray, isNull } from "drizzle-orm";
import { encryptSecret, hashToken, newToken } from "../../lib/tokens";
import { recordEvent } from "../invitations/events";
import { legacyPathHash } from "./paths";

export type TLegacyImportResult = { imported: number; skipped: number };

function refuse(fields: TFieldError[]): never {
  const shown = fields.slice(0, 50);
  throw new AppError(
    "BAD_REQUEST",
    [
      "The legacy links file has errors; nothing was imported:",
      ...shown.map((f) => `  ${f.path || "(file)"}: ${f.message}`),
      ...(fields.length > shown.length ? [`  … and ${fields.length - shown.length} more`] : []),
    ].join("\n"),
    { fields },
  );
}

export async function importLegacyLinks(
  db: TDb,
  tokenKey: Buffer,
  content: unknown,
): Promise<TLegacyImportResult> {
  const parsed = ZLegacyLinkFile.safeParse(content);
  if (!parsed.success) {
    refuse(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const links = parsed.data.links;
  const fields: TFieldError[] = [];

  const seen = new Map<string, number>();
  const hashes = links.map((link, index) => {
    const hash = legacyPathHash(link.kind, link.publicCompanyId, link.secret);
    const first = seen.get(hash);
    if (first !== undefined) {
      fields.push({ path: `links.${index}`, message: `The same link as links.${first}.` });
    }
    seen.set(hash, index);
    return hash;
  });

  // Live companies only: a test environment is no place for real recipients' links.
  const companyIds = [...new Set(links.map((link) => link.companyId))];
  const known = companyIds.length
    ? await db
        .select({ id: company.id })
        .from(company)
        .where(and(inArray(company.id, companyIds), isNull(company.testOf)))
    : [];
  const knownCompanies = new Set(known.map((row) => row.id));
  const targetIds = [...new Set(links.flatMap((link) => link.targetConnectionId ?? []))];
  const targets = targetIds.length
    ? await db
        .select({ id: connection.id, companyId: connection.companyId })
        .from(connection)
        .where(inArray(connection.id, targetIds))
    : [];
  const targetCompany = new Map(targets.map((row) => [row.id, row.companyId]));
  links.forEach((link, index) => {
    if (!knownCompanies.has(link.companyId)) {
      fields.push({
        path: `links.${index}.companyId`,
        message:
          "No such company. Use the Meterlink company id (Settings shows it), not the old one.",
      });
    }
    if (link.targetConnectionId && targetCompany.get(link.targetConnectionId) !== link.companyId) {
      fields.push({
        path: `links.${index}.targetConnectionId`,
        message: "No such connection in this company. Import the connections first.",
      });
    }
  });
  if (fields.length) refuse(fields);

  let imported = 0;
  await db.transaction(async (tx) => {
    for (const [index, link] of links.entries()) {
      const token = newToken();
      const expiresAt = link.expiresAt ? new Date(link.expiresAt) : null;
      const [row] = await tx
        .insert(invitation)
        .values({
          companyId: link.companyId,
          kind: link.kind,
          legacy: true,
          legacyPathHash: hashes[index],
          targetConnectionId: link.kind === "reconnect" ? (link.targetConnectionId ?? null) : null,
          tokenHash: hashToken(token),
          tokenCiphertext: encryptSecret(token, tokenKey),
          allowedEmails: [...new Set(link.allowedEmails)],
          expiryKind: expiresAt ? "date" : "never",
          expiresAt,
          maxUses: link.maxUses,
          uses: link.uses,
          revokedAt: link.revokedAt ? new Date(link.revokedAt) : null,
          delivery: "manual",
          locale: link.locale,
          externalReference: link.externalReference ?? null,
          createdVia: "import",
          ...(link.createdAt ? { createdAt: new Date(link.createdAt) } : {}),
        })
        .onConflictDoNothing({ target: invitation.legacyPathHash })
        .returning({ id: invitation.id });
      if (!row) continue;
      imported += 1;
      await recordEvent(tx, {
        invitationId: row.id,
        type: "created",
        actor: { type: "system" },
        data: { kind: link.kind, delivery: "manual", legacy: true, via: "import" },
      });
    }
  });
  return { imported, skipped: links.length - imported };
}
