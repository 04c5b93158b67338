import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ActionBar, Alert, Button, StepHeading } from "../ui";

/** Who is asking, what will happen, how the password is protected; consent before anything. */
export function ConsentStep({
  company,
  kind,
  reconnect,
  message,
  messageFrom,
  expiresAt,
  busy,
  error,
  onConsent,
}: {
  company: string;
  kind: "contributor" | "reconnect";
  /** The connection a reconnect link is for, and why it needs signing in again. */
  reconnect: { providerName: string; reason: string | null } | null;
  message: string | null;
  /** Who wrote the message (the admin's name, as the email says); else the company. */
  messageFrom: string | null;
  expiresAt: string | null;
  busy: boolean;
  error: string | null;
  onConsent: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [agreed, setAgreed] = useState(false);
  const [showMustAgree, setShowMustAgree] = useState(false);
  const checkboxId = useId();
  const vars = { company };
  const expiry = expiresAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: "long", timeStyle: "short" }).format(
        new Date(expiresAt),
      )
    : null;

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>
        {kind === "contributor"
          ? t("consent.heading", vars)
          : reconnect
            ? t("consent.headingReconnectNamed", { ...vars, provider: reconnect.providerName })
            : t("consent.headingReconnect", vars)}
      </StepHeading>
      {reconnect?.reason ? (
        <p className="font-medium text-slate-900">
          {t("consent.reconnectReason", { reason: reconnect.reason })}
        </p>
      ) : null}
      <p className="text-slate-700">{t("consent.intro", vars)}</p>
      {message ? (
        <figure className="rounded-md border-l-4 border-brand bg-slate-50 px-4 py-3">
          <figcaption className="text-sm font-medium text-slate-700">
            {t("consent.messageFrom", { company: messageFrom ?? company })}
          </figcaption>
          <blockquote className="mt-1 whitespace-pre-wrap text-slate-900">{message}</blockquote>
        </figure>
      ) : null}
      <div>
        <h2 className="font-semibold">{t("consent.whatHappens")}</h2>
        <ol className="mt-2 list-decimal space-y-1 pl-5 text-slate-700">
          <li>{t("consent.step1", vars)}</li>
          {kind === "contributor" ? <li>{t("consent.step2", vars)}</li> : null}
          <li>{t("consent.step3", vars)}</li>
        </ol>
        <p className="mt-2 text-sm font-medium text-slate-800">{t("consent.duration")}</p>
      </div>
      <div className="rounded-md bg-slate-50 p-4">
        <h2 className="flex items-center gap-2 font-semibold">
          <svg
            viewBox="0 0 20 20"
            className="size-5 text-brand"
            fill="currentColor"
            aria-hidden="true"
          >
            <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm-2 6V6a2 2 0 1 1 4 0v2H8Z" />
          </svg>
          {t("consent.safetyHeading")}
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>{t("consent.safety1", vars)}</li>
          <li>{t("consent.safety2")}</li>
          <li>{t("consent.safety3", vars)}</li>
        </ul>
      </div>
      {expiry ? (
        <p className="text-sm text-slate-600">{t("consent.expires", { date: expiry })}</p>
      ) : null}
      <form
        id={`${checkboxId}-form`}
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (!agreed) {
            setShowMustAgree(true);
            return;
          }
          onConsent();
        }}
      >
        <div className="flex items-start gap-3">
          <input
            id={checkboxId}
            type="checkbox"
            className="mt-1 size-5 shrink-0 accent-[var(--color-brand)]"
            checked={agreed}
            aria-describedby={showMustAgree && !agreed ? `${checkboxId}-error` : undefined}
            onChange={(event) => {
              setAgreed(event.target.checked);
              setShowMustAgree(false);
            }}
          />
          <label htmlFor={checkboxId} className="text-slate-900">
            {t("consent.checkbox", vars)}
          </label>
        </div>
        {showMustAgree && !agreed ? (
          <p id={`${checkboxId}-error`} className="text-sm text-red-700" role="alert">
            {t("consent.mustAgree")}
          </p>
        ) : null}
        {error ? <Alert>{error}</Alert> : null}
      </form>
      {/* Outside the short form, so it sticks to the screen over the whole page. */}
      <ActionBar>
        <Button type="submit" form={`${checkboxId}-form`} busy={busy} disabled={busy}>
          {t("consent.start")}
        </Button>
      </ActionBar>
    </section>
  );
}
