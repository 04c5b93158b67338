import clsx from "clsx";

const STYLES: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  pending: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
  expired: "bg-slate-200 text-slate-700",
  revoked: "bg-slate-200 text-slate-700",
  fulfilled: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  delivered: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  running: "bg-sky-100 text-sky-800",
  waiting_for_code: "bg-amber-100 text-amber-800",
  retrying: "bg-amber-100 text-amber-800",
};

/** A status as a coloured pill; `label` when the status value is not words. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span
      className={clsx(
        "inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap",
        label ? undefined : "capitalize",
        STYLES[status] ?? "bg-slate-100",
      )}
    >
      {label ?? status}
    </span>
  );
}
