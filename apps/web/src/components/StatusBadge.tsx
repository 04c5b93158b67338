import clsx from "clsx";

const STYLES: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  pending: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
  expired: "bg-slate-200 text-slate-700",
  revoked: "bg-slate-200 text-slate-700",
  fulfilled: "bg-sky-100 text-sky-800",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={clsx(
        "inline-block rounded-full px-2 py-0.5 text-xs font-medium capitalize",
        STYLES[status] ?? "bg-slate-100",
      )}
    >
      {status}
    </span>
  );
}
