// Reads a bill's account number, period, dates, usage and amount from its PDF text (unpdf, the pdf.js
// text layer), in the recipient-flow languages (English, French). What cannot be read
// stays null: the bill is kept with its document and shown as "needs review", never
// guessed. Runs in the worker: a utility's PDF is untrusted input, parsed in the process
// that already holds untrusted pages, never in the API.
import { extractText, getDocumentProxy } from "unpdf";

export type TParsedBill = {
  periodStart: string | null;
  periodEnd: string | null;
  issuedOn: string | null;
  dueOn: string | null;
  usage: string | null;
  unit: string | null;
  amount: string | null;
  currency: string | null;
  /** The utility's account (customer) number as printed; not a credential, never logged. */
  accountNumber: string | null;
};

export const EMPTY_PARSE: TParsedBill = {
  periodStart: null,
  periodEnd: null,
  issuedOn: null,
  dueOn: null,
  usage: null,
  unit: null,
  amount: null,
  currency: null,
  accountNumber: null,
};

/** The text of a PDF, or null when it is not a readable PDF. Bounded in pages. */
export async function pdfText(bytes: Uint8Array): Promise<string | null> {
  try {
    const document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      if (document.numPages > 50) return null;
      const { text } = await extractText(document, { mergePages: true });
      return text;
    } finally {
      await document.destroy().catch(() => undefined);
    }
  } catch {
    return null;
  }
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  janvier: 1,
  janv: 1,
  feb: 2,
  february: 2,
  fevrier: 2,
  février: 2,
  fevr: 2,
  févr: 2,
  mar: 3,
  march: 3,
  mars: 3,
  apr: 4,
  april: 4,
  avril: 4,
  avr: 4,
  may: 5,
  mai: 5,
  jun: 6,
  june: 6,
  juin: 6,
  jul: 7,
  july: 7,
  juillet: 7,
  juil: 7,
  aug: 8,
  august: 8,
  aout: 8,
  août: 8,
  sep: 9,
  sept: 9,
  september: 9,
  septembre: 9,
  oct: 10,
  october: 10,
  octobre: 10,
  nov: 11,
  november: 11,
  novembre: 11,
  dec: 12,
  december: 12,
  decembre: 12,
  décembre: 12,
};

// One date, in any of the forms bills print: 2026-09-30, 30/09/2026 (fr) or 09/30/2026
// (en), Sep 30, 2026, 30 September 2026 / 30 septembre 2026.
const DATE =
  /(\d{4})-(\d{2})-(\d{2})|(\d{1,2})[/.](\d{1,2})[/.](\d{4})|([A-Za-zéû]{3,9})\.? (\d{1,2}),? (\d{4})|(\d{1,2}) ([A-Za-zéû]{3,9})\.? (\d{4})/;
const DATE_G = new RegExp(DATE.source, "g");

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1990 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function dateOf(match: RegExpExecArray | RegExpMatchArray, french: boolean): string | null {
  const [, y, m, d, n1, n2, ny, mon1, d1, y1, d2, mon2, y2] = match;
  if (y && m && d) return iso(Number(y), Number(m), Number(d));
  if (n1 && n2 && ny) {
    // Day first in French (and most of the world), month first in US English.
    return french
      ? iso(Number(ny), Number(n2), Number(n1))
      : iso(Number(ny), Number(n1), Number(n2));
  }
  const month = MONTHS[(mon1 ?? mon2 ?? "").toLowerCase()];
  if (month && mon1 && d1 && y1) return iso(Number(y1), month, Number(d1));
  if (month && mon2 && d2 && y2) return iso(Number(y2), month, Number(d2));
  return null;
}

/** "1 234,56" / "1,234.56" / "96.40" → "1234.56". */
function decimal(raw: string, french: boolean): string | null {
  let value = raw.replace(/[\s\u00a0\u202f]/g, "");
  if (french || /,\d{1,2}$/.test(value)) value = value.replace(/\./g, "").replace(",", ".");
  else value = value.replace(/,/g, "");
  return /^-?\d+(\.\d+)?$/.test(value) ? value : null;
}

const CURRENCY_OF: Record<string, string> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  usd: "USD",
  eur: "EUR",
  gbp: "GBP",
  cad: "CAD",
};

/** The first date found within a line that starts with one of the labels. */
function labelledDate(lines: string[], label: RegExp, french: boolean): string | null {
  for (const line of lines) {
    const at = line.search(label);
    if (at < 0) continue;
    const match = DATE.exec(line.slice(at));
    const value = match ? dateOf(match, french) : null;
    if (value) return value;
  }
  return null;
}

// The labels bills print before the account number, in English and French. "Référence
// client" only: "Référence de facture" is the bill's own number.
const ACCOUNT_LABEL =
  /\b(?:account\s*(?:number|no\b\.?|#)|customer\s*(?:number|no\b\.?|#)|num[ée]ro\s+de\s+compte|n[°º]\s*de\s+compte|r[ée]f[ée]rence\s+client)\s*[:#.]?\s*/i;
// Groups of letters, digits and dashes separated by single spaces ("NW-4410-2291",
// "HE 7720 1145 09"): each group holds a digit, except a leading letters-only prefix.
// A word ("Statement", "Titulaire") ends it.
const ACCOUNT_VALUE = /^(?:[A-Z]{1,4} )?[A-Za-z-]*\d[A-Za-z0-9-]*(?: [A-Za-z-]*\d[A-Za-z0-9-]*)*/;

const STARTS_WITH_DATE = new RegExp(`^(?:${DATE.source})`);

/** The value printed at the start of `rest`, unless it is (part of) a date or an amount. */
function accountValue(rest: string): string | null {
  if (/^[$€£]/.test(rest) || STARTS_WITH_DATE.test(rest)) return null;
  const match = ACCOUNT_VALUE.exec(rest);
  if (!match) return null;
  // A number that goes on as a decimal, a money sign or a date ("96.40", "12,50 €",
  // "30/09/2026") is not an account.
  if (/^\s?(?:[.,/]\d|[$€£%])/.test(rest.slice(match[0].length))) return null;
  const value = match[0].replace(/-+$/, "");
  if (value.replace(/[\s-]/g, "").length < 4 || value.length > 40) return null;
  return value;
}

/** The account number after its label, on the label's line or alone on the next one. */
export function accountNumberOf(lines: string[]): string | null {
  for (const [index, line] of lines.entries()) {
    const label = ACCOUNT_LABEL.exec(line);
    if (!label) continue;
    const rest = line.slice(label.index + label[0].length);
    const value = rest ? accountValue(rest) : accountValue(lines[index + 1] ?? "");
    if (value) return value;
  }
  return null;
}

function linesOf(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.replace(/\s+/g, " ").trim());
}

export function parseBillText(text: string): TParsedBill {
  const lines = linesOf(text);
  const french = /\b(facture|période|montant|consommation|échéance)\b/i.test(text);
  const result: TParsedBill = { ...EMPTY_PARSE, accountNumber: accountNumberOf(lines) };

  for (const line of lines) {
    if (!/(billing period|service period|period|période|du .* au)/i.test(line)) continue;
    const dates = [...line.matchAll(DATE_G)].map((m) => dateOf(m, french)).filter(Boolean);
    if (dates.length >= 2) {
      result.periodStart = dates[0] ?? null;
      result.periodEnd = dates[1] ?? null;
      break;
    }
  }
  result.issuedOn = labelledDate(
    lines,
    /(statement date|bill date|invoice date|date of (bill|issue)|issued( on)?|date de (la )?facture|date d'émission|émise le)/i,
    french,
  );
  result.dueOn = labelledDate(
    lines,
    /(due date|payment due|pay by|due on|date d'échéance|échéance|à payer avant le)/i,
    french,
  );

  const amountLabel =
    /(amount due|total due|total amount|balance due|amount payable|new charges|montant ttc|montant total|montant à payer|total à payer|net à payer|total ttc)/i;
  for (const line of lines) {
    const at = line.search(amountLabel);
    if (at < 0) continue;
    const rest = line.slice(at);
    const money =
      /([$€£])\s?(-?[\d\s\u00a0\u202f.,]*\d)|(-?[\d\s\u00a0\u202f.,]*\d)\s?([$€£]|EUR|USD|GBP|CAD)(?![A-Za-z])/i.exec(
        rest,
      );
    if (!money) continue;
    const symbol = (money[1] ?? money[4] ?? "").toLowerCase();
    const value = decimal(money[2] ?? money[3] ?? "", french);
    if (value) {
      result.amount = value;
      result.currency = CURRENCY_OF[symbol] ?? null;
      break;
    }
  }

  const usage = /(-?\d[\d\s\u00a0\u202f.,]*)\s?(kWh|MWh|m3|m³|therms?|ccf|gal(?:lons)?)\b/i;
  for (const line of lines) {
    if (!/(usage|consumption|consommation|used|total)/i.test(line)) continue;
    const match = usage.exec(line);
    const value = match?.[1] ? decimal(match[1].trim(), french) : null;
    if (match && value) {
      result.usage = value;
      const unit = (match[2] ?? "").toLowerCase();
      result.unit =
        unit === "m³" || unit === "m3"
          ? "m3"
          : unit === "kwh"
            ? "kWh"
            : unit === "mwh"
              ? "MWh"
              : unit.startsWith("therm")
                ? "therms"
                : unit.startsWith("gal")
                  ? "gal"
                  : unit;
      break;
    }
  }
  return result;
}

/** The account number printed on a bill's PDF among its files (null without a PDF). */
export async function accountNumberOfPdf(
  files: { kind: string; base64: string }[],
): Promise<string | null> {
  const pdf = files.find((file) => file.kind === "pdf");
  const text = pdf ? await pdfText(Buffer.from(pdf.base64, "base64")) : null;
  return text ? accountNumberOf(linesOf(text)) : null;
}
