// Developers › Test emails: test mode (ml_test_ keys) sends no email, so what a recipient
// would have received is read here. The list carries no link; opening one composes it
// with the real template and shows it in a sandboxed iframe (no scripts, no access to
// this page), whose links open in a new tab so the integrator walks the recipient flow.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "../components/DataTable";
import { buttonClass, Sheet } from "../components/Dialog";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { StatusBadge } from "../components/StatusBadge";
import { formatDateTime } from "../lib/format";
import { errorMessage, type TRouterOutputs, useTRPC } from "../lib/trpc";

type TTestEmailRow = TRouterOutputs["admin"]["testEmails"]["list"][number];

const KIND_LABELS: Record<string, string> = {
  invitation: "Invitation",
  verification: "Email verification",
  reconnect: "Reconnect",
  new_link_request: "New link request",
  team_invitation: "Team invitation",
  password_reset: "Password reset",
};

/** Links in the email open in a new tab: inside the sandbox the recipient page could not run. */
function withLinksInNewTab(html: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}${base}`)
    : `${base}${html}`;
}

export function TestEmailsPage() {
  const trpc = useTRPC();
  const emails = useQuery(trpc.admin.testEmails.list.queryOptions());
  const [opened, setOpened] = useState<TTestEmailRow | null>(null);

  return (
    <>
      <PageHeader
        title="Test emails"
        description="Emails of your test environment (ml_test_ API keys). They are never sent: read them here and open their links to try the recipient flow."
      />
      {emails.isPending ? (
        <Skeleton label="Loading test emails" />
      ) : emails.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(emails.error)}
        </p>
      ) : emails.data.length === 0 ? (
        <EmptyState title="No test emails yet">
          <p className="mx-auto max-w-lg">
            Create an invitation with email delivery using a test API key (<code>ml_test_…</code>
            ): its email appears here instead of reaching anyone.
          </p>
        </EmptyState>
      ) : (
        <DataTable
          caption="Test emails"
          minWidth="min-w-[40rem]"
          columns={["To", "Subject", "Kind", "When", { label: "Actions", srOnly: true }]}
        >
          {emails.data.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 last:border-0">
              <td className="px-4 py-3 font-medium">{row.to}</td>
              <td className="px-4 py-3">
                {row.subject ?? <span className="text-slate-500">{row.unavailableReason}</span>}
              </td>
              <td className="px-4 py-3">{KIND_LABELS[row.kind] ?? row.kind}</td>
              <td className="px-4 py-3">{formatDateTime(row.sentAt ?? row.createdAt)}</td>
              <td className="px-4 py-3 text-right">
                <button
                  type="button"
                  className={buttonClass("ghost")}
                  aria-label={`Open the email to ${row.to}`}
                  onClick={() => setOpened(row)}
                >
                  Open
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <TestEmailSheet row={opened} onClose={() => setOpened(null)} />
    </>
  );
}

function TestEmailSheet({ row, onClose }: { row: TTestEmailRow | null; onClose: () => void }) {
  const trpc = useTRPC();
  // Composed on demand, never cached once closed: the body holds a working link.
  const email = useQuery({
    ...trpc.admin.testEmails.open.queryOptions({ id: row?.id ?? "" }),
    enabled: row !== null,
    gcTime: 0,
    staleTime: 0,
  });
  return (
    <Sheet
      wide
      open={row !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={row?.subject ?? "Test email"}
      description={row ? `To ${row.to}` : undefined}
    >
      {email.isPending ? (
        <Skeleton label="Composing the email" />
      ) : email.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(email.error)}
        </p>
      ) : email.data.rendered === null ? (
        <p role="status" className="text-slate-700">
          {email.data.unavailableReason}
        </p>
      ) : (
        <>
          <dl className="mb-3 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
            <dt className="text-slate-500">From</dt>
            <dd>{email.data.rendered.from}</dd>
            <dt className="text-slate-500">Status</dt>
            <dd>
              <StatusBadge status={email.data.status} />
            </dd>
          </dl>
          <iframe
            title={`Email to ${email.data.to}`}
            // No allow-scripts, no allow-same-origin: the email cannot touch this page.
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            srcDoc={withLinksInNewTab(email.data.rendered.html)}
            className="h-[70vh] w-full rounded-md border border-slate-200 bg-white"
          />
        </>
      )}
    </Sheet>
  );
}
