import { ZUtilityType } from "@meterlink/shared";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { isNetworkError, recipientFieldErrors, recipientMessage } from "../api";
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
        token={token}
        initialUrl={/[./]/.test(query) ? query : ""}
        initialName={/[./]/.test(query) ? "" : query}
        country={country || null}
        onBack={() => setManual(false)}
        onChoose={onChoose}
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
          {t("provider.notListedWebsite")}
        </Button>
      </div>
    </section>
  );
}

/**
 * The utility is not in the list: its website address, checked by the API, leads to the
 * catalog provider that uses its domain or to a live sign-in restricted to that domain;
 * a name alone leads to manual entry, as before.
 */
function ManualProvider({
  token,
  initialName,
  initialUrl,
  country,
  onBack,
  onChoose,
}: {
  token: string;
  initialName: string;
  initialUrl: string;
  country: string | null;
  onBack: () => void;
  onChoose: (choice: TProviderChoice) => void;
}) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const [name, setName] = useState(initialName);
  const [url, setUrl] = useState(initialUrl);
  const [errors, setErrors] = useState<{ name?: string; url?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async () => {
    const typedName = name.trim();
    const typedUrl = url.trim();
    setFailure(null);
    if (!typedUrl) {
      const next = typedName.length < 2 ? { name: t("provider.manualNameError") } : {};
      setErrors(next);
      if (!next.name)
        onChoose({ kind: "manual", name: typedName, ...(country ? { country } : {}) });
      return;
    }
    if (typedName.length === 1) {
      setErrors({ name: t("provider.manualNameError") });
      return;
    }
    setErrors({});
    setChecking(true);
    try {
      // "riverside-power.com" means its https site; "http://…" is kept, for the API to refuse.
      const address = /^[a-z][a-z\d+.-]*:\/\//i.test(typedUrl) ? typedUrl : `https://${typedUrl}`;
      const match = await client.recipient.utilityAddress.query({ token, url: address });
      if (match.kind === "catalog") {
        onChoose({
          kind: "catalog",
          id: match.providerId,
          name: match.name,
          mfa: match.mfa,
          utilityTypes: utilityTypesOf(match.utilityTypes),
        });
      } else {
        onChoose({
          kind: "unlisted",
          name: typedName || match.registrableDomain,
          url: match.url,
          domain: match.registrableDomain,
          ...(country ? { country } : {}),
        });
      }
    } catch (caught) {
      // The API says what is wrong with the address (http, private, a test link): shown
      // beside it, with what was typed kept.
      const fields = recipientFieldErrors(caught, t);
      if (fields.url) setErrors({ url: fields.url });
      else
        setFailure(
          isNetworkError(caught)
            ? t("errors.network.body")
            : (recipientMessage(caught, t) ?? t("errors.unknown.body")),
        );
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>{t("provider.manualHeading")}</StepHeading>
      <p className="text-slate-700">{t("provider.manualIntro")}</p>
      {failure ? <Alert>{failure}</Alert> : null}
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!checking) void submit();
        }}
      >
        <Field
          label={t("provider.manualWebsite")}
          hint={t("provider.manualWebsiteHint")}
          value={url}
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://"
          onChange={(event) => setUrl(event.target.value)}
          error={errors.url}
        />
        <Field
          label={t("provider.manualName")}
          hint={t("provider.manualNameHint")}
          value={name}
          autoComplete="organization"
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
        />
        <ActionBar>
          <Button type="submit" disabled={checking}>
            {checking ? t("provider.checking") : t("common.continue")}
          </Button>
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
