// One connection: its status and why, where MFA codes are to be forwarded, every
// collection run (newest first) and the bills collected. A connection in error offers
// the reconnect invitation, in the same prefilled wizard as the connections list.
import { ZConnectionGet } from "@meterlink/shared/connection";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { CopyField } from "../components/CopyField";
import { DataTable } from "../components/DataTable";
import { buttonClass } from "../components/Dialog";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import {
  RUN_STATUS_LABELS,
  RUN_TRIGGER_LABELS,
  reconnectInvitationPath,
  statusExplanation,
  type TBill,
  type TCollectionRun,
  type TConnectionDetail,
} from "../lib/connections";
import {
  formatBytes,
  formatCalendarDate,
  formatDateTime,
  formatDecimal,
  formatMoney,
  UTILITY_LABELS,
} from "../lib/format";
import { errorMessage, useTRPC } from "../lib/trpc";

export function ConnectionDetailPage() {
  const { id = "" } = useParams();
  const trpc = useTRPC();
  // A mistyped address is answered here, not with the API's validation message.
  const validId = ZConnectionGet.safeParse({ id }).success;
  const detail = useQuery({
    ...trpc.admin.connections.get.queryOptions({ id }),
    enabled: validId,
  });

  const back = (
    <Link
      to="/connections"
      className="mb-3 inline-block text-sm text-brand underline-offset-2 hover:underline"
    >
      ← All connections
    </Link>
  );

  if (!validId) {
    return (
      <>
        {back}
        <EmptyState title="This connection was not found">
          Check the address, or pick the connection from the list.
        </EmptyState>
      </>
    );
  }
  if (detail.isPending) {
    return (
      <>
        {back}
        <div role="status" aria-busy="true" aria-label="Loading connection" className="space-y-4">
          <div className="h-8 w-64 max-w-full animate-pulse rounded bg-slate-200" />
          <div className="grid gap-4 lg:grid-cols-2">
            <div className="h-48 animate-pulse rounded-xl bg-slate-200" />
            <div className="h-48 animate-pulse rounded-xl bg-slate-200" />
          </div>
          <div className="h-40 animate-pulse rounded-xl bg-slate-200" />
        </div>
      </>
    );
  }
  if (detail.error) {
    return (
      <>
        {back}
        <EmptyState title="We could not show this connection">
          <p role="alert">{errorMessage(detail.error)}</p>
          <button
            type="button"
            className={`${buttonClass("secondary")} mt-4`}
            onClick={() => void detail.refetch()}
          >
            Try again
          </button>
        </EmptyState>
      </>
    );
  }
  const data = detail.data;
  return (
    <>
      {back}
      <PageHeader
        title={data.providerName}
        description={
          data.utilityTypes.map((type) => UTILITY_LABELS[type] ?? type).join(", ") || undefined
        }
        actions={
          data.reconnect.suggested ? (
            <Link
              to={reconnectInvitationPath(data.id, data.reconnect.defaultExpiryDays)}
              className={buttonClass("primary")}
            >
              Send reconnect invitation
            </Link>
          ) : null
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Overview data={data} />
        <Forwarding forwarding={data.forwarding} />
      </div>
      <Runs runs={data.runs} />
      <Bills bills={data.bills} />
    </>
  );
}

function Panel({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      <div className="mt-3 text-sm">{children}</div>
    </section>
  );
}

function Overview({ data }: { data: TConnectionDetail }) {
  return (
    <Panel id="connection-overview" title="Status">
      <div
        className={
          data.status === "error"
            ? "rounded-md border border-red-200 bg-red-50 p-3"
            : "rounded-md bg-slate-50 p-3"
        }
      >
        <StatusBadge status={data.status} />
        <p className="mt-1.5">{statusExplanation(data.status, data.statusReason)}</p>
        <p className="mt-1.5 text-sm text-slate-600">{data.collection.text}</p>
      </div>
      {data.sameAccountAs.length > 0 ? (
        <p
          role="status"
          className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
        >
          Duplicate: this utility account is also connected as{" "}
          {data.sameAccountAs.map((id, index) => (
            <span key={id}>
              {index > 0 ? ", " : null}
              <Link to={`/connections/${id}`} className="underline">
                another connection
              </Link>
            </span>
          ))}
          . Its bills would be collected twice; remove one of them.
        </p>
      ) : null}
      <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1.5">
        <dt className="text-slate-500">Provider</dt>
        <dd className="min-w-0 break-words">
          {data.providerName}
          {data.unlistedDomain ? ` (unlisted: ${data.unlistedDomain}, not in the catalog)` : null}
        </dd>
        <dt className="text-slate-500">Account number</dt>
        <dd className="min-w-0 break-words" title="As printed on the newest bill that shows it">
          {data.accountNumber ?? "Not read from a bill yet"}
        </dd>
        <dt className="text-slate-500">Sites</dt>
        <dd className="min-w-0">{data.sites.map((site) => site.name).join(", ") || "—"}</dd>
        <dt className="text-slate-500">Owner</dt>
        <dd className="min-w-0 break-all">{data.ownerEmail ?? "—"}</dd>
        <dt className="text-slate-500">Last collection</dt>
        <dd>{data.lastCollectedAt ? formatDateTime(data.lastCollectedAt) : "Not yet"}</dd>
        <dt className="text-slate-500">Collect from</dt>
        <dd>{formatCalendarDate(data.collectionStartDate)}</dd>
        <dt className="text-slate-500">Connected</dt>
        <dd>{formatDateTime(data.createdAt)}</dd>
      </dl>
    </Panel>
  );
}

function Forwarding({ forwarding }: { forwarding: TConnectionDetail["forwarding"] }) {
  return (
    <Panel id="connection-forwarding" title="One-time codes (MFA)">
      <p className="text-slate-600">
        If the utility sends a code when we sign in, we read it from this address and use it once.
        Ask the account owner to forward the utility's code emails here automatically (a mail rule
        from the utility's sender), so collection runs without them.
      </p>
      <div className="mt-3 space-y-3">
        <CopyField label="Forwarding address" value={forwarding.email} />
        {forwarding.sms ? (
          <CopyField
            label="SMS number"
            value={forwarding.sms}
            hint="For codes sent by text message: forward them to this number."
          />
        ) : null}
      </div>
      {forwarding.notice ? (
        <p
          role="status"
          className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
        >
          {forwarding.notice}
        </p>
      ) : null}
      {forwarding.messages.length > 0 ? (
        <div className="mt-3">
          <h3 className="text-sm font-semibold text-slate-700">Forwarded messages</h3>
          <ul className="mt-1 space-y-1 text-sm text-slate-700">
            {forwarding.messages.map((message) => (
              <li key={message.id}>
                <span className="text-slate-500">{formatDateTime(message.receivedAt)}</span> ·{" "}
                {message.channel === "sms" ? "Text" : "Email"} · {message.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="mt-3 text-xs text-slate-500">
        Codes are stored encrypted, expire after 10 minutes and are used once.
      </p>
    </Panel>
  );
}

function runDuration(run: TCollectionRun): string | null {
  if (!run.endedAt) return null;
  const seconds = Math.max(
    0,
    Math.round((new Date(run.endedAt).getTime() - new Date(run.startedAt).getTime()) / 1000),
  );
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

function Runs({ runs }: { runs: TCollectionRun[] }) {
  return (
    <section aria-labelledby="connection-runs" className="mt-6">
      <h2 id="connection-runs" className="text-lg font-semibold">
        Collection runs
      </h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          No collection yet. The first one starts when the connection is created.
        </p>
      ) : (
        <ol
          aria-label="Collection runs"
          className="mt-3 border-l-2 border-slate-200 rounded-none text-sm"
        >
          {runs.map((run) => {
            const duration = runDuration(run);
            return (
              <li key={run.id} className="relative mb-4 pl-4 last:mb-0">
                <span
                  aria-hidden="true"
                  className={
                    run.status === "failed"
                      ? "absolute top-1.5 -left-[5px] h-2 w-2 rounded-full bg-red-500"
                      : run.status === "succeeded"
                        ? "absolute top-1.5 -left-[5px] h-2 w-2 rounded-full bg-emerald-500"
                        : "absolute top-1.5 -left-[5px] h-2 w-2 rounded-full bg-amber-500"
                  }
                />
                <div className="flex flex-wrap items-center gap-2">
                  <StatusBadge status={run.status} label={RUN_STATUS_LABELS[run.status]} />
                  <span className="font-medium">{RUN_TRIGGER_LABELS[run.trigger]}</span>
                  {run.attempt > 1 ? (
                    <span className="text-slate-500">attempt {run.attempt}</span>
                  ) : null}
                </div>
                <p className="mt-1 text-slate-600">
                  Started <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
                  {run.endedAt ? (
                    <>
                      {" · ended "}
                      <time dateTime={run.endedAt}>{formatDateTime(run.endedAt)}</time>
                      {duration ? ` (${duration})` : ""}
                    </>
                  ) : (
                    " · in progress"
                  )}
                </p>
                <p className="text-slate-600">
                  {run.billsFound} bill{run.billsFound === 1 ? "" : "s"} found
                  {run.billsNew ? `, ${run.billsNew} new` : ""}
                </p>
                {run.message ? <p className="mt-1 max-w-2xl">{run.message}</p> : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Bills({ bills }: { bills: TBill[] }) {
  return (
    <section aria-labelledby="connection-bills" className="mt-6">
      <h2 id="connection-bills" className="text-lg font-semibold">
        Bills
      </h2>
      {bills.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          No bills yet. They appear here after a successful collection.
        </p>
      ) : (
        <DataTable
          caption="Bills"
          minWidth="min-w-[40rem]"
          columns={["Period", "Usage", { label: "Amount", align: "right" }, "Issued", "Documents"]}
          className="mt-3"
        >
          {bills.map((bill) => (
            <tr key={bill.id} className="border-b border-slate-100 last:border-0">
              <td className="px-4 py-3">
                <span className="whitespace-nowrap">
                  {formatCalendarDate(bill.periodStart)} – {formatCalendarDate(bill.periodEnd)}
                </span>
                <span className="block text-xs text-slate-500">
                  {bill.utilityType ? (UTILITY_LABELS[bill.utilityType] ?? bill.utilityType) : null}
                  {bill.utilityType ? " · " : ""}#{bill.externalId}
                </span>
              </td>
              <td className="px-4 py-3 whitespace-nowrap">
                {bill.usage == null
                  ? "—"
                  : `${formatDecimal(bill.usage)}${bill.unit ? ` ${bill.unit}` : ""}`}
              </td>
              <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
                {formatMoney(bill.amount, bill.currency)}
              </td>
              <td className="px-4 py-3 whitespace-nowrap">
                {formatCalendarDate(bill.issuedOn)}
                {bill.dueOn ? (
                  <span className="block text-xs text-slate-500">
                    due {formatCalendarDate(bill.dueOn)}
                  </span>
                ) : null}
              </td>
              <td className="px-4 py-3">
                {bill.files.length === 0 ? (
                  "None"
                ) : (
                  <ul className="flex flex-wrap gap-x-3">
                    {bill.files.map((file) => (
                      <li key={file.kind}>
                        {/* A signed link valid for minutes; the page refetches on focus. */}
                        <a
                          href={file.url}
                          download
                          className="font-medium text-brand underline underline-offset-2"
                        >
                          Download {file.kind.toUpperCase()}
                        </a>
                        <span className="text-xs text-slate-500"> · {formatBytes(file.bytes)}</span>
                      </li>
                    ))}
                  </ul>
                )}
                {bill.needsReview ? (
                  <span className="mt-1 block text-xs font-medium text-amber-700">
                    Needs review: nothing could be read from this document
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
