// Generic bill discovery, for providers without collection rules: on the signed-in pages
// (the landing page, the menu entries that name bills, and the next pages of a statements
// table; only within the provider's allowed hosts, never "sign out" or "pay"), find the
// documents (PDF/CSV/XLSX links, links marked `download`, "download bill" buttons that
// fetch a blob), download them through the page with a size cap and a content check, and
// read each PDF's period, dates, usage and amount. Invariants:
// - a bill found this way is named by its document's content hash (`sha256:…`): the same
//   document is never stored twice, however it was linked;
// - a document refused (too large, not a document, off the allowed hosts) is noted by
//   host and path, never kept;
// - nothing dated before the collection start date is returned.
import { createHash } from "node:crypto";
import type {
  TCollectedBill,
  TCollectNote,
  TOpenedCollectRequest,
} from "@meterlink/shared/connection";
import type { Page } from "puppeteer-core";
import { z } from "zod";
import { isAllowedUrl } from "../session/context";
import {
  downloadInPage,
  sleep,
  type TCollectLimits,
  type TCollectTarget,
  type TDownload,
  ZDownload,
} from "./common";
import {
  BLOB_COUNT_SCRIPT,
  BLOB_HOOK_SCRIPT,
  BLOB_READ_SCRIPT,
  DISCOVER_SCRIPT,
  DISCOVERY_WORDS,
} from "./discover-scripts";
import { EMPTY_PARSE, parseBillText, pdfText, type TParsedBill } from "./parse";

const ZScan = z.object({
  url: z.string(),
  links: z.array(z.object({ href: z.string(), text: z.string(), group: z.number().nullable() })),
  buttons: z.array(
    z.object({ marker: z.string(), text: z.string(), group: z.number().nullable() }),
  ),
  nav: z.array(z.object({ href: z.string(), text: z.string() })),
  next: z.string().nullable(),
});
type TScan = z.infer<typeof ZScan>;

type TFile = TCollectedBill["files"][number];
type TFound = { files: TFile[]; parsed: TParsedBill };

export type TDiscovery = { bills: TCollectedBill[]; notes: TCollectNote[] };

/** Host and path: enough to recognise a document, never a query's token. */
function nameOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`.slice(0, 300);
  } catch {
    return "(unreadable address)";
  }
}

const PDF_MAGIC = "%PDF-";

/** What the bytes are, whatever the portal called them; null when not a bill document. */
export function documentKind(bytes: Buffer, contentType: string): TFile["kind"] | null {
  const type = contentType.toLowerCase();
  if (bytes.subarray(0, 1024).toString("latin1").includes(PDF_MAGIC)) return "pdf";
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (zip && /spreadsheetml|excel|octet-stream/.test(type)) return "xlsx";
  const head = bytes.subarray(0, 2048).toString("utf8");
  if (
    /text\/csv|application\/csv|text\/comma-separated/.test(type) &&
    !/<(html|!doctype)/i.test(head)
  ) {
    return "csv";
  }
  return null;
}

async function scan(page: Page): Promise<TScan | null> {
  try {
    const raw: unknown = await page.evaluate(
      `(${DISCOVER_SCRIPT})(${JSON.stringify(DISCOVERY_WORDS)})`,
    );
    const parsed = ZScan.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Clicks a "download bill" button and takes the Blob it saves, if any. */
async function downloadByButton(
  page: Page,
  marker: string,
  cap: number,
  timeoutMs: number,
): Promise<TDownload> {
  const before = Number(await page.evaluate(`(${BLOB_HOOK_SCRIPT})()`).catch(() => 0));
  const handle = await page.$(`[data-ml-candidate="${marker}"]`);
  if (!handle) return { error: "no document" };
  await handle.click().catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const count = Number(await page.evaluate(`(${BLOB_COUNT_SCRIPT})()`).catch(() => 0));
    if (count > before) {
      const raw: unknown = await page
        .evaluate(`(${BLOB_READ_SCRIPT})(${before}, ${cap})`)
        .catch(() => ({ error: "fetch failed" }));
      const parsed = ZDownload.safeParse(raw);
      return parsed.success ? parsed.data : { error: "fetch failed" };
    }
    await sleep(150);
  }
  return { error: "no document" };
}

export async function discoverBills(
  target: TCollectTarget,
  limits: TCollectLimits,
  request: Pick<TOpenedCollectRequest, "knownBillIds" | "collectFrom">,
): Promise<TDiscovery> {
  const { page, allowedHostnames, log } = target;
  const notes: TCollectNote[] = [];
  const note = (reason: TCollectNote["reason"], url: string) => {
    if (notes.length < 100 && !notes.some((n) => n.document === nameOf(url))) {
      notes.push({ reason, document: nameOf(url) });
    }
  };
  const found = new Map<string, TFound>();
  const hashes = new Set<string>();
  const fetched = new Set<string>();
  let totalBytes = 0;

  /** Checks, hashes and files one downloaded document under its row. */
  const keep = async (download: TDownload, url: string, groupKey: string) => {
    if ("error" in download) {
      note(download.error === "too large" ? "too_large" : "download_failed", url);
      return;
    }
    const bytes = Buffer.from(download.base64, "base64");
    const kind = documentKind(bytes, download.contentType);
    if (!kind) return note("not_a_document", url);
    const hash = createHash("sha256").update(bytes).digest("hex");
    if (hashes.has(hash)) return;
    hashes.add(hash);
    totalBytes += download.base64.length;
    // Two documents of one kind in one row are two bills.
    const slot = found.get(groupKey)?.files.some((f) => f.kind === kind)
      ? `${groupKey}#${hash}`
      : groupKey;
    const entry = found.get(slot) ?? { files: [], parsed: EMPTY_PARSE };
    found.set(slot, entry);
    entry.files.push({
      kind,
      contentType: download.contentType.slice(0, 200),
      base64: download.base64,
    });
    if (kind === "pdf") {
      const text = await pdfText(bytes);
      entry.parsed = text ? parseBillText(text) : EMPTY_PARSE;
    }
  };
  const capLeft = () =>
    Math.min(limits.maxFileBytes, Math.floor(((limits.maxTotalBytes - totalBytes) * 3) / 4));

  const queue: string[] = [page.url()];
  const visited = new Set<string>();
  for (let pages = 0; queue.length > 0 && pages < limits.maxDiscoveryPages; ) {
    const url = queue.shift() ?? "";
    const key = url.split("#")[0] ?? url;
    if (visited.has(key)) continue;
    visited.add(key);
    if (!isAllowedUrl(url, allowedHostnames)) continue;
    if (page.url().split("#")[0] !== key) {
      const response = await page
        .goto(url, { waitUntil: "load", timeout: limits.stepTimeoutMs })
        .catch(() => null);
      if (!response || response.status() >= 400) continue;
    }
    pages++;
    // Script-rendered pages draw their lists after load.
    let seen = await scan(page);
    for (let i = 0; i < 5 && seen && seen.links.length + seen.buttons.length === 0; i++) {
      await sleep(200);
      seen = await scan(page);
    }
    if (!seen) continue;

    for (const link of seen.links) {
      if (fetched.has(link.href)) continue;
      fetched.add(link.href);
      if (!isAllowedUrl(link.href, allowedHostnames)) {
        note("off_host", link.href);
        continue;
      }
      const cap = capLeft();
      if (cap <= 0) break;
      const groupKey = link.group === null ? link.href : `${key}|${link.group}`;
      await keep(await downloadInPage(page, link.href, cap), link.href, groupKey);
    }
    for (const button of seen.buttons) {
      const cap = capLeft();
      if (cap <= 0) break;
      const groupKey =
        button.group === null ? `${key}|b${button.marker}` : `${key}|${button.group}`;
      const download = await downloadByButton(page, button.marker, cap, limits.stepTimeoutMs / 4);
      await keep(download, `${key}#${button.text}`, groupKey);
    }
    // The next page of a table first, then the menu entries.
    if (seen.next) queue.unshift(seen.next);
    for (const entry of seen.nav) queue.push(entry.href);
  }

  const known = new Set(request.knownBillIds);
  const bills: TCollectedBill[] = [];
  for (const entry of found.values()) {
    if (entry.files.length === 0) continue;
    const primary = entry.files.find((f) => f.kind === "pdf") ?? entry.files[0];
    if (!primary) continue;
    const id = `sha256:${createHash("sha256").update(Buffer.from(primary.base64, "base64")).digest("hex")}`;
    const { parsed } = entry;
    const date = parsed.periodEnd ?? parsed.issuedOn ?? parsed.periodStart;
    if (request.collectFrom && date && date < request.collectFrom) continue;
    bills.push({
      id,
      utility: null,
      ...parsed,
      files: known.has(id) ? [] : entry.files,
    });
  }
  log.info({ bills: bills.length, refused: notes.length, pages: visited.size }, "bills discovered");
  return { bills, notes };
}
