// What the worker tells the recipient above the remote page: a passing notice (a blocked
// address, an input that could not be delivered), the portal's verdict on the sign-in,
// and "are you signed in?" when the page gives no clear sign.
import type { TLoginOutcome } from "@meterlink/shared/stream";
import { useTranslation } from "react-i18next";
import type { TNotice } from "./useRemoteSession";

export function StageBanners({
  notice,
  outcome,
  failures,
  providerName,
  onSignedInAnswer,
}: {
  notice: TNotice | null;
  outcome: TLoginOutcome | null;
  /** Every failure is announced anew (the count is part of the text); "locked" says what to do. */
  failures: { count: number; locked: boolean };
  providerName: string;
  onSignedInAnswer: (signedIn: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {notice ? (
        <p
          role="status"
          className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-sm text-amber-900"
        >
          {t(`notices.${notice.code}`, {
            provider: providerName,
            defaultValue: notice.message,
          })}
        </p>
      ) : null}
      {outcome === "failure" ? (
        <p
          key={failures.count}
          role="alert"
          className="border-b border-red-200 bg-red-50 px-3 py-1.5 text-sm text-red-800"
        >
          {failures.locked
            ? t("signIn.locked", { provider: providerName })
            : failures.count > 1
              ? t("signIn.failureAgain", { count: failures.count })
              : t("signIn.failure")}
        </p>
      ) : null}
      {outcome === "mfa" ? (
        <p
          role="status"
          className="border-b border-sky-200 bg-sky-50 px-3 py-1.5 text-sm text-sky-900"
        >
          {t("signIn.mfa", { provider: providerName })}
        </p>
      ) : null}
      {outcome === "unsure" ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-2 border-b border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900"
        >
          <span className="font-medium">{t("signIn.unsure")}</span>
          <span>{t("signIn.unsureBody")}</span>
          <span className="flex gap-2">
            <button
              type="button"
              className="rounded bg-brand px-3 py-1 font-medium text-[var(--brand-on,#fff)]"
              onClick={() => {
                onSignedInAnswer(true);
              }}
            >
              {t("signIn.yesSignedIn")}
            </button>
            <button
              type="button"
              className="rounded border border-slate-300 bg-white px-3 py-1"
              onClick={() => {
                onSignedInAnswer(false);
              }}
            >
              {t("signIn.notYet")}
            </button>
          </span>
        </div>
      ) : null}
    </>
  );
}
