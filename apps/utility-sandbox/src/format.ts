import type { TCurrency, TUsageUnit } from "./accounts";

// Display formats follow each portal's locale (French pages show "25/11/2026",
// "1 234,56 €", "412,5 kWh"), while `data-*` attributes and CSV columns meant for machines
// stay in one locale-free form (ISO dates, "1234.56"). Dates are calendar dates: format
// them in UTC so the server's time zone never shifts a day.

export function formatDate(locale: string, isoDate: string): string {
  const options: Intl.DateTimeFormatOptions = locale.startsWith("fr")
    ? { timeZone: "UTC", day: "2-digit", month: "2-digit", year: "numeric" }
    : { timeZone: "UTC", dateStyle: "medium" };
  return new Intl.DateTimeFormat(locale, options).format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatMoney(locale: string, cents: number, currency: TCurrency): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

export function formatUsage(locale: string, usage: number, unit: TUsageUnit): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(usage);
  return `${number}\u00a0${displayUnit(unit)}`;
}

export function displayUnit(unit: TUsageUnit): string {
  return unit === "m3" ? "m³" : unit;
}

/** Machine form of an amount: "1234.56". */
export function plainAmount(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** Decimal with a comma and no grouping ("1234,56"), as French spreadsheets expect. */
export function frenchDecimal(value: number, fractionDigits?: number): string {
  const text = fractionDigits === undefined ? String(value) : value.toFixed(fractionDigits);
  return text.replace(".", ",");
}
