const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : "—";
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : "—";
}

export function formatUses(uses: number, maxUses: number | null): string {
  return `${uses}/${maxUses ?? "∞"}`;
}

export const UTILITY_LABELS: Record<string, string> = {
  electricity: "Electricity",
  gas: "Gas",
  water: "Water",
  district_heating: "District heating",
};

/** Copies text; falls back to a hidden textarea where the async clipboard is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/**
 * The iframe to paste into the company's site. `origin` tells the page where its
 * host-page events may go (docs/embedding.md): the first allowed origin, or a
 * placeholder for the admin to replace when none is set up yet.
 */
export function embedSnippet(link: string, allowedOrigins: readonly string[] = []): string {
  const src = new URL(link);
  src.searchParams.set("embed", "1");
  src.searchParams.set("origin", allowedOrigins[0] ?? "https://YOUR-SITE.example");
  return `<iframe src="${src.toString()}" title="Connect your utility account" width="100%" height="720" style="border:0" allow="clipboard-write"></iframe>`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A decimal string from the database ("1234.500") as a person reads it ("1,234.5"). */
export function formatDecimal(value: string | null | undefined): string {
  if (value == null) return "—";
  const number = Number(value);
  return Number.isFinite(number)
    ? new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 }).format(number)
    : value;
}

export function formatMoney(amount: string | null, currency: string | null): string {
  if (amount == null) return "—";
  const number = Number(amount);
  if (!Number.isFinite(number)) return amount;
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(number);
  }
  // An unknown or missing currency code: the number alone, then whatever the bill said.
  return `${new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 }).format(number)}${currency ? ` ${currency}` : ""}`;
}

/** A calendar date (YYYY-MM-DD, no time zone) shown without shifting it a day. */
export function formatCalendarDate(day: string | null | undefined): string {
  if (!day) return "—";
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
