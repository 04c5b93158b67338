import { ZFrameOrigin } from "@meterlink/shared/settings";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { buttonClass } from "../components/Dialog";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { useToast } from "../components/Toast";
import { errorMessage, useTRPC } from "../lib/trpc";

/** Origins allowed to show recipient pages in an iframe. Changes apply optimistically. */
export function EmbeddingPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const key = trpc.admin.settings.embedding.get.queryKey();
  const embedding = useQuery(trpc.admin.settings.embedding.get.queryOptions());
  const [origin, setOrigin] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  const save = useMutation(
    trpc.admin.settings.embedding.update.mutationOptions({
      onMutate: async (input) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData(key);
        queryClient.setQueryData(key, { allowedOrigins: input.allowedOrigins });
        return { previous };
      },
      onError: (err, _input, context) => {
        if (context?.previous) queryClient.setQueryData(key, context.previous);
        toast({ title: "Origins not saved", description: errorMessage(err), tone: "error" });
      },
      onSuccess: (saved) => {
        queryClient.setQueryData(key, saved);
        toast({ title: "Embedding origins saved", tone: "success" });
      },
    }),
  );

  const origins = embedding.data?.allowedOrigins ?? [];

  function onAdd(event: FormEvent) {
    event.preventDefault();
    const parsed = ZFrameOrigin.safeParse(origin);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Enter an origin like https://app.example.com.");
      return;
    }
    setError(null);
    setOrigin("");
    if (!origins.includes(parsed.data)) save.mutate({ allowedOrigins: [...origins, parsed.data] });
  }

  return (
    <>
      <PageHeader
        title="Embedding"
        description="Sites allowed to show your invitation pages inside an iframe. Any other site gets a blank frame."
      />
      <form
        onSubmit={onAdd}
        noValidate
        className="mb-6 max-w-xl rounded-xl border border-slate-200 bg-white p-5"
      >
        <label htmlFor={inputId} className="block text-sm font-medium">
          Allowed origin
        </label>
        <p id={`${inputId}-hint`} className="text-sm text-slate-600">
          Scheme and host only, like https://app.example.com. Plain http works for localhost only.
        </p>
        <div className="mt-2 flex gap-2">
          <input
            id={inputId}
            value={origin}
            onChange={(e) => setOrigin(e.target.value)}
            placeholder="https://app.example.com"
            aria-invalid={error ? true : undefined}
            aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ""}`}
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
          <button type="submit" className={buttonClass("primary")}>
            Add origin
          </button>
        </div>
        {error ? (
          <p id={`${inputId}-error`} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </form>
      {embedding.isPending ? (
        <div
          className="h-24 max-w-xl animate-pulse rounded-xl bg-slate-200"
          role="status"
          aria-label="Loading origins"
        />
      ) : embedding.error ? (
        <p role="alert" className="text-red-700">
          {embedding.error.message}
        </p>
      ) : origins.length === 0 ? (
        <div className="max-w-xl">
          <EmptyState title="No sites may embed your invitations">
            Add your site's origin above, then paste the embed snippet shown after creating an
            invitation.
          </EmptyState>
        </div>
      ) : (
        <ul
          aria-label="Allowed origins"
          className="max-w-xl divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white"
        >
          {origins.map((value) => (
            <li key={value} className="flex items-center justify-between gap-2 px-4 py-2.5">
              <code className="min-w-0 truncate text-sm">{value}</code>
              <button
                type="button"
                aria-label={`Remove ${value}`}
                className={buttonClass("ghost")}
                onClick={() => save.mutate({ allowedOrigins: origins.filter((o) => o !== value) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
