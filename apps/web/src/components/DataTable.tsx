// The admin app's one table frame: a scrolling bordered box, a caption for screen
// readers, and a header row. Pages give their columns and rows; nothing else differs.
import clsx from "clsx";
import type { ReactNode } from "react";

/** A header cell: its text, or its text read only by screen readers (an actions column). */
export type TColumn = string | { label: string; srOnly?: boolean; align?: "right" };

export function DataTable({
  caption,
  columns,
  minWidth,
  className,
  testId,
  children,
}: {
  caption: string;
  columns: TColumn[];
  /** A Tailwind min-width class written out (so the build sees it), e.g. "min-w-[40rem]". */
  minWidth: string;
  /** Extra classes for the frame (e.g. dimmed while a new page loads). */
  className?: string;
  testId?: string;
  /** The table's rows. */
  children: ReactNode;
}) {
  return (
    <div
      className={clsx(
        "relative overflow-x-auto rounded-lg border border-slate-200 bg-white",
        className,
      )}
    >
      <table className={clsx("w-full text-left text-sm", minWidth)} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            {columns.map((column) => {
              const { label, srOnly, align } =
                typeof column === "string" ? { label: column } : column;
              return (
                <th
                  key={label}
                  scope="col"
                  className={clsx("px-4 py-2 font-medium", align === "right" && "text-right")}
                >
                  {srOnly ? <span className="sr-only">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
