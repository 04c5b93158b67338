// A stored bill as admins and the REST API see it. "Needs review" is derived, not stored:
// a bill kept for its document although nothing (no period, date or amount) could be read
// from it, so a person should open it.
import type { bill } from "@meterlink/db";
import type { TApiBill } from "@meterlink/shared/developer";

type TBillRow = typeof bill.$inferSelect;

export function billNeedsReview(
  row: Pick<TBillRow, "periodEnd" | "periodStart" | "issuedOn" | "amount">,
): boolean {
  return !row.periodEnd && !row.periodStart && !row.issuedOn && row.amount === null;
}

export function toApiBill(row: TBillRow): TApiBill {
  return {
    id: row.id,
    connectionId: row.connectionId,
    externalId: row.externalId,
    utilityType: row.utilityType,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
    usage: row.usage,
    unit: row.unit,
    amount: row.amount,
    currency: row.currency,
    accountNumber: row.accountNumber,
    needsReview: billNeedsReview(row),
    // The storage key stays inside: it names our layout, not the customer's data.
    files: row.files.map((file) => ({
      kind: file.kind,
      contentType: file.contentType,
      bytes: file.bytes,
      sha256: file.sha256,
    })),
    collectedAt: row.createdAt.toISOString(),
  };
}
