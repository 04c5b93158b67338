// Reading bills with a provider's collection rules: rows matching `billsSelector` carry
// their data in locale-free data attributes (data-bill-id, data-period-start…) and link
// their PDF/CSV; only bills not already stored are downloaded. Rules, when a provider
// has them, win over generic discovery (./discover.ts).
import type { TCollectedBill, TOpenedCollectRequest } from "@meterlink/shared/connection";
import { z } from "zod";
import { isAllowedUrl } from "../session/context";
import { downloadInPage, Failed, sleep, type TCollectLimits, type TCollectTarget } from "./common";
import { accountNumberOfPdf } from "./parse";
import { BILLS_SCRIPT } from "./scripts";

const ZRow = z.object({
  id: z.string().nullable(),
  utility: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  issuedOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  usage: z.string().nullable(),
  unit: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  pdfUrl: z.string().nullable(),
  csvUrl: z.string().nullable(),
});
type TRow = z.infer<typeof ZRow>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function dateOrNull(value: string | null): string | null {
  return value && ISO_DATE.test(value) ? value : null;
}

/** How many rows (or a "no bills" marker) the page shows now; null while navigating. */
export type TBillsLook = () => Promise<{ ready: boolean; bills: number; noBills: boolean } | null>;

export async function readRuleBills(
  target: TCollectTarget,
  limits: TCollectLimits,
  request: Pick<TOpenedCollectRequest, "recipe" | "knownBillIds" | "collectFrom">,
  look: TBillsLook,
): Promise<TCollectedBill[]> {
  const { page } = target;
  const { recipe } = request;
  if (recipe.billsPath) {
    const url = new URL(recipe.billsPath, page.url()).toString();
    const response = await page
      .goto(url, { waitUntil: "load", timeout: limits.stepTimeoutMs })
      .catch(() => {
        throw new Failed("provider_down");
      });
    if ((response?.status() ?? 200) >= 500) throw new Failed("provider_down");
  }
  const deadline = Date.now() + limits.stepTimeoutMs;
  let seen = await look();
  while (!(seen?.ready && (seen.bills > 0 || seen.noBills)) && Date.now() < deadline) {
    await sleep(200);
    seen = await look();
  }
  if (!seen || (seen.bills === 0 && !seen.noBills)) throw new Failed("portal_changed");
  if (seen.bills === 0) return [];

  const raw: unknown = await page.evaluate(
    `(${BILLS_SCRIPT})(${JSON.stringify(recipe.billsSelector)})`,
  );
  const rows = z.array(ZRow).safeParse(raw);
  if (!rows.success) throw new Failed("portal_changed");
  const known = new Set(request.knownBillIds);
  const bills: TCollectedBill[] = [];
  let totalBytes = 0;
  for (const row of rows.data) {
    if (!row.id || row.id.length > 200) continue;
    const bill: TCollectedBill = {
      id: row.id,
      utility: row.utility?.slice(0, 50) ?? null,
      periodStart: dateOrNull(row.periodStart),
      periodEnd: dateOrNull(row.periodEnd),
      issuedOn: dateOrNull(row.issuedOn),
      dueOn: dateOrNull(row.dueOn),
      usage: row.usage && DECIMAL.test(row.usage) ? row.usage : null,
      unit: row.unit?.slice(0, 20) ?? null,
      amount: row.amount && DECIMAL.test(row.amount) ? row.amount : null,
      currency: row.currency?.slice(0, 10) ?? null,
      files: [],
    };
    const date = bill.periodEnd ?? bill.issuedOn;
    // Older than the collection start date: not kept, so not downloaded.
    if (request.collectFrom && date && date < request.collectFrom) continue;
    if (!known.has(row.id)) {
      const files = await downloadRow(target, limits, row, limits.maxTotalBytes - totalBytes);
      // Over the response budget: leave this bill for the next run rather than store
      // it without its documents (a stored bill is never downloaded again).
      if (files === null) continue;
      for (const file of files) totalBytes += file.base64.length;
      bill.files = files;
      // Rows carry no account number: the bill's PDF prints it.
      bill.accountNumber = await accountNumberOfPdf(files);
    }
    bills.push(bill);
  }
  return bills;
}

async function downloadRow(
  target: TCollectTarget,
  limits: TCollectLimits,
  row: TRow,
  budget: number,
): Promise<TCollectedBill["files"] | null> {
  const { page, allowedHostnames, log } = target;
  const files: TCollectedBill["files"] = [];
  let used = 0;
  for (const [kind, path] of [
    ["pdf", row.pdfUrl],
    ["csv", row.csvUrl],
  ] as const) {
    if (!path) continue;
    let url: string;
    try {
      url = new URL(path, page.url()).toString();
    } catch {
      continue;
    }
    // Documents come from the provider's own hosts, never from wherever a page points.
    if (!isAllowedUrl(url, allowedHostnames)) continue;
    const cap = Math.min(limits.maxFileBytes, Math.floor(((budget - used) * 3) / 4));
    if (cap <= 0) return null;
    const download = await downloadInPage(page, url, cap);
    if ("error" in download) {
      log.warn({ kind, billId: row.id }, "bill document could not be downloaded");
      if (download.error === "too large") return null;
      continue;
    }
    used += download.base64.length;
    files.push({
      kind,
      contentType: download.contentType.slice(0, 200),
      base64: download.base64,
    });
  }
  return files;
}
