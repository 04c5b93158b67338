// Step 1: contributor (a new account) or reconnect (an existing connection signs in again).
import { useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import { Link } from "react-router";
import { ChoiceGroup, FieldError } from "../../components/Form";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate } from "../../lib/format";
import { type TRouterOutputs, useTRPC } from "../../lib/trpc";
import type { TDraft, TUpdateDraft } from "./draft";

type TConnection = TRouterOutputs["admin"]["connections"]["list"][number];

export function FlowStep({
  draft,
  update,
  errors,
  connections,
}: {
  draft: TDraft;
  update: TUpdateDraft;
  errors: Record<string, string>;
  /** Undefined while loading. */
  connections: TConnection[] | undefined;
}) {
  // Reconnect lists connections in error first: those are the ones that need it.
  const sortedConnections = [...(connections ?? [])].sort(
    (a, b) => Number(b.status === "error") - Number(a.status === "error"),
  );
  return (
    <div className="space-y-4">
      <ChoiceGroup
        legend="Flow"
        name="kind"
        value={draft.kind}
        onChange={(v) => update("kind", v)}
        options={[
          {
            value: "contributor",
            title: "Contributor",
            text: "Someone connects a new utility account for your buildings.",
          },
          {
            value: "reconnect",
            title: "Reconnect",
            text: "The owner of an existing connection signs in again, e.g. after a password change.",
          },
        ]}
      />
      {draft.kind === "reconnect" ? (
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Connection to reconnect</legend>
          {!connections ? (
            <div className="h-16 animate-pulse rounded bg-slate-200" />
          ) : sortedConnections.length === 0 ? (
            <p className="text-slate-600">
              You have no connections yet. Send a contributor invitation first.
            </p>
          ) : (
            <div className="space-y-2">
              {sortedConnections.map((c) => (
                <label
                  key={c.id}
                  className={clsx(
                    "flex cursor-pointer items-start gap-3 rounded-md border p-3",
                    draft.targetConnectionId === c.id
                      ? "border-brand bg-brand/5"
                      : "border-slate-200",
                  )}
                >
                  <input
                    type="radio"
                    name="targetConnectionId"
                    className="mt-1"
                    checked={draft.targetConnectionId === c.id}
                    onChange={() => update("targetConnectionId", c.id)}
                  />
                  <span className="min-w-0 flex-1">
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{c.providerName}</span>
                      <StatusBadge status={c.status} />
                    </span>
                    <span className="block text-sm text-slate-600">
                      {c.ownerEmail ?? "No owner email"}
                      {c.sites.length ? ` · ${c.sites.map((s) => s.name).join(", ")}` : ""}
                    </span>
                    {c.statusReason ? (
                      <span className="block text-xs text-red-700">{c.statusReason}</span>
                    ) : null}
                  </span>
                </label>
              ))}
            </div>
          )}
          <FieldError message={errors.targetConnectionId} />
          {draft.targetConnectionId ? (
            <ActiveReconnectWarning connectionId={draft.targetConnectionId} />
          ) : null}
        </fieldset>
      ) : null}
    </div>
  );
}

/** A second working link for the same account confuses its owner: say so before sending. */
function ActiveReconnectWarning({ connectionId }: { connectionId: string }) {
  const trpc = useTRPC();
  const active = useQuery(trpc.admin.invitations.activeReconnects.queryOptions({ connectionId }));
  const latest = active.data?.[0];
  if (!latest) return null;
  const count = active.data?.length ?? 0;
  return (
    <div
      role="status"
      className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
    >
      <p className="font-medium">
        {count === 1
          ? "This connection already has an active reconnect invitation"
          : `This connection already has ${count} active reconnect invitations`}
      </p>
      <p className="mt-1">
        The latest was created on {formatDate(latest.createdAt)}
        {latest.expiresAt ? ` and works until ${formatDate(latest.expiresAt)}` : ""}. Sending
        another gives the owner two working links; you can{" "}
        <Link to={`/invitations/${latest.id}`} className="font-medium underline">
          resend or revoke that one
        </Link>{" "}
        instead.
      </p>
    </div>
  );
}
