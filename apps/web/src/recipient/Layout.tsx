// The frame around every recipient step: the company's logo and name (never Meterlink's
// when white-labelled), the language switcher, the progress through the steps. Embedded
// (`?embed=1`) it shrinks to the essentials: the host page already shows who is asking.
import clsx from "clsx";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TBranding } from "./brand";
import { chooseLanguage, currentLanguage, LANGUAGES } from "./i18n";

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <label className="flex items-center gap-1.5 text-sm text-slate-700">
      <span className="sr-only sm:not-sr-only">{t("meta.language")}</span>
      <select
        className="min-h-9 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
        value={currentLanguage(i18n)}
        onChange={(event) => chooseLanguage(i18n, event.target.value)}
        aria-label={t("meta.language")}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Progress({ steps, current }: { steps: readonly string[]; current: number }) {
  const { t, i18n } = useTranslation();
  if (current < 0) return null;
  const number = new Intl.NumberFormat(i18n.language);
  const total = steps.length;
  const label = (step: string) => t(`progress.${step}`, { defaultValue: step });
  return (
    <nav aria-label={t("progress.label")} className="w-full">
      <p className="mb-2 text-sm text-slate-700 sm:hidden">
        {t("progress.stepOf", { current: number.format(current + 1), total: number.format(total) })}
        {" · "}
        <span className="font-medium text-slate-900">{label(steps[current] ?? "")}</span>
      </p>
      <div
        className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 sm:hidden"
        aria-hidden="true"
      >
        <div
          className="h-full rounded-full bg-brand transition-[width]"
          style={{ width: `${((current + 1) / total) * 100}%` }}
        />
      </div>
      <ol className="hidden gap-2 sm:flex">
        {steps.map((step, index) => (
          <li
            key={step}
            aria-current={index === current ? "step" : undefined}
            className="flex flex-1 flex-col gap-1.5 text-xs"
          >
            <span
              className={clsx("h-1.5 rounded-full", index <= current ? "bg-brand" : "bg-slate-200")}
              aria-hidden="true"
            />
            <span
              className={clsx(
                index === current ? "font-semibold text-slate-900" : "text-slate-600",
              )}
            >
              <span className="sr-only">
                {t("progress.stepOf", {
                  current: number.format(index + 1),
                  total: number.format(total),
                })}
                {": "}
              </span>
              {label(step)}
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function RecipientLayout({
  branding,
  embedded,
  progress,
  wide,
  children,
}: {
  branding: TBranding | null;
  embedded: boolean;
  progress?: ReactNode;
  /** The sign-in step needs the whole width for the remote browser. */
  wide?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div
      className={clsx(
        "flex min-h-dvh flex-col font-sans text-slate-900",
        embedded ? "bg-white" : "bg-slate-50",
      )}
    >
      {embedded ? (
        <div className="flex justify-end px-4 pt-3">
          <LanguageSwitcher />
        </div>
      ) : (
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl items-center justify-between gap-3 px-4 py-3">
            <div className="flex min-w-0 items-center gap-3">
              {branding?.logoUrl ? (
                <img
                  src={branding.logoUrl}
                  alt={branding.displayName}
                  className="h-9 max-w-40 object-contain"
                />
              ) : branding ? (
                <span
                  className="grid size-9 shrink-0 place-items-center rounded-md bg-brand text-lg font-semibold text-[var(--brand-on,#fff)]"
                  aria-hidden="true"
                >
                  {branding.displayName.slice(0, 1).toUpperCase()}
                </span>
              ) : null}
              {branding && !branding.logoUrl ? (
                <span className="truncate font-semibold">{branding.displayName}</span>
              ) : null}
            </div>
            <LanguageSwitcher />
          </div>
        </header>
      )}
      <main
        className={clsx(
          "mx-auto flex w-full flex-1 flex-col gap-5 px-4",
          embedded ? "py-3" : "py-6 sm:py-8",
          wide ? "max-w-5xl" : "max-w-2xl",
        )}
      >
        {progress}
        {children}
      </main>
      {!embedded && branding && !branding.whiteLabel ? (
        <footer className="py-4 text-center text-xs text-slate-600">{t("meta.poweredBy")}</footer>
      ) : null}
    </div>
  );
}
