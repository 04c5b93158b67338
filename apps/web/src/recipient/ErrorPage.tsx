import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useTRPC } from "../lib/trpc";
import { postToParent } from "./embed";
import { Alert, Button, StepHeading } from "./ui";

export type TErrorKind =
  | "INVITATION_EXPIRED"
  | "INVITATION_REVOKED"
  | "INVITATION_FULFILLED"
  | "INVITATION_INVALID"
  | "network"
  | "unknown";

/** A link that exists but can no longer be used: its page names the sender and offers a way on. */
export type TDeadLinkDetails = {
  company: string;
  /** This browser completed the invitation then (ISO time), so it says so. */
  connectedAt: string | null;
};

/** A dead link or a failure: what happened and what to do next, never internals. */
export function ErrorPage({
  kind,
  onRetry,
  token,
  details,
}: {
  kind: TErrorKind;
  onRetry?: () => void;
  /** With `details`: offers "Ask for a new link". */
  token?: string;
  details?: TDeadLinkDetails | null;
}) {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    postToParent({ type: "error", code: kind });
  }, [kind]);
  const connectedAt = kind === "INVITATION_FULFILLED" ? details?.connectedAt : null;
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
      {connectedAt ? (
        <>
          <StepHeading>{t("deadLink.connectedTitle")}</StepHeading>
          <p className="text-slate-700">
            {t("deadLink.connectedBody", {
              company: details?.company,
              // The recipient's own language and time zone (the browser's).
              date: new Intl.DateTimeFormat(i18n.language, {
                dateStyle: "long",
                timeStyle: "short",
              }).format(new Date(connectedAt)),
            })}
          </p>
        </>
      ) : (
        <>
          <StepHeading>{t(`errors.${kind}.title`)}</StepHeading>
          {details ? (
            <p className="font-medium text-slate-900">
              {t("deadLink.from", { company: details.company })}
            </p>
          ) : null}
          <p className="text-slate-700">{t(`errors.${kind}.body`)}</p>
          {details && token ? <AskNewLink token={token} /> : null}
        </>
      )}
      {onRetry ? (
        <div>
          <Button onClick={onRetry}>{t("common.retry")}</Button>
        </div>
      ) : null}
    </section>
  );
}

function AskNewLink({ token }: { token: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const ask = useMutation(trpc.recipient.requestNewLink.mutationOptions());
  if (ask.isSuccess) return <Alert tone="info">{t("deadLink.asked")}</Alert>;
  return (
    <div className="flex flex-col gap-3">
      {ask.isError ? <Alert>{t("errors.unknown.body")}</Alert> : null}
      <div>
        <Button busy={ask.isPending} disabled={ask.isPending} onClick={() => ask.mutate({ token })}>
          {t("deadLink.ask")}
        </Button>
      </div>
    </div>
  );
}
