import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { postToParent } from "./embed";
import { Button, StepHeading } from "./ui";

export type TErrorKind =
  | "INVITATION_EXPIRED"
  | "INVITATION_REVOKED"
  | "INVITATION_FULFILLED"
  | "INVITATION_INVALID"
  | "network"
  | "unknown";

/** A dead link or a failure: what happened and what to do next, never internals. */
export function ErrorPage({ kind, onRetry }: { kind: TErrorKind; onRetry?: () => void }) {
  const { t } = useTranslation();
  useEffect(() => {
    postToParent({ type: "error", code: kind });
  }, [kind]);
  return (
    <section
      className="flex flex-col gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8"
      data-error={kind}
    >
      <div className="grid size-12 place-items-center rounded-full bg-slate-100 text-slate-700">
        <svg viewBox="0 0 20 20" className="size-7" fill="currentColor" aria-hidden="true">
          <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-1 4h2v5H9V6Zm0 7h2v2H9v-2Z" />
        </svg>
      </div>
      <StepHeading>{t(`errors.${kind}.title`)}</StepHeading>
      <p className="text-slate-700">{t(`errors.${kind}.body`)}</p>
      {onRetry ? (
        <div>
          <Button onClick={onRetry}>{t("common.retry")}</Button>
        </div>
      ) : null}
    </section>
  );
}
