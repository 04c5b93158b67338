import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, StepHeading } from "../ui";

/**
 * After a live sign-in to a utility that sends one-time codes: weekly automatic
 * collection needs those codes forwarded, often by whoever holds the phone.
 */
export function MfaStep({
  provider,
  company,
  channel,
  forwardingAddress,
  onContinue,
}: {
  provider: string;
  company: string;
  channel: string;
  forwardingAddress: string | null;
  onContinue: () => void;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const vars = { provider, company };
  const showSms = channel !== "email";
  const showEmail = channel !== "sms";
  const address = forwardingAddress ?? t("mfa.mailAddressLater", vars);
  const mailto = `mailto:?subject=${encodeURIComponent(t("mfa.mailSubject", vars))}&body=${encodeURIComponent(
    t("mfa.mailBody", { ...vars, address }),
  )}`;

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>{t("mfa.heading")}</StepHeading>
      <p className="text-slate-700">{t("mfa.intro", vars)}</p>
      <div>
        <h2 className="font-semibold">{t("mfa.how")}</h2>
        <ul className="mt-2 list-disc space-y-2 pl-5 text-slate-700">
          {showSms ? <li>{t("mfa.smsStep", vars)}</li> : null}
          {showEmail ? <li>{t("mfa.emailStep", vars)}</li> : null}
        </ul>
      </div>
      <div className="rounded-md bg-slate-50 p-4">
        <p className="text-sm font-medium text-slate-700">{t("mfa.address")}</p>
        {forwardingAddress ? (
          <div className="mt-1 flex flex-wrap items-center gap-3">
            <code
              className="break-all text-base font-semibold text-slate-900"
              data-testid="forwarding-address"
            >
              {forwardingAddress}
            </code>
            <Button
              variant="secondary"
              className="min-h-9 px-3 py-1 text-sm"
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(forwardingAddress)
                  .then(() => setCopied(true))
                  .catch(() => undefined);
              }}
            >
              {copied ? t("mfa.copied") : t("mfa.copy")}
            </Button>
          </div>
        ) : (
          <p className="mt-1 text-slate-900">{t("mfa.addressLater", vars)}</p>
        )}
      </div>
      <a href={mailto} className="text-slate-800 underline underline-offset-2">
        {t("mfa.colleague")}
      </a>
      <div className="flex flex-wrap items-center gap-4">
        <Button onClick={onContinue}>{t("mfa.continue")}</Button>
        <Button variant="secondary" onClick={onContinue}>
          {t("mfa.skip")}
        </Button>
      </div>
    </section>
  );
}
