import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { embedSnippet, formatDateTime, formatUses, UTILITY_LABELS } from "../lib/format";
import { EVENT_LABELS, recipientLabel, useInvitationActions } from "../lib/invitations";
import { useTRPC } from "../lib/trpc";
import { buttonClass, Sheet } from "./Dialog";
import { RevokeInvitationDialog } from "./RevokeInvitationDialog";
import { StatusBadge } from "./StatusBadge";

/** One invitation: its configuration, activity timeline, emails and linked connections. */
export function InvitationSheet({ id, onClose }: { id: string; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.admin.invitations.get.queryOptions({ id }));
  const sites = useQuery(trpc.admin.sites.list.queryOptions());
  const embedding = useQuery(trpc.admin.settings.embedding.get.queryOptions());
  const { copyLink, resend, revoke } = useInvitationActions();
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const data = detail.data;
  const active = data?.status === "active";

  return (
    <Sheet
      open
      wide
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={data ? recipientLabel(data) : "Invitation"}
      description={
        data ? `${data.kind === "reconnect" ? "Reconnect" : "Contributor"} invitation` : undefined
      }
      footer={
        data ? (
          <>
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={() => copyLink.mutate({ id })}
            >
              Copy link
            </button>
            <button
              type="button"
              className={buttonClass("secondary")}
              disabled={!active || data.recipients.length === 0 || resend.isPending}
              onClick={() => resend.mutate({ id })}
            >
              {resend.isPending ? "Sending…" : "Resend email"}
            </button>
            <button
              type="button"
              className={buttonClass("danger")}
              disabled={!active}
              onClick={() => setConfirmRevoke(true)}
            >
              Revoke…
            </button>
          </>
        ) : null
      }
    >
      {detail.isPending ? (
        <div className="space-y-3" role="status" aria-busy="true" aria-label="Loading invitation">
          {[0, 1, 2, 3].map((row) => (
            <div key={row} className="h-10 animate-pulse rounded bg-slate-200" />
          ))}
        </div>
      ) : detail.error ? (
        <p role="alert" className="text-red-700">
          {detail.error.message}
        </p>
      ) : data ? (
        <div className="space-y-6 text-sm">
          <section aria-labelledby="inv-config">
            <div className="flex items-center justify-between">
              <h3 id="inv-config" className="font-semibold">
                Configuration
              </h3>
              <StatusBadge status={data.status} />
            </div>
            <dl className="mt-2 grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1.5">
              <dt className="text-slate-500">Link</dt>
              <dd className="min-w-0">
                <code className="block truncate rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                  {data.url}
                </code>
              </dd>
              <dt className="text-slate-500">Created</dt>
              <dd>{formatDateTime(data.createdAt)}</dd>
              <dt className="text-slate-500">Expires</dt>
              <dd>{data.expiresAt ? formatDateTime(data.expiresAt) : "Never"}</dd>
              <dt className="text-slate-500">Uses</dt>
              <dd>{formatUses(data.uses, data.maxUses)}</dd>
              <dt className="text-slate-500">Delivery</dt>
              <dd>
                {data.delivery === "email"
                  ? `Email to ${data.recipients.join(", ")}`
                  : "Shared manually"}
              </dd>
              <dt className="text-slate-500">Allowed emails</dt>
              <dd>
                {data.allowedEmails.length ? data.allowedEmails.join(", ") : "Anyone with the link"}
              </dd>
              {data.kind === "contributor" ? (
                <>
                  <dt className="text-slate-500">Provider</dt>
                  <dd className="break-all">
                    {data.prefill.providerUrl ?? data.prefill.providerId ?? "Recipient chooses"}
                  </dd>
                  <dt className="text-slate-500">Country</dt>
                  <dd>{data.prefill.country ?? "—"}</dd>
                  <dt className="text-slate-500">Sites</dt>
                  <dd>
                    {data.prefill.siteIds?.length
                      ? (data.prefill.siteIds ?? [])
                          .map(
                            (siteId) =>
                              sites.data?.find((s) => s.id === siteId)?.name ?? "Unknown site",
                          )
                          .join(", ")
                      : "—"}
                  </dd>
                  <dt className="text-slate-500">Utility types</dt>
                  <dd>
                    {data.prefill.utilityTypes?.length
                      ? (data.prefill.utilityTypes ?? [])
                          .map((type) => UTILITY_LABELS[type] ?? type)
                          .join(", ")
                      : "—"}
                  </dd>
                  <dt className="text-slate-500">Owner email</dt>
                  <dd>{data.prefill.ownerEmail ?? "—"}</dd>
                  <dt className="text-slate-500">Collect from</dt>
                  <dd>{data.prefill.collectionStartDate ?? "—"}</dd>
                </>
              ) : null}
              {data.message ? (
                <>
                  <dt className="text-slate-500">Message</dt>
                  <dd>{data.message}</dd>
                </>
              ) : null}
              {data.revokedAt ? (
                <>
                  <dt className="text-slate-500">Revoked</dt>
                  <dd>{formatDateTime(data.revokedAt)}</dd>
                </>
              ) : null}
            </dl>
            <details className="mt-3">
              <summary className="cursor-pointer text-brand">Embed snippet</summary>
              <code className="mt-2 block rounded bg-slate-100 p-2 text-xs break-all">
                {embedSnippet(data.url, embedding.data?.allowedOrigins)}
              </code>
            </details>
          </section>

          <section aria-labelledby="inv-activity">
            <h3 id="inv-activity" className="font-semibold">
              Activity
            </h3>
            <ol aria-label="Activity" className="mt-3 border-l-2 border-slate-200">
              {data.events.map((event) => (
                <li key={event.id} className="relative mb-3 pl-4 last:mb-0">
                  <span
                    aria-hidden="true"
                    className="absolute top-1.5 -left-[5px] h-2 w-2 rounded-full bg-brand"
                  />
                  <p className="font-medium">{EVENT_LABELS[event.type] ?? event.type}</p>
                  <p className="text-xs text-slate-500">
                    <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                    {" · "}
                    {event.actorType === "admin"
                      ? `by ${event.actorName ?? "an admin"}`
                      : event.actorType === "recipient"
                        ? "by the recipient"
                        : event.actorType === "api"
                          ? "via the API"
                          : "by Meterlink"}
                    {typeof event.data.to === "string" ? ` · to ${event.data.to}` : ""}
                  </p>
                  {typeof event.data.reason === "string" ? (
                    <p className="text-sm text-slate-700">Reason: {event.data.reason}</p>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>

          {data.emails.length ? (
            <section aria-labelledby="inv-emails">
              <h3 id="inv-emails" className="font-semibold">
                Emails
              </h3>
              <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
                {data.emails.map((email) => (
                  <li
                    key={email.id}
                    className="flex flex-wrap items-center justify-between gap-2 px-3 py-2"
                  >
                    <span className="min-w-0 truncate">{email.to}</span>
                    <span className="text-xs text-slate-500">
                      {email.status}
                      {email.sentAt
                        ? ` · ${formatDateTime(email.sentAt)}`
                        : ` · ${formatDateTime(email.createdAt)}`}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section aria-labelledby="inv-connections">
            <h3 id="inv-connections" className="font-semibold">
              Linked connections
            </h3>
            {data.connections.length ? (
              <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
                {data.connections.map((linked) => (
                  <li
                    key={linked.id}
                    className="flex flex-wrap items-center justify-between gap-2 px-3 py-2"
                  >
                    <span>
                      <Link
                        to={`/connections/${linked.id}`}
                        className="font-medium text-brand underline-offset-2 hover:underline"
                      >
                        {linked.providerName}
                      </Link>
                      <span className="text-slate-500"> · {linked.action}</span>
                    </span>
                    <StatusBadge status={linked.status} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-slate-600">
                None yet. A connection appears here when the recipient finishes.{" "}
                <Link to="/connections" className="text-brand underline">
                  See all connections
                </Link>
              </p>
            )}
          </section>
        </div>
      ) : null}
      <RevokeInvitationDialog
        open={confirmRevoke}
        onOpenChange={setConfirmRevoke}
        description="The link stops working at once, and anyone signing in through it is stopped. This cannot be undone."
        pending={revoke.isPending}
        onConfirm={(reason) => {
          revoke.mutate({ id, reason });
          setConfirmRevoke(false);
        }}
      />
    </Sheet>
  );
}
