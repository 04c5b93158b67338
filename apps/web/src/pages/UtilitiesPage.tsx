// Settings › Utilities: the company's own utilities, for suppliers the shared catalog
// does not list. The address decides which websites the secure browser may open.
import { type TUtilityType, UTILITY_TYPES } from "@meterlink/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { buttonClass } from "../components/Dialog";
import { Check, Input } from "../components/Form";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { useToast } from "../components/Toast";
import { fieldErrorsOf } from "../lib/errors";
import { UTILITY_LABELS } from "../lib/format";
import { errorMessage, useTRPC } from "../lib/trpc";

export function UtilitiesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const utilities = useQuery(trpc.admin.utilities.list.queryOptions());
  const [name, setName] = useState("");
  const [country, setCountry] = useState("");
  const [url, setUrl] = useState("");
  const [types, setTypes] = useState<TUtilityType[]>([]);
  const create = useMutation(
    trpc.admin.utilities.create.mutationOptions({
      onSuccess: (row) => {
        toast({ title: `${row.name} added`, tone: "success" });
        setName("");
        setCountry("");
        setUrl("");
        setTypes([]);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.utilities.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.providers.pathKey() });
      },
    }),
  );
  const fields = create.error ? fieldErrorsOf(create.error) : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name, country: country.trim().toUpperCase(), url, utilityTypes: types });
  }

  return (
    <>
      <PageHeader
        title="Utilities"
        description="Add a utility the catalog does not list. Recipients can then sign in to it in the secure browser, which opens only that utility's own website."
      />
      <form
        onSubmit={onSubmit}
        aria-label="Add a utility"
        noValidate
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      >
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
          <Input label="Name" value={name} onChange={setName} error={fields.name} />
          <Input
            label="Country"
            value={country}
            onChange={(v) => setCountry(v.toUpperCase())}
            maxLength={2}
            placeholder="US"
            error={fields.country}
          />
        </div>
        <Input
          label="Website or sign-in address"
          type="url"
          value={url}
          onChange={setUrl}
          placeholder="https://"
          error={fields.url}
        />
        <fieldset>
          <legend className="text-sm font-medium">Supplies</legend>
          <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1.5">
            {UTILITY_TYPES.map((type) => (
              <Check
                key={type}
                label={UTILITY_LABELS[type] ?? type}
                checked={types.includes(type)}
                onChange={(on) => setTypes(on ? [...types, type] : types.filter((t) => t !== type))}
              />
            ))}
          </div>
          {fields.utilityTypes ? (
            <p className="mt-1 text-sm text-red-700">{fields.utilityTypes}</p>
          ) : null}
        </fieldset>
        {create.error && Object.keys(fields).length === 0 ? (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(create.error)}
          </p>
        ) : null}
        <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add utility"}
        </button>
      </form>

      <section aria-labelledby="own-utilities" className="mt-6">
        <h2 id="own-utilities" className="text-lg font-semibold">
          Your utilities
        </h2>
        {utilities.isPending ? (
          <Skeleton label="Loading utilities" />
        ) : utilities.error ? (
          <p role="alert" className="text-red-700">
            {errorMessage(utilities.error)}
          </p>
        ) : utilities.data.length === 0 ? (
          <EmptyState title="None yet">
            <p>Utilities from the shared catalog are available without adding them here.</p>
          </EmptyState>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {utilities.data.map((row) => (
              <li key={row.id} className="px-4 py-2">
                <span className="font-medium">{row.name}</span> · {row.country} ·{" "}
                <span className="break-all">{row.loginUrl}</span>
                <span className="block text-slate-500">
                  Opens only {row.allowedHostnames.join(", ")}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
