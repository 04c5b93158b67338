// Settings › Webhooks: the list of endpoints with their actions. Add one (its signing
// secret is shown once, in the dialog that added it: CreateEndpointDialog), delete one,
// rotate its secret (RotateSecretDialog), send it a test event (useSendTest reports the
// delivery itself), read its delivery log and redeliver an event (DeliveriesSheet).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { buttonClass, ConfirmDialog } from "../../components/Dialog";
import { EmptyState, PageHeader } from "../../components/PageHeader";
import { Skeleton } from "../../components/Skeleton";
import { useToast } from "../../components/Toast";
import { formatDate, formatDateTime } from "../../lib/format";
import { errorMessage, useTRPC } from "../../lib/trpc";
import { type TWebhookEndpoint, WEBHOOK_EVENT_LABELS } from "../../lib/webhooks";
import { CreateEndpointDialog } from "./CreateEndpointDialog";
import { DeliveriesSheet } from "./DeliveriesSheet";
import { RotateSecretDialog } from "./RotateSecretDialog";
import { useSendTest } from "./useSendTest";

function eventsLabel(eventTypes: string[]): string {
  if (eventTypes.length === 0) return "All events";
  return eventTypes
    .map((type) => WEBHOOK_EVENT_LABELS[type as keyof typeof WEBHOOK_EVENT_LABELS]?.label ?? type)
    .join(", ");
}

export function WebhooksPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listKey = trpc.admin.webhooks.list.queryKey();
  const endpoints = useQuery(trpc.admin.webhooks.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<TWebhookEndpoint | null>(null);
  const [logFor, setLogFor] = useState<TWebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<TWebhookEndpoint | null>(null);
  const { sendTest, testing } = useSendTest();

  const remove = useMutation(
    trpc.admin.webhooks.delete.mutationOptions({
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueryData(listKey);
        queryClient.setQueryData(listKey, (rows) => rows?.filter((row) => row.id !== id));
        return { previous };
      },
      onError: (error, _input, context) => {
        if (context?.previous) queryClient.setQueryData(listKey, context.previous);
        toast({ title: "Endpoint not deleted", description: errorMessage(error), tone: "error" });
      },
      onSuccess: () =>
        toast({
          title: "Endpoint deleted",
          description: "No more events are sent to it.",
          tone: "success",
        }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Meterlink sends a signed HTTP POST to your endpoints when invitations are used and connections change."
        actions={
          <button
            type="button"
            className={buttonClass("primary")}
            onClick={() => setCreating(true)}
          >
            Add endpoint
          </button>
        }
      />
      {endpoints.isPending ? (
        <Skeleton label="Loading webhook endpoints" rowClassName="h-24" />
      ) : endpoints.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(endpoints.error)}
        </p>
      ) : endpoints.data.length === 0 ? (
        <EmptyState title="No webhook endpoints yet">
          <p className="mx-auto max-w-lg">
            Add the address of a server of yours to be told when a recipient opens an invitation, a
            connection is created, or a connection's status changes. Each request is signed the
            Standard Webhooks way, so you can check it came from Meterlink.
          </p>
          <button
            type="button"
            className={`${buttonClass("primary")} mt-4`}
            onClick={() => setCreating(true)}
          >
            Add endpoint
          </button>
        </EmptyState>
      ) : (
        <ul aria-label="Webhook endpoints" className="space-y-3">
          {endpoints.data.map((endpoint) => {
            const urlId = `endpoint-url-${endpoint.id}`;
            const busy = testing.has(endpoint.id);
            return (
              <li
                key={endpoint.id}
                className="rounded-lg border border-slate-200 bg-white p-4 text-sm"
              >
                <p id={urlId} className="font-mono text-sm font-medium break-all">
                  {endpoint.url}
                </p>
                {endpoint.description ? (
                  <p className="mt-0.5 text-slate-600">{endpoint.description}</p>
                ) : null}
                <dl className="mt-2 grid grid-cols-[5rem_1fr] gap-x-3 gap-y-1">
                  <dt className="text-slate-500">Events</dt>
                  <dd>{eventsLabel(endpoint.eventTypes)}</dd>
                  <dt className="text-slate-500">Created</dt>
                  <dd>{formatDate(endpoint.createdAt)}</dd>
                  {endpoint.previousSecretExpiresAt ? (
                    <>
                      <dt className="text-slate-500">Old secret</dt>
                      <dd>signs too until {formatDateTime(endpoint.previousSecretExpiresAt)}</dd>
                    </>
                  ) : null}
                </dl>
                <div className="mt-3 flex flex-wrap gap-2">
                  <button
                    type="button"
                    className={buttonClass("secondary")}
                    aria-describedby={urlId}
                    disabled={busy}
                    onClick={() => void sendTest(endpoint)}
                  >
                    {busy ? "Sending test…" : "Send test event"}
                  </button>
                  <button
                    type="button"
                    className={buttonClass("secondary")}
                    aria-describedby={urlId}
                    onClick={() => setLogFor(endpoint)}
                  >
                    Deliveries
                  </button>
                  <button
                    type="button"
                    className={buttonClass("secondary")}
                    aria-describedby={urlId}
                    onClick={() => setRotating(endpoint)}
                  >
                    Rotate secret…
                  </button>
                  <button
                    type="button"
                    className={buttonClass("ghost")}
                    aria-describedby={urlId}
                    onClick={() => setToDelete(endpoint)}
                  >
                    Delete…
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <CreateEndpointDialog open={creating} onOpenChange={setCreating} />
      {rotating ? (
        <RotateSecretDialog endpoint={rotating} onClose={() => setRotating(null)} />
      ) : null}
      {logFor ? (
        <DeliveriesSheet
          endpoint={logFor}
          onClose={() => setLogFor(null)}
          testing={testing.has(logFor.id)}
          onSendTest={() => void sendTest(logFor)}
        />
      ) : null}
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => (open ? undefined : setToDelete(null))}
        title="Delete this endpoint?"
        description={
          <>
            Meterlink stops sending events to{" "}
            <span className="font-mono break-all">{toDelete?.url}</span> at once, including retries.
            Its delivery log is kept.
          </>
        }
        confirmLabel="Delete endpoint"
        pending={remove.isPending}
        onConfirm={() => {
          if (toDelete) remove.mutate({ id: toDelete.id });
          setToDelete(null);
        }}
      />
    </>
  );
}
