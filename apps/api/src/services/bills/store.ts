// Stores the bills a collection found, whichever way it ran (the weekly job, or the
// recipient's own signed-in session right after sign-in). Invariants:
// - a bill is stored once per connection: the provider's bill id, or for a document found
//   without one its content hash (`sha256:…`), is unique per connection;
// - nothing older than the connection's collection start date is kept;
// - a `bill.created` webhook is emitted in the transaction that inserted the bill;
// - the connection's account number is the newest bill's that prints one, never reset to
//   null by a bill that prints none.
import { createHash } from "node:crypto";
import { bill, connection, type TDbOrTx } from "@meterlink/db";
import type { TCollectedBill, TCollectNote } from "@meterlink/shared/connection";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { TBillStorage } from "../collection/storage";
import { emitConnectionStatusChanged, emitWebhookEvent } from "../webhooks/emit";
import { billNeedsReview } from "./view";

export type TBillRow = typeof bill.$inferInsert;
type TConnectionRef = { id: string; companyId: string; collectionStartDate: string | null };

type TDated = {
  periodEnd?: string | null;
  issuedOn?: string | null;
  periodStart?: string | null;
};

/** The date a bill is "of": the end of its period, else its issue date. */
function dateOf(found: TDated): string | null {
  return found.periodEnd ?? found.issuedOn ?? found.periodStart ?? null;
}

/** Before the start date the recipient or admin chose: not kept. */
export function isBeforeStart(found: TDated, startDate: string | null): boolean {
  const date = dateOf(found);
  return Boolean(startDate && date && date < startDate);
}

/**
 * Writes the new bills' documents to storage and returns their rows (not inserted yet:
 * the caller inserts them in its own transaction with `insertBills`).
 */
export async function prepareBills(
  storage: TBillStorage,
  conn: TConnectionRef,
  found: TCollectedBill[],
  known: ReadonlySet<string>,
  collectionRunId: string | null,
): Promise<TBillRow[]> {
  const rows: TBillRow[] = [];
  const seen = new Set(known);
  for (const one of found) {
    if (seen.has(one.id) || isBeforeStart(one, conn.collectionStartDate)) continue;
    seen.add(one.id);
    const files = [];
    for (const file of one.files) {
      const bytes = Buffer.from(file.base64, "base64");
      const safeId = one.id.replace(/[^A-Za-z0-9._-]/g, "_");
      const key = `${conn.companyId}/${conn.id}/${safeId}.${file.kind}`;
      await storage.put(key, bytes, file.contentType);
      files.push({
        kind: file.kind,
        key,
        contentType: file.contentType,
        bytes: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
    }
    rows.push({
      connectionId: conn.id,
      companyId: conn.companyId,
      externalId: one.id,
      utilityType: one.utility,
      periodStart: one.periodStart,
      periodEnd: one.periodEnd,
      issuedOn: one.issuedOn,
      dueOn: one.dueOn,
      usage: one.usage,
      unit: one.unit,
      amount: one.amount,
      currency: one.currency,
      accountNumber: one.accountNumber ?? null,
      files,
      collectionRunId,
    });
  }
  return rows;
}

/** Inserts what is not stored yet; emits `bill.created` for each; returns how many. */
export async function insertBills(tx: TDbOrTx, rows: TBillRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(bill)
    .values(rows)
    .onConflictDoNothing({ target: [bill.connectionId, bill.externalId] })
    .returning();
  for (const row of inserted) {
    await emitWebhookEvent(tx, {
      companyId: row.companyId,
      type: "bill.created",
      data: {
        billId: row.id,
        connectionId: row.connectionId,
        periodStart: row.periodStart,
        periodEnd: row.periodEnd,
        issuedOn: row.issuedOn,
        amount: row.amount,
        currency: row.currency,
        usage: row.usage,
        unit: row.unit,
        needsReview: billNeedsReview(row),
      },
    });
  }
  return inserted.length;
}

/** What a successful run refused, for the connection's activity (null when nothing). */
export function refusalsOf(notes: TCollectNote[]): string | null {
  if (notes.length === 0) return null;
  const words: Record<TCollectNote["reason"], string> = {
    too_large: "too large",
    not_a_document: "not a bill document",
    off_host: "outside the utility's website",
    download_failed: "could not be downloaded",
  };
  const listed = notes.slice(0, 5).map((note) => `${note.document} (${words[note.reason]})`);
  const more = notes.length > 5 ? `, and ${notes.length - 5} more` : "";
  return `Documents not kept: ${listed.join("; ")}${more}.`;
}

/**
 * A collection (weekly, or the first bills of a live session) succeeded: the connection is
 * active, and an integrator hears of the change when it was not active before.
 */
export async function markCollected(
  tx: TDbOrTx,
  conn: { id: string; companyId: string; status: "pending" | "active" | "error" },
): Promise<void> {
  // Newest by the bill's own date (a backfilled older bill does not win), then by arrival.
  const [newest] = await tx
    .select({ accountNumber: bill.accountNumber })
    .from(bill)
    .where(and(eq(bill.connectionId, conn.id), isNotNull(bill.accountNumber)))
    .orderBy(
      sql`coalesce(${bill.periodEnd}, ${bill.issuedOn}, ${bill.periodStart}) desc nulls last`,
      desc(bill.createdAt),
    )
    .limit(1);
  await tx
    .update(connection)
    .set({
      ...(newest?.accountNumber ? { accountNumber: newest.accountNumber } : {}),
      status: "active",
      statusReason: null,
      lastCollectedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(connection.id, conn.id));
  if (conn.status !== "active") {
    await emitConnectionStatusChanged(tx, {
      companyId: conn.companyId,
      connectionId: conn.id,
      status: "active",
      previousStatus: conn.status,
      reason: null,
    });
  }
}
