// A bill's document, for the REST API (API key of the bill's company) and for admins'
// links (a signed URL valid for minutes, so an <a download> works without a session
// cookie on a cross-origin deployment and a leaked link soon stops working). The
// signature binds bill, kind and expiry under a key derived from TOKEN_ENCRYPTION_KEY.
import { createHmac, timingSafeEqual } from "node:crypto";
import { bill, type TDbOrTx } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq } from "drizzle-orm";
import type { TBillStorage } from "../collection/storage";

export type TBillFileKind = "pdf" | "csv" | "xlsx";
export const SIGNED_DOCUMENT_TTL_MS = 10 * 60_000;
export const SIGNED_DOCUMENT_PATH = "/api/bill-documents";

const BILL_NOT_FOUND =
  "This bill was not found in your company. List bills with GET /connections/{id}/bills.";

export type TBillDocument = { bytes: Uint8Array; contentType: string; filename: string };

/** Reads one document; `companyId` null only behind a verified signature. */
export async function readBillDocument(
  deps: { db: TDbOrTx; storage: TBillStorage },
  input: { billId: string; companyId: string | null; kind?: TBillFileKind | undefined },
): Promise<TBillDocument> {
  const [row] = await deps.db
    .select({ externalId: bill.externalId, files: bill.files, periodEnd: bill.periodEnd })
    .from(bill)
    .where(
      input.companyId
        ? and(eq(bill.id, input.billId), eq(bill.companyId, input.companyId))
        : eq(bill.id, input.billId),
    );
  if (!row) throw new AppError("NOT_FOUND", BILL_NOT_FOUND);
  const file = input.kind
    ? row.files.find((f) => f.kind === input.kind)
    : (row.files.find((f) => f.kind === "pdf") ?? row.files[0]);
  if (!file) {
    const kinds = row.files.map((f) => f.kind).join(", ") || "none";
    throw new AppError(
      "NOT_FOUND",
      `This bill has no ${input.kind ?? ""} document (it has: ${kinds}).`.replace("  ", " "),
    );
  }
  const bytes = await deps.storage.get(file.key);
  if (!bytes) {
    throw new AppError(
      "NOT_FOUND",
      "This bill's document is missing from storage. It will be collected again at the next collection.",
    );
  }
  const base = row.externalId
    .replace(/^sha256:/, "")
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 60);
  return { bytes, contentType: file.contentType, filename: `bill-${base}.${file.kind}` };
}

function signatureOf(tokenKey: Buffer, billId: string, kind: TBillFileKind, expires: number) {
  return createHmac("sha256", tokenKey)
    .update(`bill-document\n${billId}\n${kind}\n${expires}`)
    .digest("base64url");
}

/** A link to one document, valid SIGNED_DOCUMENT_TTL_MS from `now`. */
export function signedDocumentUrl(
  tokenKey: Buffer,
  input: { billId: string; kind: TBillFileKind },
  now = Date.now(),
): string {
  const expires = now + SIGNED_DOCUMENT_TTL_MS;
  const signature = signatureOf(tokenKey, input.billId, input.kind, expires);
  return `${SIGNED_DOCUMENT_PATH}/${input.billId}/${input.kind}?expires=${expires}&signature=${signature}`;
}

/** Throws a clear refusal for a forged, altered or expired link. */
export function verifyDocumentSignature(
  tokenKey: Buffer,
  input: { billId: string; kind: TBillFileKind; expires: number; signature: string },
  now = Date.now(),
): void {
  const expected = Buffer.from(signatureOf(tokenKey, input.billId, input.kind, input.expires));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new AppError(
      "FORBIDDEN",
      "This download link is not valid. Open the bill again from its connection page.",
    );
  }
  if (input.expires < now) {
    throw new AppError(
      "FORBIDDEN",
      "This download link has expired. Open the bill again from its connection page.",
    );
  }
}
