import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { DataTable } from "../components/DataTable";
import { buttonClass } from "../components/Dialog";
import { Input } from "../components/Form";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Pager } from "../components/Pager";
import { Skeleton } from "../components/Skeleton";
import { StatusBadge } from "../components/StatusBadge";
import { reconnectInvitationPath } from "../lib/connections";
import { formatDateTime } from "../lib/format";
import { useListParams } from "../lib/list-params";
import { useTRPC } from "../lib/trpc";

const PAGE_SIZE = 25;
const STATUSES = [
  { value: "", label: "All statuses" },
  { value: "active", label: "Active" },
  { value: "pending", label: "Pending" },
  { value: "error", label: "Needs attention" },
] as const;
type TStatus = "pending" | "active" | "error";

function isStatus(value: string | null): value is TStatus {
  return value === "pending" || value === "active" || value === "error";
}

export function ConnectionsPage() {
  const trpc = useTRPC();
  const { params, search, page, searchText, setSearchText, setParam } = useListParams();
  const statusParam = params.get("status");
  const status = isStatus(statusParam) ? statusParam : undefined;
  const statusId = useId();
  const connections = useQuery({
    ...trpc.admin.connections.page.queryOptions({
      status,
      search: search || undefined,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(status || search);
  return (
    <>
      <PageHeader
        title="Connections"
        description="Utility accounts your company collects bills from. Invite a building manager to connect a new one."
        actions={
          <div className="flex flex-wrap gap-2">
            <Link to="/invitations" className={buttonClass("secondary")}>
              Contributor invitations
            </Link>
            <Link to="/invitations/new" className={buttonClass("primary")}>
              Invite a contributor
            </Link>
          </div>
        }
      />
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="w-full sm:w-72">
          <Input
            label="Search"
            type="search"
            value={searchText}
            onChange={setSearchText}
            placeholder="Provider, owner email or reference"
          />
        </div>
        <div>
          <label htmlFor={statusId} className="mb-1 block text-sm font-medium text-slate-700">
            Status
          </label>
          <select
            id={statusId}
            value={status ?? ""}
            onChange={(event) => setParam("status", event.target.value || null)}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            {STATUSES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {connections.isPending ? (
        <Skeleton label="Loading connections" />
      ) : connections.error ? (
        <p role="alert" className="text-red-700">
          {connections.error.message}
        </p>
      ) : connections.data.total === 0 && filtered ? (
        <EmptyState title="No connections match">
          <p>Try another search or status.</p>
        </EmptyState>
      ) : connections.data.total === 0 ? (
        <EmptyState title="No connections yet">
          <p>Send an invitation to collect your first utility account.</p>
          <Link to="/invitations/new" className={`${buttonClass("primary")} mt-4`}>
            Invite a contributor
          </Link>
        </EmptyState>
      ) : (
        <>
          <DataTable
            caption="Connections"
            minWidth="min-w-[44rem]"
            columns={[
              "Provider",
              "Sites",
              "Owner",
              "Status",
              "Last collection",
              { label: "Actions", srOnly: true },
            ]}
          >
            {connections.data.items.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-2">
                  <Link
                    id={`provider-${row.id}`}
                    to={`/connections/${row.id}`}
                    className="font-medium text-brand underline-offset-2 hover:underline"
                  >
                    {row.providerName}
                  </Link>
                  <span className="ml-2 text-slate-500">{row.utilityTypes.join(", ")}</span>
                  {row.unlistedDomain ? (
                    <span
                      className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700"
                      title={`Unlisted utility: ${row.unlistedDomain} is not in the catalog yet`}
                    >
                      Unlisted
                    </span>
                  ) : null}
                  {row.sameAccountAs.length > 0 ? (
                    <span
                      className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900"
                      title="The same utility account is connected more than once"
                    >
                      Duplicate
                    </span>
                  ) : null}
                  {/* On a phone the Status column starts off-screen: the row says it here
                      too (hidden from screen readers, which read the column). */}
                  <div className="mt-1 sm:hidden" aria-hidden="true">
                    <StatusBadge status={row.status} />
                  </div>
                </td>
                <td className="px-4 py-2">{row.sites.map((s) => s.name).join(", ") || "—"}</td>
                <td className="px-4 py-2">{row.ownerEmail ?? "—"}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={row.status} />
                  {row.statusReason ? (
                    // One line per row; the whole reason is on the detail page and on hover.
                    <p
                      className="mt-0.5 max-w-xs truncate text-xs text-slate-600"
                      title={row.statusReason}
                    >
                      {row.statusReason}
                    </p>
                  ) : null}
                </td>
                <td className="px-4 py-2">
                  {row.lastCollectedAt ? formatDateTime(row.lastCollectedAt) : "Not yet"}
                </td>
                <td className="px-4 py-2 text-right">
                  {row.status === "error" ? (
                    <Link
                      to={reconnectInvitationPath(row.id)}
                      // Described (not named) by the provider, so each row's link is
                      // distinguishable without repeating the provider in the cell's name.
                      aria-describedby={`provider-${row.id}`}
                      className={`${buttonClass("secondary")} whitespace-nowrap`}
                    >
                      Send reconnect invitation
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager
            // The page shown, not the one asked for: it stays put while the next one loads.
            page={connections.data.page}
            pageSize={PAGE_SIZE}
            total={connections.data.total}
            onPage={(next) => setParam("page", String(next))}
          />
        </>
      )}
    </>
  );
}
