import type { TSandboxAccount, TSandboxBill } from "./accounts";
import {
  displayUnit,
  formatDate,
  formatMoney,
  formatUsage,
  frenchDecimal,
  plainAmount,
} from "./format";
import type { TPortal } from "./portals";

// Bill downloads. The PDF is written by hand (one page, the two standard Helvetica fonts,
// WinAnsi text) so that it is valid for any reader without a PDF library. The CSV of
// English portals is machine-plain; the French one is what a French utility exports:
// `;`-separated, comma decimals, DD/MM/YYYY dates and a UTF-8 BOM for spreadsheets.

export function billCsv(portal: TPortal, bill: TSandboxBill): string {
  if (portal.locale.startsWith("fr")) {
    const header = [
      "Référence",
      "Énergie",
      "Début de période",
      "Fin de période",
      "Date d'émission",
      "Date d'échéance",
      "Consommation",
      "Unité",
      "Montant TTC",
      "Devise",
    ];
    const row = [
      bill.id,
      portal.texts.utility[bill.utility],
      formatDate("fr-FR", bill.periodStart),
      formatDate("fr-FR", bill.periodEnd),
      formatDate("fr-FR", bill.issuedOn),
      formatDate("fr-FR", bill.dueOn),
      frenchDecimal(bill.usage),
      displayUnit(bill.unit),
      frenchDecimal(bill.amountCents / 100, 2),
      bill.currency,
    ];
    return `\ufeff${header.join(";")}\r\n${row.map((cell) => csvCell(cell, ";")).join(";")}\r\n`;
  }
  const header = [
    "bill_id",
    "utility",
    "period_start",
    "period_end",
    "issued_on",
    "due_on",
    "usage",
    "unit",
    "amount",
    "currency",
  ];
  const row = [
    bill.id,
    bill.utility,
    bill.periodStart,
    bill.periodEnd,
    bill.issuedOn,
    bill.dueOn,
    String(bill.usage),
    bill.unit,
    plainAmount(bill.amountCents),
    bill.currency,
  ];
  return `${header.join(",")}\r\n${row.map((cell) => csvCell(cell, ",")).join(",")}\r\n`;
}

function csvCell(value: string, separator: string): string {
  const needsQuotes = value.includes(separator) || /["\r\n]/.test(value);
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

export function billPdf(portal: TPortal, account: TSandboxAccount, bill: TSandboxBill): Buffer {
  const fr = portal.locale.startsWith("fr");
  const t = portal.texts;
  const rows: [string, string][] = [
    [t.accountNumber, account.accountNumber],
    [fr ? "Titulaire" : "Account holder", account.holderName],
    [t.serviceAddress, account.serviceAddress],
    [fr ? "Référence de facture" : "Bill number", bill.id],
    [t.colUtility, t.utility[bill.utility]],
    [
      t.colPeriod,
      `${formatDate(portal.locale, bill.periodStart)} - ${formatDate(portal.locale, bill.periodEnd)}`,
    ],
    [fr ? "Date d'émission" : "Issued", formatDate(portal.locale, bill.issuedOn)],
    [t.colDue, formatDate(portal.locale, bill.dueOn)],
    [t.colUsage, formatUsage(portal.locale, bill.usage, bill.unit)],
  ];
  const [r, g, b] = hexToRgb(portal.theme.primary);
  const ops: string[] = [
    `${r} ${g} ${b} rg 0 762 595 80 re f`,
    `BT 1 1 1 rg /F2 24 Tf 48 792 Td ${pdfString(portal.name)} Tj ET`,
    `BT 1 1 1 rg /F1 11 Tf 48 774 Td ${pdfString(portal.theme.tagline)} Tj ET`,
    `BT 0 0 0 rg /F2 18 Tf 48 720 Td ${pdfString(fr ? "Facture" : "Bill")} Tj ET`,
  ];
  let y = 686;
  for (const [label, value] of rows) {
    ops.push(`BT 0.35 0.35 0.35 rg /F1 11 Tf 48 ${y} Td ${pdfString(label)} Tj ET`);
    ops.push(`BT 0 0 0 rg /F1 11 Tf 220 ${y} Td ${pdfString(value)} Tj ET`);
    y -= 22;
  }
  y -= 10;
  ops.push(`0.85 0.85 0.85 rg 48 ${y - 14} 499 40 re f`);
  ops.push(
    `BT 0 0 0 rg /F2 14 Tf 60 ${y} Td ${pdfString(fr ? "Montant TTC à payer" : "Amount due")} Tj ET`,
  );
  ops.push(
    `BT 0 0 0 rg /F2 14 Tf 380 ${y} Td ${pdfString(formatMoney(portal.locale, bill.amountCents, bill.currency))} Tj ET`,
  );
  ops.push(`BT 0.4 0.4 0.4 rg /F1 9 Tf 48 40 Td ${pdfString(t.footer)} Tj ET`);
  return buildPdf(ops.join("\n"));
}

export function buildPdf(content: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
  ];
  // Every character below is a single byte (latin1), so string offsets are byte offsets.
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(out.length);
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

// WinAnsi bytes (octal) of the non-Latin-1 characters these pages use.
const WIN_ANSI_EXTRAS: Record<string, string> = {
  "€": "200",
  "‘": "221",
  "’": "222",
  "“": "223",
  "”": "224",
  "•": "225",
  "–": "226",
  "—": "227",
};

/** A PDF literal string in WinAnsi: Latin-1 maps to itself, "€" and dashes to their WinAnsi bytes, the rest to "?". */
export function pdfString(text: string): string {
  let out = "(";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 63;
    if (char === "\\" || char === "(" || char === ")") out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (WIN_ANSI_EXTRAS[char]) out += `\\${WIN_ANSI_EXTRAS[char]}`;
    else if (code === 0x202f) out += " ";
    else if (code >= 0xa0 && code <= 0xff) out += `\\${code.toString(8)}`;
    else out += "?";
  }
  return `${out})`;
}

function hexToRgb(hex: string): [string, string, string] {
  const value = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => (((value >> shift) & 0xff) / 255).toFixed(3);
  return [channel(16), channel(8), channel(0)];
}
