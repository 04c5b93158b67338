// The recipient flow for one invitation: consent → email verification (restricted links)
// → utility → sign-in (→ MFA forwarding) → sites → done. The server decides where a
// returning browser resumes (consent and verification live on its recipient session);
// everything after that is page state, so an interrupted flow restarts clean.
import type { TUtilityType } from "@meterlink/shared";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorDataOf } from "../lib/errors";
import { useTRPC } from "../lib/trpc";
import { deadLinkCodeOf, isNetworkError, recipientFieldErrors, recipientMessage } from "./api";
import { useBranding, useDocumentBranding } from "./brand";
import { ErrorPage, type TErrorKind } from "./ErrorPage";
import { postToParent } from "./embed";
import { applyInvitationLanguage, currentLanguage } from "./i18n";
import { Progress, RecipientLayout } from "./Layout";
import { useOtherTab } from "./otherTab";
import { ConsentStep } from "./steps/ConsentStep";
import { DoneStep } from "./steps/DoneStep";
import { MfaStep } from "./steps/MfaStep";
import { ProviderStep } from "./steps/ProviderStep";
import { SignInStep } from "./steps/SignInStep";
import { SitesStep, type TDuplicateChoice, type TSitesAnswer } from "./steps/SitesStep";
import { VerifyStep } from "./steps/VerifyStep";
import type { TOpened, TPhase, TProviderChoice, TSignedIn } from "./types";
import { Button, Spinner, StepHeading } from "./ui";
import { useEmbedTarget } from "./useEmbedTarget";
import { useStepHistory } from "./useStepHistory";

const VERIFY_POLL_MS = 3000;
/** How often an open step re-checks the link, for a recipient who just sits on a step. */
const STATE_POLL_MS = 30_000;

const DEAD_STATUS_KINDS: ReadonlySet<TErrorKind> = new Set([
  "INVITATION_EXPIRED",
  "INVITATION_REVOKED",
  "INVITATION_FULFILLED",
]);

function gatePhase(opened: TOpened): TPhase | null {
  if (!opened.consented) return "consent";
  if (opened.verification.required && !opened.verification.verified) return "verify";
  return null;
}

function firstWorkPhase(opened: TOpened): TPhase {
  return opened.kind === "contributor" ? "provider" : "sign-in";
}

function errorKindOf(error: unknown): TErrorKind {
  const dead = deadLinkCodeOf(error);
  if (dead) return dead;
  if (isNetworkError(error)) return "network";
  return "unknown";
}

export function Flow({
  token,
  proof,
  embedded,
  embedOrigin = null,
}: {
  token: string;
  proof: string | undefined;
  embedded: boolean;
  /** The host page's origin as the embed snippet named it (`?origin=`), unchecked. */
  embedOrigin?: string | null;
}) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const [phase, setPhase] = useState<TPhase | null>(null);
  const [verifySentTo, setVerifySentTo] = useState<string | null>(null);
  const [provider, setProvider] = useState<TProviderChoice | null>(null);
  const [signedIn, setSignedIn] = useState<TSignedIn | null>(null);
  const [fatal, setFatal] = useState<TErrorKind | null>(null);
  const [returnUrl, setReturnUrl] = useState<string | null>(null);
  const [billsIn, setBillsIn] = useState<"in" | "none" | null>(null);
  useEmbedTarget(token, embedded ? embedOrigin : null);
  const otherTab = useOtherTab(token);

  const opened = useQuery({
    ...trpc.recipient.open.queryOptions({ token, ...(proof ? { proof } : {}) }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, error) => errorKindOf(error) === "network" && count < 2,
    refetchInterval:
      phase === "verify" && verifySentTo
        ? VERIFY_POLL_MS
        : phase && phase !== "done"
          ? STATE_POLL_MS
          : false,
    // "always": a tab left open comes back to the link's current state (staleTime is ∞).
    refetchOnWindowFocus: phase === "done" ? false : "always",
    enabled: phase !== "done",
  });
  const data = opened.data;
  // The error the page shows instead of a step, if any.
  const shownError: TErrorKind | null =
    fatal ??
    (opened.isError && !data
      ? opened.error.data?.httpStatus === 400
        ? "INVITATION_INVALID"
        : errorKindOf(opened.error)
      : null);
  // A link that exists but is dead still names and wears its company.
  const deadLink = useQuery({
    ...trpc.recipient.deadLink.queryOptions({ token }),
    enabled: shownError !== null && DEAD_STATUS_KINDS.has(shownError),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const branding = data?.company ?? deadLink.data?.company ?? null;
  useBranding(branding);

  // The invitation's language, unless the recipient chose another.
  const invitationLocale = data?.locale ?? deadLink.data?.locale;
  useEffect(() => {
    if (invitationLocale) applyInvitationLanguage(i18n, invitationLocale);
  }, [invitationLocale, i18n]);

  useDocumentBranding(
    branding,
    branding ? t("meta.title", { company: branding.displayName }) : t("meta.titleNeutral"),
  );

  // Where to (re)start, and moving on once verification is noticed (any tab, any device).
  useEffect(() => {
    if (!data) return;
    if (phase === null) {
      postToParent({ type: "ready", kind: data.kind, steps: data.steps });
      setPhase(gatePhase(data) ?? firstWorkPhase(data));
    } else if (phase === "verify" && data.verification.verified) {
      setPhase(gatePhase(data) ?? firstWorkPhase(data));
    }
  }, [data, phase]);

  // Back and Forward move between steps; never before a gate passed, never out of "done".
  useStepHistory(phase, setPhase, (target) => {
    if (!data || phase === "done") return null;
    const gate = gatePhase(data);
    if (gate) return gate;
    if (target === "consent" || target === "verify" || target === "done") {
      return firstWorkPhase(data);
    }
    if (target === "provider" && data.kind !== "contributor") return firstWorkPhase(data);
    if ((target === "mfa" || target === "sites") && !signedIn) return "sign-in";
    return target;
  });

  const steps: readonly string[] = data?.steps ?? [];
  const stepIndex = phase ? steps.indexOf(phase === "mfa" ? "sign-in" : phase) : -1;
  useEffect(() => {
    if (phase) postToParent({ type: "step", step: phase, index: stepIndex, total: steps.length });
  }, [phase, stepIndex, steps.length]);

  // Lets a host page size its iframe to the content.
  const lastHeight = useRef(0);
  useEffect(() => {
    if (!embedded) return;
    const observer = new ResizeObserver(() => {
      const height = Math.ceil(document.documentElement.scrollHeight);
      if (height !== lastHeight.current) {
        lastHeight.current = height;
        postToParent({ type: "resize", height });
      }
    });
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [embedded]);

  const failOnDeadLink = useCallback((error: unknown) => {
    const dead = deadLinkCodeOf(error);
    if (dead) setFatal(dead);
    return Boolean(dead);
  }, []);

  // Every step starts by asking whether the link still works: it can expire, be revoked
  // or be used up in another tab while the recipient reads. A dead link shows its final
  // page before the step asks for anything. `open` is the check (it throws the dead-link
  // error); the first phase comes from the open that just answered, so it is not re-asked.
  const { refetch } = opened;
  const checkState = useCallback(() => void refetch(), [refetch]);
  const checkedPhase = useRef<TPhase | null>(null);
  useEffect(() => {
    const previous = checkedPhase.current;
    checkedPhase.current = phase;
    if (previous !== null && phase !== null && phase !== previous && phase !== "done") {
      checkState();
    }
  }, [phase, checkState]);
  const openError = opened.error;
  useEffect(() => {
    // Completing uses the link up: a check racing the last step must not hide the success.
    if (phase === "done" || !openError) return;
    failOnDeadLink(openError);
  }, [openError, phase, failOnDeadLink]);

  const consent = useMutation(
    trpc.recipient.consent.mutationOptions({
      onSuccess: async () => {
        const fresh = await opened.refetch();
        if (fresh.data) setPhase(gatePhase(fresh.data) ?? firstWorkPhase(fresh.data));
      },
      onError: failOnDeadLink,
    }),
  );
  const requestVerification = useMutation(
    trpc.recipient.requestVerification.mutationOptions({ onError: failOnDeadLink }),
  );
  const complete = useMutation(
    trpc.recipient.complete.mutationOptions({
      onSuccess: (result) => {
        setPhase("done");
        setReturnUrl(result.returnUrl);
        // Active with nothing found (an account with no bills yet) is said as such.
        setBillsIn(result.status === "active" ? (result.firstBills > 0 ? "in" : "none") : null);
        postToParent({ type: "completed", connectionId: result.connectionId });
      },
      onError: failOnDeadLink,
    }),
  );

  const submit = (
    credential: TSignedIn["credential"],
    answer: TSitesAnswer | null,
    // Set once the recipient chose, after being told the account is already connected.
    onDuplicate?: TDuplicateChoice,
  ) => {
    if (!data) return;
    const chosen = provider ?? fallbackProvider(data, t("provider.generic"));
    complete.mutate({
      token,
      provider:
        chosen.kind === "catalog"
          ? { kind: "catalog", providerId: chosen.id }
          : {
              kind: "manual",
              name: chosen.name,
              ...(chosen.url ? { url: chosen.url } : {}),
              ...(chosen.country ? { country: chosen.country } : {}),
            },
      credential,
      siteIds: answer?.siteIds ?? [],
      utilityTypes: answer?.utilityTypes ?? [],
      ownerEmail: answer?.ownerEmail ?? null,
      collectionStartDate: answer?.collectionStartDate ?? null,
      ...(onDuplicate ? { onDuplicate } : {}),
    });
  };

  const afterSignIn = (result: TSignedIn, opened: TOpened) => {
    setSignedIn(result);
    if (result.mfa) setPhase("mfa");
    else if (opened.kind === "contributor") setPhase("sites");
    else submit(result.credential, null);
  };

  const completeError = complete.error && !deadLinkCodeOf(complete.error) ? complete.error : null;
  const completeMessage = completeError
    ? isNetworkError(completeError)
      ? t("errors.network.body")
      : (recipientMessage(completeError, t) ?? t("errors.unknown.body"))
    : null;

  let body: React.ReactNode;
  let wide = false;
  const deadLinkDetails = deadLink.data
    ? { company: deadLink.data.company.displayName, connectedAt: deadLink.data.connectedAt }
    : null;
  if (otherTab.elsewhere && phase !== "done" && !fatal) {
    body = (
      <section className="flex flex-col gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <StepHeading>{t("elsewhere.heading")}</StepHeading>
        <p className="text-slate-700">{t("elsewhere.body")}</p>
        <div>
          <Button variant="secondary" onClick={otherTab.takeOver}>
            {t("elsewhere.here")}
          </Button>
        </div>
      </section>
    );
  } else if (fatal) {
    body = <ErrorPage kind={fatal} token={token} details={deadLinkDetails} />;
  } else if (phase === "done" && data) {
    body = (
      <DoneStep
        company={data.company.displayName}
        provider={nameOf(provider ?? fallbackProvider(data, t("provider.generic")))}
        kind={data.kind}
        collectsNow={
          signedIn?.credential.method === "live" &&
          (provider === null || provider.kind === "catalog")
        }
        returnUrl={returnUrl}
        billsIn={billsIn}
      />
    );
  } else if (shownError) {
    const kind = shownError;
    body = (
      <ErrorPage
        kind={kind}
        token={token}
        details={deadLinkDetails}
        onRetry={kind === "network" || kind === "unknown" ? () => void opened.refetch() : undefined}
      />
    );
  } else if (!data || !phase) {
    body = (
      <div className="grid flex-1 place-items-center py-16">
        <Spinner label={t("common.loading")} />
      </div>
    );
  } else {
    const company = data.company.displayName;
    switch (phase) {
      case "consent":
        body = (
          <ConsentStep
            company={company}
            kind={data.kind}
            reconnect={data.reconnect}
            message={data.message}
            messageFrom={data.messageFrom}
            expiresAt={data.expiresAt}
            busy={consent.isPending}
            error={
              consent.error && !deadLinkCodeOf(consent.error) ? t("errors.unknown.body") : null
            }
            onConsent={() => consent.mutate({ token })}
          />
        );
        break;
      case "verify":
        body = (
          <VerifyStep
            sentTo={verifySentTo}
            busy={requestVerification.isPending}
            error={
              requestVerification.error && !deadLinkCodeOf(requestVerification.error)
                ? (recipientFieldErrors(requestVerification.error, t).email ??
                  recipientMessage(requestVerification.error, t) ??
                  t("errors.unknown.body"))
                : null
            }
            onRequest={(email) =>
              requestVerification.mutate(
                {
                  token,
                  email,
                  // The email speaks the page's language and shows the recipient's time.
                  locale: currentLanguage(i18n),
                  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
                },
                { onSuccess: () => setVerifySentTo(email) },
              )
            }
            onReset={() => setVerifySentTo(null)}
          />
        );
        break;
      case "provider":
        body = (
          <ProviderStep
            token={token}
            company={company}
            prefill={data.prefill}
            onChoose={(choice) => {
              setProvider(choice);
              setPhase("sign-in");
            }}
          />
        );
        break;
      case "sign-in": {
        const chosen = provider ?? fallbackProvider(data, t("provider.generic"));
        wide = chosen.kind !== "manual" || data.kind === "reconnect";
        body = (
          <SignInStep
            token={token}
            provider={chosen}
            liveWithoutProvider={data.kind === "reconnect"}
            company={company}
            busy={complete.isPending}
            error={data.kind === "reconnect" ? completeMessage : null}
            fieldErrors={recipientFieldErrors(completeError, t)}
            onSignedIn={(result) => afterSignIn(result, data)}
            onDeadLink={failOnDeadLink}
            onCheckState={checkState}
          />
        );
        break;
      }
      case "mfa": {
        const chosen = provider ?? fallbackProvider(data, t("provider.generic"));
        body = signedIn ? (
          <MfaStep
            token={token}
            provider={chosen.name}
            company={company}
            channel={chosen.kind === "catalog" ? chosen.mfa : "any"}
            onContinue={() =>
              data.kind === "contributor" ? setPhase("sites") : submit(signedIn.credential, null)
            }
          />
        ) : null;
        break;
      }
      case "sites": {
        // Told it is already connected (#17), the step offers its choices in place, so what
        // the recipient ticked stays ticked and is what gets sent.
        const duplicate = errorDataOf(completeError)?.reason === "alreadyConnected";
        body = signedIn ? (
          <SitesStep
            company={company}
            sites={data.sites}
            prefill={data.prefill}
            defaultUtilityTypes={defaultTypes(provider)}
            defaultOwnerEmail={data.verification.email}
            busy={complete.isPending}
            error={completeMessage}
            fieldErrors={recipientFieldErrors(completeError, t)}
            onSubmit={(answer, onDuplicate) => submit(signedIn.credential, answer, onDuplicate)}
            alreadyConnected={duplicate}
          />
        ) : null;
        break;
      }
    }
  }

  return (
    <RecipientLayout
      branding={branding}
      embedded={embedded}
      wide={wide}
      progress={!fatal && phase ? <Progress steps={steps} current={stepIndex} /> : null}
    >
      {body}
    </RecipientLayout>
  );
}

function fallbackProvider(data: TOpened, genericName: string): TProviderChoice {
  const prefilled = data.prefill.provider;
  if (prefilled) {
    return {
      kind: "catalog",
      id: prefilled.id,
      name: prefilled.name,
      mfa: prefilled.mfa,
      utilityTypes: [],
    };
  }
  // Reconnect links keep the connection's utility server-side; this name is only shown.
  if (data.reconnect) return { kind: "manual", name: data.reconnect.providerName };
  return { kind: "manual", name: genericName, generic: true };
}

function defaultTypes(provider: TProviderChoice | null): TUtilityType[] {
  return provider?.kind === "catalog" ? provider.utilityTypes : [];
}

function nameOf(choice: TProviderChoice): string | null {
  return choice.kind === "manual" && choice.generic ? null : choice.name;
}
