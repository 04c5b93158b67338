// Data Input › Invitations overview: of the invitations sent in a period, how far their
// recipients got, per step and per utility, where most of them stop, and how long each
// step takes (medians). Counts come from the events the flow records (admin.invitations.funnel).
import { useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import { useId, useState } from "react";
import { type TRouterOutputs, useTRPC } from "../lib/trpc";

type TFunnel = TRouterOutputs["admin"]["invitations"]["funnel"];
type TGroup = TFunnel["overall"];
type TStep = keyof TGroup["counts"];

const STEPS: { step: TStep; label: string }[] = [
  { step: "sent", label: "Sent" },
  { step: "opened", label: "Opened" },
  { step: "verified", label: "Email confirmed" },
  { step: "started", label: "Started sign-in" },
  { step: "signedIn", label: "Signed in" },
  { step: "completed", label: "Completed" },
];

const PERIODS = [
  { days: 7, label: "Last 7 days" },
  { days: 30, label: "Last 30 days" },
  { days: 90, label: "Last 90 days" },
] as const;

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`;

export function InvitationFunnel() {
  const trpc = useTRPC();
  const [days, setDays] = useState<number>(30);
  const headingId = useId();
  const periodId = useId();
  const funnel = useQuery(trpc.admin.invitations.funnel.queryOptions({ days }));

  const overall = funnel.data?.overall.counts;
  const period = PERIODS.find((entry) => entry.days === days)?.label ?? "";
  return (
    // Folded by default: one line of totals above the list; the tables on demand.
    <details
      className="group mb-6 rounded-lg border border-slate-200 bg-white"
      data-testid="invitation-funnel"
    >
      <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-1 rounded-lg px-4 py-3 hover:bg-slate-50">
        <h2 id={headingId} className="text-base font-semibold text-slate-900">
          Overview
        </h2>
        <span className="text-sm text-slate-600">
          {overall
            ? `${period}: ${overall.sent} sent · ${overall.opened} opened · ${overall.completed} completed`
            : "Loading…"}
        </span>
        <span className="ml-auto text-sm text-brand group-open:hidden">Show funnel</span>
        <span className="ml-auto hidden text-sm text-brand group-open:inline">Hide</span>
      </summary>
      <section aria-labelledby={headingId} className="border-t border-slate-200 p-4">
        <label htmlFor={periodId} className="mb-3 flex items-center gap-2 text-sm text-slate-700">
          Invitations sent
          <select
            id={periodId}
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
          >
            {PERIODS.map((entry) => (
              <option key={entry.days} value={entry.days}>
                {entry.label}
              </option>
            ))}
          </select>
        </label>
        {funnel.isPending ? (
          <div
            role="status"
            aria-label="Loading the overview"
            className="h-40 animate-pulse rounded bg-slate-100"
          />
        ) : funnel.error ? (
          <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {funnel.error.message}{" "}
            <button type="button" className="underline" onClick={() => funnel.refetch()}>
              Try again
            </button>
          </div>
        ) : funnel.data.overall.counts.sent === 0 ? (
          <p className="text-sm text-slate-600">No invitations were sent in this period.</p>
        ) : (
          <>
            <StepTable group={funnel.data.overall} />
            {funnel.data.byProvider.length ? (
              <ProviderTable groups={funnel.data.byProvider} />
            ) : null}
          </>
        )}
      </section>
    </details>
  );
}

function StepTable({ group }: { group: TGroup }) {
  const { counts, medianSeconds, biggestDrop } = group;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="Steps">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">
              Step
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Invitations
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Of sent
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Stopped before
            </th>
            <th scope="col" className="py-2 font-medium">
              Median time
            </th>
          </tr>
        </thead>
        <tbody>
          {STEPS.map(({ step, label }, index) => {
            const previous = index > 0 ? STEPS[index - 1]?.step : undefined;
            const stopped = previous ? counts[previous] - counts[step] : null;
            const worst = step === biggestDrop;
            return (
              <tr
                key={step}
                className={clsx("border-b border-slate-100 last:border-0", worst && "bg-amber-50")}
              >
                <th scope="row" className="py-2 pr-4 font-medium text-slate-900">
                  {label}
                  {worst ? (
                    <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
                      Most recipients stop here
                    </span>
                  ) : null}
                </th>
                <td className="py-2 pr-4 tabular-nums">{counts[step]}</td>
                <td className="py-2 pr-4 tabular-nums">{percent(counts[step], counts.sent)}</td>
                <td className="py-2 pr-4 tabular-nums">{stopped ?? "—"}</td>
                <td className="py-2 tabular-nums">
                  {step === "sent" ? "—" : formatDuration(medianSeconds[step])}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ProviderTable({ groups }: { groups: TFunnel["byProvider"] }) {
  return (
    <div className="mt-4 overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="By utility">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">
              Utility
            </th>
            {STEPS.map(({ step, label }) => (
              <th key={step} scope="col" className="py-2 pr-4 font-medium">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr
              key={`${group.providerId ?? ""}:${group.providerName ?? ""}`}
              className="border-b border-slate-100 last:border-0"
            >
              <th scope="row" className="py-2 pr-4 font-medium text-slate-900">
                {group.providerName ?? "Not chosen yet"}
              </th>
              {STEPS.map(({ step }) => (
                <td
                  key={step}
                  className={clsx(
                    "py-2 pr-4 tabular-nums",
                    step === group.biggestDrop && "font-semibold text-amber-900",
                  )}
                >
                  {group.counts[step]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
