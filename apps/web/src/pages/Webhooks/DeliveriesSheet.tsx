// An endpoint's delivery log: each attempt with the payload it carried, when the next
// retry comes, and "Redeliver" for an event.
import { WEBHOOK_TEST_EVENT } from "@meterlink/shared/developer";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { buttonClass, Sheet } from "../../components/Dialog";
import { EmptyState } from "../../components/PageHeader";
import { Skeleton } from "../../components/Skeleton";
import { StatusBadge } from "../../components/StatusBadge";
import { useToast } from "../../components/Toast";
import { formatDateTime } from "../../lib/format";
import { errorMessage, useTRPC } from "../../lib/trpc";
import {
  nextRetry,
  type TWebhookDelivery,
  type TWebhookEndpoint,
  WEBHOOK_MAX_ATTEMPTS,
} from "../../lib/webhooks";

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

export function DeliveriesSheet({
  endpoint,
  onClose,
  testing,
  onSendTest,
}: {
  endpoint: TWebhookEndpoint;
  onClose: () => void;
  testing: boolean;
  onSendTest: () => void;
}) {
  const trpc = useTRPC();
  // Retries land on their own schedule: refresh while the log is open.
  const deliveries = useQuery({
    ...trpc.admin.webhooks.deliveries.queryOptions({ endpointId: endpoint.id }),
    refetchInterval: 5000,
  });
  return (
    <Sheet
      open
      wide
      onOpenChange={(open) => (open ? undefined : onClose())}
      title="Deliveries"
      description={<span className="font-mono break-all">{endpoint.url}</span>}
      footer={
        <button
          type="button"
          className={buttonClass("secondary")}
          disabled={testing}
          onClick={onSendTest}
        >
          {testing ? "Sending test…" : "Send test event"}
        </button>
      }
    >
      {deliveries.isPending ? (
        <Skeleton label="Loading deliveries" rows={4} rowClassName="h-10" />
      ) : deliveries.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(deliveries.error)}
        </p>
      ) : deliveries.data.length === 0 ? (
        <EmptyState title="No deliveries yet">
          Every attempt to deliver an event to this endpoint appears here. Send a test event to see
          one.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200">
          <table className="w-full min-w-[34rem] text-left text-sm">
            <caption className="sr-only">Delivery attempts, newest first</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Time
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Event
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Attempt
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Next retry
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  endpointId={endpoint.id}
                  delivery={delivery}
                  all={deliveries.data}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Sheet>
  );
}

function DeliveryRow({
  endpointId,
  delivery,
  all,
}: {
  endpointId: string;
  delivery: TWebhookDelivery;
  all: TWebhookDelivery[];
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const redeliver = useMutation(
    trpc.admin.webhooks.redeliver.mutationOptions({
      onSuccess: () => {
        toast({ title: "Event queued again", tone: "success" });
        void queryClient.invalidateQueries({
          queryKey: trpc.admin.webhooks.deliveries.queryKey({ endpointId }),
        });
      },
      onError: (error) => toast({ title: errorMessage(error), tone: "error" }),
    }),
  );
  const retry = nextRetry(delivery, all);
  return (
    <tr className="border-b border-slate-100 align-top last:border-0">
      <td className="px-3 py-2 whitespace-nowrap">
        <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
      </td>
      <td className="px-3 py-2">
        <code className="text-xs">{delivery.eventType}</code>
        {delivery.eventType === WEBHOOK_TEST_EVENT ? (
          <span className="block text-xs text-slate-500">Test event</span>
        ) : null}
        {delivery.redelivery ? (
          <span className="block text-xs text-slate-500">Redelivery</span>
        ) : null}
        <details className="mt-1">
          <summary className="cursor-pointer text-xs text-slate-600">Payload</summary>
          <pre className="mt-1 max-w-[24rem] overflow-x-auto rounded bg-slate-50 p-2 text-xs">
            {JSON.stringify(delivery.payload, null, 2)}
          </pre>
        </details>
        <button
          type="button"
          className={`${buttonClass("ghost")} mt-1`}
          aria-label={`Redeliver ${delivery.eventType} of ${formatDateTime(delivery.createdAt)}`}
          disabled={redeliver.isPending}
          onClick={() => redeliver.mutate({ id: endpointId, deliveryId: delivery.id })}
        >
          Redeliver
        </button>
      </td>
      <td className="px-3 py-2">
        <StatusBadge
          status={delivery.ok ? "delivered" : "failed"}
          label={delivery.statusCode ? `HTTP ${delivery.statusCode}` : "No response"}
        />
        {delivery.error ? (
          <span className="mt-1 block text-xs text-slate-600">{delivery.error}</span>
        ) : delivery.durationMs != null ? (
          <span className="mt-1 block text-xs text-slate-500">{delivery.durationMs} ms</span>
        ) : null}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">
        {delivery.attempt} of {WEBHOOK_MAX_ATTEMPTS}
      </td>
      <td className="px-3 py-2">
        {retry.kind === "scheduled" ? (
          <>
            between {timeFormat.format(retry.from)} and {timeFormat.format(retry.to)}
          </>
        ) : retry.kind === "gave_up" ? (
          "None: gave up"
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
