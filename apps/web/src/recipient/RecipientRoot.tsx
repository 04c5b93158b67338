// Entry of the recipient pages (`/p/i/:token/*`), loaded lazily so admin pages never
// download it and recipients never download the admin app. Routes: the flow itself, and
// `verify?v=` (the link of the verification email, confirmed with a click).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { Route, Routes, useNavigate, useParams } from "react-router";
import { useTRPC } from "../lib/trpc";
import { deadLinkCodeOf, recipientMessage } from "./api";
import { useBranding, useDocumentBranding } from "./brand";
import { ErrorPage } from "./ErrorPage";
import { claimedEmbedOrigin, isEmbedded } from "./embed";
import { Flow } from "./Flow";
import { createRecipientI18n } from "./i18n";
import { RecipientLayout } from "./Layout";
import { announceHere } from "./otherTab";
import { Alert, Button, Spinner, StepHeading } from "./ui";

export function RecipientRoot() {
  const [i18n] = useState(createRecipientI18n);
  useEffect(() => {
    const sync = (language: string) => {
      document.documentElement.lang = language.slice(0, 2);
    };
    sync(i18n.resolvedLanguage ?? i18n.language);
    i18n.on("languageChanged", sync);
    return () => i18n.off("languageChanged", sync);
  }, [i18n]);
  return (
    <I18nextProvider i18n={i18n}>
      <Routes>
        <Route index element={<FlowPage />} />
        <Route path="verify" element={<VerifyLinkPage />} />
        <Route path="*" element={<FlowPage />} />
      </Routes>
    </I18nextProvider>
  );
}

export default RecipientRoot;

function FlowPage() {
  const { token = "" } = useParams();
  // The proof (`?r=`) is read once, then dropped from the address bar so it does not
  // linger in history or get shared along with a screenshot of the URL.
  const [initial] = useState(() => {
    const params = new URLSearchParams(window.location.search);
    return {
      proof: params.get("r") ?? undefined,
      embedded: isEmbedded(window.location.search),
      embedOrigin: claimedEmbedOrigin(window.location.search),
    };
  });
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has("r")) {
      url.searchParams.delete("r");
      window.history.replaceState(window.history.state, "", url);
    }
  }, []);
  return (
    <Flow
      token={token}
      proof={initial.proof}
      embedded={initial.embedded}
      embedOrigin={initial.embedOrigin}
    />
  );
}

/**
 * `/p/i/:token/verify?v=code`: a click on "Continue" confirms the address for THIS
 * browser, then continues the flow here. Never on load: mail scanners open (and may
 * render) every link in an email, and must not verify anything.
 */
function VerifyLinkPage() {
  const { token = "" } = useParams();
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const embedded = isEmbedded(window.location.search);
  const verify = useMutation(trpc.recipient.verifyEmail.mutationOptions());
  // The link's company, to wear its branding here too (the same as its dead-link page).
  const link = useQuery({
    ...trpc.recipient.deadLink.queryOptions({ token }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const branding = link.data?.company ?? null;
  useBranding(branding);
  useDocumentBranding(
    branding,
    branding ? t("meta.title", { company: branding.displayName }) : t("meta.titleNeutral"),
  );
  const [code] = useState(() => new URLSearchParams(window.location.search).get("v") ?? "");
  const confirm = () =>
    verify.mutate(
      { token, code },
      {
        onSuccess: () => {
          // The tab that asked for the email is still open: it now says "continued here".
          announceHere(token);
          void navigate(`/p/i/${encodeURIComponent(token)}${embedded ? "?embed=1" : ""}`, {
            replace: true,
          });
        },
      },
    );

  const dead = verify.error ? deadLinkCodeOf(verify.error) : null;
  return (
    <RecipientLayout branding={branding} embedded={embedded}>
      {dead ? (
        <ErrorPage kind={dead} />
      ) : verify.error ? (
        <section className="flex flex-col gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
          <StepHeading>{t("verify.failed")}</StepHeading>
          <Alert>{recipientMessage(verify.error, t) ?? t("errors.unknown.body")}</Alert>
          <div>
            <Button
              onClick={() =>
                void navigate(`/p/i/${encodeURIComponent(token)}${embedded ? "?embed=1" : ""}`, {
                  replace: true,
                })
              }
            >
              {t("verify.backToInvitation")}
            </Button>
          </div>
        </section>
      ) : verify.isPending || verify.isSuccess ? (
        <div className="grid flex-1 place-items-center py-16">
          <Spinner label={t("verify.verifying")} />
        </div>
      ) : (
        <section className="flex flex-col gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
          <StepHeading>{t("verify.heading")}</StepHeading>
          <div>
            <Button onClick={confirm}>{t("common.continue")}</Button>
          </div>
        </section>
      )}
    </RecipientLayout>
  );
}
