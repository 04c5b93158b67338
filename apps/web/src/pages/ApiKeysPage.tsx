// API keys for the REST API. A new key is shown once, in the dialog that created it, and
// is never put in the list's cache: after the dialog closes only its prefix remains.
// Revoke is optimistic: the row turns "Revoked" at once and is rolled back if refused.
// Each key is live (`ml_live_`) or test (`ml_test_`, the company's isolated test
// environment: sandbox providers only, no emails sent, webhooks with livemode false).
import { type TApiKeyMode, ZCreateApiKey } from "@meterlink/shared/developer";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { CopyField } from "../components/CopyField";
import { DataTable } from "../components/DataTable";
import { buttonClass, ConfirmDialog, Dialog } from "../components/Dialog";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { StatusBadge } from "../components/StatusBadge";
import { useToast } from "../components/Toast";
import { formatDateTime } from "../lib/format";
import { errorMessage, type TRouterOutputs, useTRPC } from "../lib/trpc";

type TApiKeyRow = TRouterOutputs["admin"]["apiKeys"]["list"][number];

function DocsLinks() {
  return (
    <>
      <a href="/api/docs" className="text-brand underline underline-offset-2">
        API reference
      </a>{" "}
      ·{" "}
      <a href="/api/v1/openapi.json" className="text-brand underline underline-offset-2">
        OpenAPI document
      </a>
    </>
  );
}

export function ApiKeysPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listKey = trpc.admin.apiKeys.list.queryKey();
  const keys = useQuery(trpc.admin.apiKeys.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [toRevoke, setToRevoke] = useState<TApiKeyRow | null>(null);

  const revoke = useMutation(
    trpc.admin.apiKeys.revoke.mutationOptions({
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueryData(listKey);
        queryClient.setQueryData(listKey, (rows) =>
          rows?.map((row) =>
            row.id === id ? { ...row, revokedAt: new Date().toISOString() } : row,
          ),
        );
        return { previous };
      },
      onError: (error, _input, context) => {
        if (context?.previous) queryClient.setQueryData(listKey, context.previous);
        toast({ title: "Key not revoked", description: errorMessage(error), tone: "error" });
      },
      onSuccess: (row) =>
        toast({
          title: "API key revoked",
          description: `Requests with “${row.name}” are refused from now on.`,
          tone: "success",
        }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your own product call the Meterlink REST API: create and track invitations, read connections."
        actions={
          <button
            type="button"
            className={buttonClass("primary")}
            onClick={() => setCreating(true)}
          >
            Create API key
          </button>
        }
      />
      {keys.isPending ? (
        <Skeleton label="Loading API keys" />
      ) : keys.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(keys.error)}
        </p>
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p className="mx-auto max-w-lg">
            Create a key to call the REST API from your own product, for example to send an
            invitation when a building is added to your system. A key acts for your company only,
            and you can revoke it at any time.
          </p>
          <p className="mt-3">
            <DocsLinks />
          </p>
          <button
            type="button"
            className={`${buttonClass("primary")} mt-4`}
            onClick={() => setCreating(true)}
          >
            Create API key
          </button>
        </EmptyState>
      ) : (
        <>
          <DataTable
            caption="API keys"
            minWidth="min-w-[40rem]"
            columns={[
              "Name",
              "Key",
              "Mode",
              "Created",
              "Last used",
              "Status",
              { label: "Actions", srOnly: true },
            ]}
          >
            {keys.data.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-3 font-medium">{row.name}</td>
                <td className="px-4 py-3">
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{row.prefix}…</code>
                </td>
                <td className="px-4 py-3">
                  <ModeBadge mode={row.mode} />
                </td>
                <td className="px-4 py-3">{formatDateTime(row.createdAt)}</td>
                <td className="px-4 py-3">
                  {row.lastUsedAt ? formatDateTime(row.lastUsedAt) : "Never"}
                </td>
                <td className="px-4 py-3">
                  {row.revokedAt ? (
                    <StatusBadge status="revoked" />
                  ) : (
                    <StatusBadge status="active" />
                  )}
                </td>
                <td className="px-4 py-3 text-right">
                  {row.revokedAt ? null : (
                    <button
                      type="button"
                      className={buttonClass("ghost")}
                      aria-label={`Revoke ${row.name}`}
                      onClick={() => setToRevoke(row)}
                    >
                      Revoke…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <p className="mt-3 text-sm text-slate-600">
            Send a key as <code>Authorization: Bearer ml_live_…</code>. Test keys (
            <code>ml_test_…</code>) see only test data. <DocsLinks />
          </p>
        </>
      )}
      <CreateApiKeyDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={toRevoke !== null}
        onOpenChange={(open) => (open ? undefined : setToRevoke(null))}
        title={`Revoke “${toRevoke?.name ?? ""}”?`}
        description="Every request made with this key is refused from now on (HTTP 401). This cannot be undone; create a new key if you need one."
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onConfirm={() => {
          if (toRevoke) revoke.mutate({ id: toRevoke.id });
          setToRevoke(null);
        }}
      />
    </>
  );
}

/** Test keys stand out: what they create never mixes with live data. */
function ModeBadge({ mode }: { mode: TApiKeyMode }) {
  return mode === "test" ? (
    <span className="inline-block rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
      Test
    </span>
  ) : (
    <span className="inline-block rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
      Live
    </span>
  );
}

const MODE_CHOICES: { mode: TApiKeyMode; label: string; hint: string }[] = [
  { mode: "live", label: "Live", hint: "Real invitations, emails and connections." },
  {
    mode: "test",
    label: "Test",
    hint: "An isolated test environment: sandbox utilities only, no emails leave, webhooks say livemode: false.",
  },
];

/** Name → create → the key, once. Closing the dialog forgets the key. */
function CreateApiKeyDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const nameId = useId();
  const [name, setName] = useState("");
  const [mode, setMode] = useState<TApiKeyMode>("live");
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const create = useMutation(
    trpc.admin.apiKeys.create.mutationOptions({
      onSuccess: ({ key, ...row }) => {
        setSecret(key);
        toast({
          title: "API key created",
          description: "Copy it now: it is shown once.",
          tone: "success",
        });
        // The list gets the row without its key.
        queryClient.setQueryData(trpc.admin.apiKeys.list.queryKey(), (rows) => [
          row,
          ...(rows ?? []),
        ]);
        void queryClient.invalidateQueries(trpc.admin.apiKeys.list.queryFilter());
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  function close(next: boolean) {
    if (next) return;
    onOpenChange(false);
    // After the closing animation, so the dialog does not flash back to the form.
    setTimeout(() => {
      setSecret(null);
      setName("");
      setMode("live");
      setError(null);
      create.reset();
    }, 200);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = ZCreateApiKey.safeParse({ name, mode });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Name the key.");
      return;
    }
    setError(null);
    create.mutate(parsed.data);
  }

  if (secret) {
    return (
      <Dialog
        open={open}
        onOpenChange={close}
        title="Copy your new API key"
        description="Store it in your secret manager now."
        footer={
          <button type="button" className={buttonClass("primary")} onClick={() => close(false)}>
            Done
          </button>
        }
      >
        <CopyField label="API key" value={secret} secret copiedTitle="API key copied" />
        <p
          role="note"
          className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          You won't see this key again. We keep only a fingerprint of it. If you lose it, revoke it
          and create another.
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Create an API key"
      description="The key can create and read invitations and connections for your company."
    >
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor={nameId} className="block text-sm font-medium">
          Name
        </label>
        <p id={`${nameId}-hint`} className="text-sm text-slate-600">
          Where the key is used, like “CRM sync”.
        </p>
        <input
          id={nameId}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          maxLength={100}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${nameId}-hint${error ? ` ${nameId}-error` : ""}`}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        {error ? (
          <p id={`${nameId}-error`} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <fieldset className="mt-4">
          <legend className="text-sm font-medium">Mode</legend>
          {MODE_CHOICES.map((choice) => (
            <label key={choice.mode} className="mt-2 flex items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${nameId}-mode`}
                value={choice.mode}
                checked={mode === choice.mode}
                onChange={() => setMode(choice.mode)}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{choice.label}</span>
                <span className="block text-slate-600">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="mt-6 flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={() => close(false)}>
            Cancel
          </button>
          <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
