import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { buttonClass } from "../components/Dialog";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { StatusBadge } from "../components/StatusBadge";
import { reconnectInvitationPath } from "../lib/connections";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";

export function ConnectionsPage() {
  const trpc = useTRPC();
  const connections = useQuery(trpc.admin.connections.list.queryOptions());
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
      {connections.isPending ? (
        <Skeleton label="Loading connections" />
      ) : connections.error ? (
        <p role="alert" className="text-red-700">
          {connections.error.message}
        </p>
      ) : connections.data.length === 0 ? (
        <EmptyState title="No connections yet">
          <p>Send an invitation to collect your first utility account.</p>
          <Link to="/invitations/new" className={`${buttonClass("primary")} mt-4`}>
            Invite a contributor
          </Link>
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <caption className="sr-only">Connections</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Provider
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Sites
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Owner
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last collection
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {connections.data.map((row) => (
                <tr key={row.id} className="border-b border-slate-100 last:border-0">
                  <td className="px-4 py-3">
                    <p id={`provider-${row.id}`} className="font-medium">
                      <Link
                        to={`/connections/${row.id}`}
                        className="text-brand underline-offset-2 hover:underline"
                      >
                        {row.providerName}
                      </Link>
                    </p>
                    <p className="text-slate-500">{row.utilityTypes.join(", ")}</p>
                  </td>
                  <td className="px-4 py-3">{row.sites.map((s) => s.name).join(", ") || "—"}</td>
                  <td className="px-4 py-3">{row.ownerEmail ?? "—"}</td>
                  <td className="px-4 py-3">
                    <StatusBadge status={row.status} />
                    {row.statusReason ? (
                      <p className="mt-1 max-w-xs text-xs text-slate-600">{row.statusReason}</p>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">
                    {row.lastCollectedAt ? formatDateTime(row.lastCollectedAt) : "Not yet"}
                  </td>
                  <td className="px-4 py-3 text-right">
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
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
