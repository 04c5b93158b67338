import clsx from "clsx";

// Placeholders never reorder; fixed keys keep the linter's index-key rule honest.
const ROW_KEYS = ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"];

/** Grey blocks where content is loading, announced once as busy to screen readers. */
export function Skeleton({
  label,
  rows = 3,
  rowClassName = "h-14",
}: {
  label: string;
  rows?: number;
  rowClassName?: string;
}) {
  return (
    <div className="space-y-2" role="status" aria-busy="true" aria-label={label}>
      {ROW_KEYS.slice(0, rows).map((key) => (
        <div key={key} className={clsx("animate-pulse rounded-md bg-slate-200", rowClassName)} />
      ))}
    </div>
  );
}
