import { type TUtilityType, UTILITY_TYPES, ZUtilityType } from "@meterlink/shared";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TOpened } from "../types";

export type TDuplicateChoice = "addSites" | "connectAnyway";

import { ActionBar, Alert, Button, Field, StepHeading } from "../ui";

export type TSitesAnswer = {
  siteIds: string[];
  utilityTypes: TUtilityType[];
  ownerEmail: string | null;
  collectionStartDate: string | null;
};

/** Which of the company's sites this account covers and what it supplies, prefilled. */
export function SitesStep({
  company,
  sites,
  prefill,
  defaultUtilityTypes,
  defaultOwnerEmail,
  busy,
  error,
  fieldErrors,
  onSubmit,
  alreadyConnected = false,
}: {
  company: string;
  sites: TOpened["sites"];
  prefill: TOpened["prefill"];
  defaultUtilityTypes: TUtilityType[];
  defaultOwnerEmail: string | null;
  busy: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
  onSubmit: (answer: TSitesAnswer, onDuplicate?: TDuplicateChoice) => void;
  /**
   * The account is already connected (#17): the step offers to add these sites to it, or
   * to connect it again anyway, with what is ticked now.
   */
  alreadyConnected?: boolean;
}) {
  const { t } = useTranslation();
  const [siteIds, setSiteIds] = useState<Set<string>>(() => new Set(prefill.siteIds));
  const [types, setTypes] = useState<Set<TUtilityType>>(
    () =>
      new Set(
        prefill.utilityTypes.length
          ? prefill.utilityTypes.flatMap((type) => {
              const parsed = ZUtilityType.safeParse(type);
              return parsed.success ? [parsed.data] : [];
            })
          : defaultUtilityTypes,
      ),
  );
  const [ownerEmail, setOwnerEmail] = useState(prefill.ownerEmail ?? defaultOwnerEmail ?? "");
  const [startDate, setStartDate] = useState(prefill.collectionStartDate ?? "");
  // A connection without a site or a utility type collects nothing anyone can use: both
  // are asked for here (a company with no sites listed yet is the one exception).
  const [missing, setMissing] = useState<{ sites: boolean; types: boolean }>({
    sites: false,
    types: false,
  });
  const sitesLabel = useId();
  const typesLabel = useId();
  const sitesError = missing.sites ? t("sites.sitesRequired") : fieldErrors.siteIds;
  const typesError = missing.types ? t("sites.typesRequired") : fieldErrors.utilityTypes;

  const toggle = <T,>(set: Set<T>, value: T, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };

  function send(onDuplicate?: TDuplicateChoice) {
    const found = { sites: sites.length > 0 && siteIds.size === 0, types: types.size === 0 };
    setMissing(found);
    if (found.sites || found.types) return;
    onSubmit(
      {
        siteIds: [...siteIds],
        utilityTypes: [...types],
        ownerEmail: ownerEmail.trim() || null,
        collectionStartDate: startDate || null,
      },
      onDuplicate,
    );
  }

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>{t("sites.heading")}</StepHeading>
      <form
        className="flex flex-col gap-6"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <fieldset className="flex flex-col gap-2" aria-labelledby={sitesLabel}>
          <legend id={sitesLabel} className="font-semibold">
            {t("sites.sites")}
          </legend>
          <p className="text-sm text-slate-700">{t("sites.intro")}</p>
          {sites.length === 0 ? (
            <p className="text-slate-700">{t("sites.noSites", { company })}</p>
          ) : null}
          <ul className="grid gap-2 sm:grid-cols-2">
            {sites.map((site) => (
              <li key={site.id}>
                <label className="flex h-full cursor-pointer items-start gap-3 rounded-lg border border-slate-300 p-3 has-checked:border-brand has-checked:bg-slate-50">
                  <input
                    type="checkbox"
                    className="mt-0.5 size-5 shrink-0 accent-[var(--color-brand)]"
                    checked={siteIds.has(site.id)}
                    onChange={(event) => {
                      setSiteIds(toggle(siteIds, site.id, event.target.checked));
                      setMissing((current) => ({ ...current, sites: false }));
                    }}
                  />
                  <span>
                    <span className="block font-medium text-slate-900">{site.name}</span>
                    {site.address ? (
                      <span className="block text-sm text-slate-600">{site.address}</span>
                    ) : null}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {sitesError ? (
            <p role="alert" className="text-sm text-red-700">
              {sitesError}
            </p>
          ) : null}
        </fieldset>
        <fieldset className="flex flex-col gap-2" aria-labelledby={typesLabel}>
          <legend id={typesLabel} className="font-semibold">
            {t("sites.utilityTypes")}
          </legend>
          <div className="flex flex-wrap gap-2">
            {UTILITY_TYPES.map((type) => (
              <label
                key={type}
                className="flex cursor-pointer items-center gap-2 rounded-full border border-slate-300 px-3 py-2 has-checked:border-brand has-checked:bg-slate-50"
              >
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--color-brand)]"
                  checked={types.has(type)}
                  onChange={(event) => {
                    setTypes(toggle(types, type, event.target.checked));
                    setMissing((current) => ({ ...current, types: false }));
                  }}
                />
                {t(`sites.${type}`)}
              </label>
            ))}
          </div>
          {typesError ? (
            <p role="alert" className="text-sm text-red-700">
              {typesError}
            </p>
          ) : null}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label={t("sites.ownerEmail")}
            type="email"
            autoComplete="email"
            value={ownerEmail}
            onChange={(event) => setOwnerEmail(event.target.value)}
            error={fieldErrors.ownerEmail}
          />
          <Field
            label={t("sites.startDate")}
            type="date"
            value={startDate}
            onChange={(event) => setStartDate(event.target.value)}
            error={fieldErrors.collectionStartDate}
          />
        </div>
        {error ? <Alert>{error}</Alert> : null}
        <ActionBar>
          {alreadyConnected ? (
            <div className="flex flex-wrap gap-2">
              <Button type="button" busy={busy} disabled={busy} onClick={() => send("addSites")}>
                {t("sites.duplicateAddSites")}
              </Button>
              <Button
                type="button"
                variant="secondary"
                disabled={busy}
                onClick={() => send("connectAnyway")}
              >
                {t("sites.duplicateConnectAnyway")}
              </Button>
            </div>
          ) : (
            <Button type="submit" busy={busy} disabled={busy}>
              {busy ? t("sites.submitting") : t("sites.submit")}
            </Button>
          )}
        </ActionBar>
      </form>
    </section>
  );
}
