import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import * as Tabs from "@radix-ui/react-tabs";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { DataTable } from "../components/DataTable";
import { buttonClass } from "../components/Dialog";
import { Input } from "../components/Form";
import { InvitationFunnel } from "../components/InvitationFunnel";
import { InvitationSheet } from "../components/InvitationSheet";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Pager } from "../components/Pager";
import { RevokeInvitationDialog } from "../components/RevokeInvitationDialog";
import { StatusBadge } from "../components/StatusBadge";
import { formatDate, formatUses } from "../lib/format";
import { recipientLabel, type TInvitationRow, useInvitationActions } from "../lib/invitations";
import { useListParams } from "../lib/list-params";
import { useTRPC } from "../lib/trpc";

const TABS = [
  { value: "active", label: "Active" },
  { value: "expired", label: "Expired" },
  { value: "revoked", label: "Revoked" },
  { value: "fulfilled", label: "Fulfilled" },
  { value: "all", label: "All" },
] as const;
type TTab = (typeof TABS)[number]["value"];

const PAGE_SIZE = 20;

function isTab(value: string | null): value is TTab {
  return TABS.some((tab) => tab.value === value);
}

export function InvitationsPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { id: openId } = useParams();
  const { params, search, page, searchText, setSearchText, setParam } = useListParams();
  const statusParam = params.get("status");
  const status: TTab = isTab(statusParam) ? statusParam : "active";

  const list = useQuery({
    ...trpc.admin.invitations.list.queryOptions({
      status,
      search: search || undefined,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const { copyLink, resend, revoke } = useInvitationActions();
  const [toRevoke, setToRevoke] = useState<TInvitationRow | null>(null);

  const keepQuery = params.toString() ? `?${params.toString()}` : "";
  const counts = list.data?.counts;

  return (
    <>
      <PageHeader
        title="Invitations"
        description="Send revocable, time-bound links that let a building manager connect their utility account."
        actions={
          <Link to="/invitations/new" className={buttonClass("primary")}>
            New invitation
          </Link>
        }
      />
      {counts && counts.all > 0 ? <InvitationFunnel /> : null}
      <Tabs.Root value={status} onValueChange={(value) => setParam("status", value)}>
        <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
          <Tabs.List
            aria-label="Filter by status"
            className="flex flex-wrap gap-1 rounded-lg bg-slate-200/60 p-1"
          >
            {TABS.map((tab) => (
              <Tabs.Trigger
                key={tab.value}
                value={tab.value}
                className="rounded-md px-3 py-1.5 text-sm text-slate-700 data-[state=active]:bg-white data-[state=active]:font-medium data-[state=active]:text-slate-900 data-[state=active]:shadow-sm"
              >
                {tab.label}
                <span className="ml-1.5 text-xs text-slate-500">
                  {counts ? counts[tab.value] : "·"}
                </span>
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <div className="w-full lg:w-72">
            <Input
              label="Search invitations"
              labelHidden
              type="search"
              value={searchText}
              onChange={setSearchText}
              placeholder="Search by name, email or note"
            />
          </div>
        </div>

        <Tabs.Content value={status} className="outline-none">
          {list.isPending ? (
            <div
              className="space-y-2"
              role="status"
              aria-busy="true"
              aria-label="Loading invitations"
            >
              {[0, 1, 2, 3].map((row) => (
                <div key={row} className="h-12 animate-pulse rounded-md bg-slate-200" />
              ))}
            </div>
          ) : list.error ? (
            <div role="alert" className="rounded-md bg-red-50 p-4 text-red-800">
              <p>{list.error.message}</p>
              <button type="button" className="mt-2 underline" onClick={() => list.refetch()}>
                Try again
              </button>
            </div>
          ) : list.data.items.length === 0 ? (
            search ? (
              <EmptyState title={`No invitations match “${search}”`}>
                Check the spelling, search another email, or{" "}
                <button
                  type="button"
                  className="text-brand underline"
                  onClick={() => setSearchText("")}
                >
                  clear the search
                </button>
                .
              </EmptyState>
            ) : list.data.counts.all === 0 ? (
              <EmptyState title="No invitations yet">
                <p>
                  Create one to let a building manager connect their utility account in a few
                  minutes.
                </p>
                <Link to="/invitations/new" className={clsx(buttonClass("primary"), "mt-4")}>
                  Create your first invitation
                </Link>
              </EmptyState>
            ) : (
              <EmptyState title={`No ${status} invitations`}>
                Pick another tab above, or{" "}
                <button
                  type="button"
                  className="text-brand underline"
                  onClick={() => setParam("status", "all")}
                >
                  show all invitations
                </button>
                .
              </EmptyState>
            )
          ) : (
            <>
              <DataTable
                caption="Invitations, newest first"
                minWidth="min-w-[44rem]"
                columns={[
                  "Recipient",
                  "Kind",
                  "Created",
                  "Expires",
                  "Uses",
                  "Status",
                  { label: "Actions", srOnly: true },
                ]}
                className={clsx(list.isPlaceholderData && "opacity-60")}
                testId="invitations-list"
              >
                {list.data.items.map((row) => {
                  const label = recipientLabel(row);
                  const active = row.status === "active";
                  return (
                    <tr key={row.id} className="border-b border-slate-100 last:border-0">
                      <td className="max-w-xs px-4 py-3">
                        <Link
                          to={`/invitations/${row.id}${keepQuery}`}
                          className="block truncate font-medium text-slate-900 hover:text-brand hover:underline"
                        >
                          {label}
                        </Link>
                        {row.name ? (
                          <p className="truncate text-xs text-slate-600">
                            {recipientLabel({ ...row, name: null })}
                          </p>
                        ) : null}
                        {row.message ? (
                          <p className="truncate text-xs text-slate-500">{row.message}</p>
                        ) : null}
                      </td>
                      <td className="px-4 py-3">
                        <span className="capitalize">{row.kind}</span>
                        {row.legacy ? (
                          // An imported magic link of the previous system (#20).
                          <span className="ml-2 inline-block rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
                            Legacy
                          </span>
                        ) : null}
                      </td>
                      <td className="px-4 py-3 whitespace-nowrap">{formatDate(row.createdAt)}</td>
                      <td className="px-4 py-3 whitespace-nowrap">
                        {row.expiresAt ? formatDate(row.expiresAt) : "Never"}
                      </td>
                      <td className="px-4 py-3">{formatUses(row.uses, row.maxUses)}</td>
                      <td className="px-4 py-3">
                        <StatusBadge status={row.status} />
                      </td>
                      <td className="px-4 py-3 text-right">
                        <DropdownMenu.Root>
                          <DropdownMenu.Trigger
                            aria-label={`Actions for ${label}`}
                            className="rounded-md border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50"
                          >
                            ⋯
                          </DropdownMenu.Trigger>
                          <DropdownMenu.Portal>
                            <DropdownMenu.Content
                              align="end"
                              sideOffset={4}
                              className="z-30 min-w-44 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg"
                            >
                              <MenuItem
                                onSelect={() => navigate(`/invitations/${row.id}${keepQuery}`)}
                              >
                                View details
                              </MenuItem>
                              <MenuItem onSelect={() => copyLink.mutate({ id: row.id })}>
                                Copy link
                              </MenuItem>
                              <MenuItem
                                disabled={!active || row.recipients.length === 0}
                                onSelect={() => resend.mutate({ id: row.id })}
                              >
                                Resend email
                              </MenuItem>
                              <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
                              <MenuItem disabled={!active} danger onSelect={() => setToRevoke(row)}>
                                Revoke…
                              </MenuItem>
                            </DropdownMenu.Content>
                          </DropdownMenu.Portal>
                        </DropdownMenu.Root>
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
              <Pager
                page={page}
                pageSize={PAGE_SIZE}
                total={list.data.total}
                onPage={(next) => setParam("page", String(next))}
              />
            </>
          )}
        </Tabs.Content>
      </Tabs.Root>

      <RevokeInvitationDialog
        open={toRevoke !== null}
        onOpenChange={(open) => (open ? undefined : setToRevoke(null))}
        description={
          <>
            The link for <strong>{toRevoke ? recipientLabel(toRevoke) : ""}</strong> stops working
            at once, and anyone signing in through it is stopped. This cannot be undone; you can
            create a new invitation later.
          </>
        }
        pending={revoke.isPending}
        onConfirm={(reason) => {
          if (toRevoke) revoke.mutate({ id: toRevoke.id, reason });
          setToRevoke(null);
        }}
      />

      {openId ? (
        <InvitationSheet id={openId} onClose={() => navigate(`/invitations${keepQuery}`)} />
      ) : null}
    </>
  );
}

function MenuItem({
  children,
  onSelect,
  disabled,
  danger,
}: {
  children: string;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  return (
    <DropdownMenu.Item
      disabled={disabled}
      onSelect={onSelect}
      className={clsx(
        "cursor-default rounded px-2 py-1.5 outline-none select-none data-[disabled]:text-slate-400 data-[highlighted]:bg-slate-100",
        danger && "text-red-700",
      )}
    >
      {children}
    </DropdownMenu.Item>
  );
}
