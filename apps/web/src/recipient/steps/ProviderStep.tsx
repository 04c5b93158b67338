import { ZUtilityType } from "@meterlink/shared";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useTRPC } from "../../lib/trpc";
import type { TOpened, TProviderChoice } from "../types";
import { ActionBar, Alert, Button, Field, Spinner, StepHeading } from "../ui";

/** Countries the catalog is likely to cover; the prefilled one is always added. */
const COUNTRIES = [
  "US",
  "CA",
  "GB",
  "IE",
  "FR",
  "BE",
  "CH",
  "DE",
  "AT",
  "NL",
  "ES",
  "IT",
  "PT",
  "JP",
  "AU",
];

function browserCountry(): string | null {
  for (const language of navigator.languages ?? [navigator.language]) {
    const region = /^[a-z]{2,3}-([A-Z]{2})$/i.exec(language)?.[1]?.toUpperCase();
    if (region && COUNTRIES.includes(region)) return region;
  }
  return null;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function utilityTypesOf(values: readonly string[]) {
  return values.flatMap((value) => {
    const parsed = ZUtilityType.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

export function ProviderStep({
  token,
  company,
  prefill,
  onChoose,
}: {
  token: string;
  company: string;
  prefill: TOpened["prefill"];
  onChoose: (choice: TProviderChoice) => void;
}) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const [changing, setChanging] = useState(false);
  const [country, setCountry] = useState(() => prefill.country ?? browserCountry() ?? "");
  const [query, setQuery] = useState(() => prefill.providerUrl ?? "");
  const [manual, setManual] = useState(false);
  const debouncedQuery = useDebounced(query.trim(), 250);
  const countryId = useId();
  const regionNames = useMemo(() => {
    try {
      return new Intl.DisplayNames([i18n.language], { type: "region" });
    } catch {
      return null;
    }
  }, [i18n.language]);
  const countries = useMemo(() => {
    const codes = new Set(COUNTRIES);
    if (prefill.country) codes.add(prefill.country);
    return [...codes]
      .map((code) => ({ code, name: regionNames?.of(code) ?? code }))
      .sort((a, b) => a.name.localeCompare(b.name, i18n.language));
  }, [prefill.country, regionNames, i18n.language]);

  const results = useQuery({
    ...trpc.recipient.providers.queryOptions({
      token,
      country: country || null,
      query: debouncedQuery || null,
    }),
    placeholderData: (previous) => previous,
    enabled: !manual && (!prefill.provider || changing),
  });

  if (prefill.provider && !changing) {
    const provider = prefill.provider;
    return (
      <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <StepHeading>{t("provider.heading")}</StepHeading>
        <p className="text-slate-700">{t("provider.prefilled", { company })}</p>
        <div className="rounded-lg border border-slate-300 p-4">
          <p className="text-lg font-semibold">{provider.name}</p>
          <p className="text-sm text-slate-600">
            {hostOf(provider.loginUrl)} · {regionNames?.of(provider.country) ?? provider.country}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <Button
            onClick={() =>
              onChoose({
                kind: "catalog",
                id: provider.id,
                name: provider.name,
                mfa: provider.mfa,
                utilityTypes: [],
              })
            }
          >
            {t("common.continue")}
          </Button>
          <Button variant="link" onClick={() => setChanging(true)}>
            {t("provider.change")}
          </Button>
        </div>
      </section>
    );
  }

  if (manual) {
    return (
      <ManualProvider
        initialUrl={/[./]/.test(query) ? query : ""}
        initialName={/[./]/.test(query) ? "" : query}
        onBack={() => setManual(false)}
        onSubmit={(name, url) =>
          onChoose({
            kind: "manual",
            name,
            ...(url ? { url } : {}),
            ...(country ? { country } : {}),
          })
        }
      />
    );
  }

  const list = results.data ?? [];
  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>{t("provider.heading")}</StepHeading>
      <div className="grid gap-4 sm:grid-cols-[minmax(0,14rem)_1fr]">
        <div className="flex flex-col gap-1">
          <label htmlFor={countryId} className="text-sm font-medium">
            {t("provider.country")}
          </label>
          <select
            id={countryId}
            className="min-h-11 rounded-md border border-slate-400 bg-white px-3 py-2 text-base"
            value={country}
            onChange={(event) => setCountry(event.target.value)}
          >
            <option value="">{t("provider.anyCountry")}</option>
            {countries.map((entry) => (
              <option key={entry.code} value={entry.code}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={t("provider.search")}
          hint={t("provider.searchHint")}
          type="search"
          value={query}
          autoComplete="off"
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div aria-live="polite">
        {results.isPending ? <Spinner label={t("common.loading")} /> : null}
        {results.isError ? <Alert>{t("errors.network.body")}</Alert> : null}
        {results.isSuccess && list.length === 0 ? (
          <p className="text-slate-700">{t("provider.none")}</p>
        ) : null}
      </div>
      {list.length ? (
        <ul className="flex flex-col gap-2" aria-label={t("provider.results")}>
          {list.map((provider) => (
            <li key={provider.id}>
              <button
                type="button"
                className="flex w-full flex-col items-start rounded-lg border border-slate-300 px-4 py-3 text-left hover:border-brand hover:bg-slate-50"
                onClick={() =>
                  onChoose({
                    kind: "catalog",
                    id: provider.id,
                    name: provider.name,
                    mfa: provider.mfa,
                    utilityTypes: utilityTypesOf(provider.utilityTypes),
                  })
                }
              >
                <span className="font-semibold text-slate-900">{provider.name}</span>
                <span className="text-sm text-slate-600">
                  {hostOf(provider.loginUrl)} ·{" "}
                  {regionNames?.of(provider.country) ?? provider.country}
                  {provider.mfa !== "none" ? ` · ${t("provider.mfaHint")}` : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div>
        <Button variant="link" onClick={() => setManual(true)}>
          {t("provider.notListed")}
        </Button>
      </div>
    </section>
  );
}

function ManualProvider({
  initialName,
  initialUrl,
  onBack,
  onSubmit,
}: {
  initialName: string;
  initialUrl: string;
  onBack: () => void;
  onSubmit: (name: string, url: string | null) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [url, setUrl] = useState(initialUrl);
  const [errors, setErrors] = useState<{ name?: string; url?: string }>({});
  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>{t("provider.manualHeading")}</StepHeading>
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const next: typeof errors = {};
          if (name.trim().length < 2) next.name = t("provider.manualNameError");
          let normalized: string | null = null;
          if (url.trim()) {
            const candidate = /^https?:\/\//i.test(url.trim())
              ? url.trim()
              : `https://${url.trim()}`;
            try {
              normalized = new URL(candidate).toString();
            } catch {
              next.url = t("provider.manualUrlError");
            }
          }
          setErrors(next);
          if (!next.name && !next.url) onSubmit(name.trim(), normalized);
        }}
      >
        <Field
          label={t("provider.manualName")}
          value={name}
          required
          autoComplete="organization"
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
        />
        <Field
          label={t("provider.manualUrl")}
          value={url}
          type="url"
          inputMode="url"
          placeholder="https://"
          onChange={(event) => setUrl(event.target.value)}
          error={errors.url}
        />
        <ActionBar>
          <Button type="submit">{t("common.continue")}</Button>
          <Button variant="secondary" onClick={onBack}>
            {t("common.back")}
          </Button>
        </ActionBar>
      </form>
    </section>
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
