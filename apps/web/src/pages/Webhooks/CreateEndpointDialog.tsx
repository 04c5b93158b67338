// Adding a webhook endpoint: its address, a description and the event types; the
// signing secret is shown once, in this dialog, and never put in the list's cache.
import { WEBHOOK_EVENT_TYPES, ZCreateWebhookEndpoint } from "@meterlink/shared/developer";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { CopyField } from "../../components/CopyField";
import { buttonClass, Dialog } from "../../components/Dialog";
import { useToast } from "../../components/Toast";
import { errorMessage, useTRPC } from "../../lib/trpc";
import { WEBHOOK_EVENT_LABELS } from "../../lib/webhooks";

type TFieldErrors = Partial<Record<"url" | "description" | "eventTypes" | "form", string>>;

/** URL, description and event types → create → the signing secret, once. */
export function CreateEndpointDialog({
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
