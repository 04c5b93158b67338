// Webhook endpoints: add one (its signing secret is shown once, in the dialog that added
// it), delete one, rotate its secret, send it a test event, read its delivery log (each
// attempt with the payload it carried) and redeliver an event. "Send test event"
// reports the delivery itself, not just that an event was queued: it watches the log for
// that event's first attempt for a few seconds.
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  ZCreateWebhookEndpoint,
} from "@meterlink/shared/developer";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { CopyField } from "../components/CopyField";
import { buttonClass, ConfirmDialog, Dialog, Sheet } from "../components/Dialog";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { StatusBadge } from "../components/StatusBadge";
import { useToast } from "../components/Toast";
import { formatDate, formatDateTime } from "../lib/format";
import { errorMessage, useTRPC } from "../lib/trpc";
import {
  nextRetry,
  type TWebhookDelivery,
  type TWebhookEndpoint,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_MAX_ATTEMPTS,
} from "../lib/webhooks";
import { RotateSecretDialog } from "./WebhookRotateDialog";

/** How long "Send test event" waits for the first attempt before leaving it to the log. */
const TEST_WAIT_MS = 15_000;

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

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

function useSendTest() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [testing, setTesting] = useState<ReadonlySet<string>>(new Set());
  const send = useMutation(trpc.admin.webhooks.sendTest.mutationOptions());

  async function firstAttempt(endpointId: string, eventId: string) {
    const deadline = Date.now() + TEST_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // fetchQuery refreshes the cache too, so an open delivery log shows the attempt.
      const rows = await queryClient.fetchQuery({
        ...trpc.admin.webhooks.deliveries.queryOptions({ endpointId }),
        staleTime: 0,
      });
      const found = rows.find((row) => row.eventId === eventId);
      if (found) return found;
    }
    return null;
  }

  async function sendTest(endpoint: TWebhookEndpoint) {
    setTesting((current) => new Set(current).add(endpoint.id));
    try {
      const { eventId } = await send.mutateAsync({ id: endpoint.id });
      const attempt = await firstAttempt(endpoint.id, eventId);
      if (!attempt) {
        toast({
          title: "Test event queued",
          description: "It has not been delivered yet; the delivery log will show the result.",
          tone: "info",
        });
      } else if (attempt.ok) {
        toast({
          title: "Test event delivered",
          description: `Your endpoint answered HTTP ${attempt.statusCode} in ${attempt.durationMs ?? "?"} ms.`,
          tone: "success",
        });
      } else {
        toast({
          title: "Test event not delivered",
          description: `${capitalize(attempt.error ?? "The attempt failed")}. We will retry; see the delivery log.`,
          tone: "error",
        });
      }
    } catch (error) {
      toast({ title: "Test event not sent", description: errorMessage(error), tone: "error" });
    } finally {
      setTesting((current) => {
        const next = new Set(current);
        next.delete(endpoint.id);
        return next;
      });
    }
  }

  return { sendTest, testing };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type TFieldErrors = Partial<Record<"url" | "description" | "eventTypes" | "form", string>>;

/** URL, description and event types → create → the signing secret, once. */
function CreateEndpointDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const id = useId();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [errors, setErrors] = useState<TFieldErrors>({});
  const [secret, setSecret] = useState<string | null>(null);

  const create = useMutation(
    trpc.admin.webhooks.create.mutationOptions({
      onSuccess: (endpoint) => {
        setSecret(endpoint.secret);
        toast({
          title: "Endpoint added",
          description: "Copy its signing secret now: it is shown once.",
          tone: "success",
        });
        void queryClient.invalidateQueries(trpc.admin.webhooks.list.queryFilter());
      },
      onError: (error) => setErrors({ form: errorMessage(error) }),
    }),
  );

  function close(next: boolean) {
    if (next) return;
    onOpenChange(false);
    // After the closing animation, so the dialog does not flash back to the form.
    setTimeout(() => {
      setSecret(null);
      setUrl("");
      setDescription("");
      setEventTypes([]);
      setErrors({});
      create.reset();
    }, 200);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    // ZWebhookUrl's later refinements call `new URL()` even when the url check failed, so
    // safeParse throws on text that is not a URL at all: answer that case first.
    if (!URL.canParse(url.trim())) {
      setErrors({ url: "Enter the endpoint's address, starting with https://." });
      return;
    }
    const parsed = ZCreateWebhookEndpoint.safeParse({
      url: url.trim(),
      description: description.trim() || undefined,
      eventTypes,
    });
    if (!parsed.success) {
      const next: TFieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === "url" || field === "description" || field === "eventTypes") && !next[field])
          next[field] = issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  function toggle(type: string, checked: boolean) {
    setEventTypes((current) =>
      checked ? [...current, type] : current.filter((value) => value !== type),
    );
  }

  if (secret) {
    return (
      <Dialog
        open={open}
        onOpenChange={close}
        title="Copy the signing secret"
        description="Your server uses it to check that each request comes from Meterlink."
        footer={
          <button type="button" className={buttonClass("primary")} onClick={() => close(false)}>
            Done
          </button>
        }
      >
        <CopyField
          label="Signing secret"
          value={secret}
          secret
          copiedTitle="Signing secret copied"
        />
        <p
          role="note"
          className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          You won't see this secret again here. Verify the <code>webhook-signature</code> header of
          every request with it (Standard Webhooks: HMAC-SHA256 of id, timestamp and body).
        </p>
      </Dialog>
    );
  }

  const described = (field: keyof TFieldErrors, hint?: string) =>
    [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(" ") ||
    undefined;

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Add a webhook endpoint"
      description="Meterlink POSTs JSON events to this address and retries for about an hour when it fails."
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <div>
          <label htmlFor={`${id}-url`} className="block text-sm font-medium">
            Endpoint URL
          </label>
          <p id={`${id}-url-hint`} className="text-sm text-slate-600">
            An https:// address (plain http only for localhost).
          </p>
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            autoComplete="off"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setErrors(({ url: _fixed, ...rest }) => rest);
            }}
            placeholder="https://example.com/hooks/meterlink"
            aria-invalid={errors.url ? true : undefined}
            aria-describedby={described("url", `${id}-url-hint`)}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
          {errors.url ? (
            <p id={`${id}-url-error`} role="alert" className="mt-1 text-sm text-red-700">
              {errors.url}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={`${id}-description`} className="block text-sm font-medium">
            Description <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input
            id={`${id}-description`}
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={described("description")}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
          {errors.description ? (
            <p id={`${id}-description-error`} role="alert" className="mt-1 text-sm text-red-700">
              {errors.description}
            </p>
          ) : null}
        </div>
        <fieldset aria-describedby={described("eventTypes", `${id}-events-hint`)}>
          <legend className="text-sm font-medium">Events</legend>
          <p id={`${id}-events-hint`} className="text-sm text-slate-600">
            None selected: every event, including ones added later.
          </p>
          <div className="mt-2 space-y-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 h-4 w-4 shrink-0 accent-brand"
                  checked={eventTypes.includes(type)}
                  onChange={(e) => toggle(type, e.target.checked)}
                />
                <span>
                  <span className="font-medium">{WEBHOOK_EVENT_LABELS[type].label}</span>{" "}
                  <code className="text-xs text-slate-500">{type}</code>
                  <span className="block text-slate-600">{WEBHOOK_EVENT_LABELS[type].hint}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.eventTypes ? (
            <p id={`${id}-eventTypes-error`} role="alert" className="mt-1 text-sm text-red-700">
              {errors.eventTypes}
            </p>
          ) : null}
        </fieldset>
        {errors.form ? (
          <p role="alert" className="text-sm text-red-700">
            {errors.form}
          </p>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <button type="button" className={buttonClass("secondary")} onClick={() => close(false)}>
            Cancel
          </button>
          <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add endpoint"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeliveriesSheet({
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
