// Sign-in: the live remote browser for a catalog utility or a website address the
// recipient typed (an unlisted utility, restricted to its domain), manual entry otherwise
// or on request. A live sign-in counts once the API confirms it (`loginStatus`), because the
// API, not the page, holds the sealed credential that `complete` will use.
import type { TLoginOutcome, TViewport } from "@meterlink/shared/stream";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { appCodeOf } from "../../lib/errors";
import { useTRPCClient } from "../../lib/trpc";
import { isLiveLoginMissing, recipientMessage } from "../api";
import { postToParent } from "../embed";
import { RemoteBrowser } from "../remote/RemoteBrowser";
import type { TCredential, TProviderChoice, TSignedIn } from "../types";
import { Alert, Button, StepHeading } from "../ui";
import { HandoffOffer } from "./HandoffOffer";
import { ManualCredentialForm } from "./ManualCredentialForm";

const STATUS_POLL_MS = 3000;

export function SignInStep({
  token,
  provider,
  liveWithoutProvider = false,
  company,
  busy,
  error,
  fieldErrors,
  onSignedIn,
  onDeadLink,
  onCheckState,
}: {
  token: string;
  provider: TProviderChoice;
  /** Reconnect links: the API knows the connection's utility, so the browser can start. */
  liveWithoutProvider?: boolean;
  company: string;
  busy: boolean;
  error: string | null;
  fieldErrors?: Record<string, string>;
  onSignedIn: (result: TSignedIn) => void;
  /** Shows the link's final page when the error says it is dead; true if it did. */
  onDeadLink: (error: unknown) => boolean;
  /** Asks whether the link still works (before manual entry asks for a password). */
  onCheckState: () => void;
}) {
  const { t } = useTranslation();
  const canGoLive = provider.kind !== "manual" || liveWithoutProvider;
  // An unlisted utility is named by the domain the secure browser is restricted to.
  const shownName = provider.kind === "unlisted" ? provider.domain : provider.name;
  const [mode, setMode] = useState<"live" | "manual">(canGoLive ? "live" : "manual");
  const [queue, setQueue] = useState<{ position: number; waitMs: number } | null>(null);
  const client = useTRPCClient();
  const mountedRef = useRef(true);
  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
    };
  }, []);
  const [liveUnavailable, setLiveUnavailable] = useState(false);
  const [fleetBusy, setFleetBusy] = useState<string | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const sessionRef = useRef<string | null>(null);
  // The live session, for handing it to a colleague; and who has it then.
  const [liveId, setLiveId] = useState<string | null>(null);
  const [handedTo, setHandedTo] = useState<string | null>(null);
  const doneRef = useRef(false);
  const onSignedInRef = useRef(onSignedIn);
  onSignedInRef.current = onSignedIn;

  const endSession = useCallback(() => {
    const loginSessionId = sessionRef.current;
    sessionRef.current = null;
    if (loginSessionId && !doneRef.current) {
      client.recipient.endLogin.mutate({ token, loginSessionId }).catch(() => undefined);
    }
  }, [token, client]);

  // Manual entry asks for a password: first make sure the link can still take it.
  const checkStateRef = useRef(onCheckState);
  checkStateRef.current = onCheckState;
  useEffect(() => {
    if (mode === "manual") checkStateRef.current();
  }, [mode]);

  // Leaving the step (or switching to manual) frees the remote browser at once.
  useEffect(() => endSession, [endSession]);

  // Closing the tab frees it at once too, instead of after the worker's reconnect grace
  // (a beacon is the one request a closing page may still send).
  useEffect(() => {
    const onPageHide = (event: PageTransitionEvent) => {
      const loginSessionId = sessionRef.current;
      if (event.persisted || !loginSessionId || doneRef.current) return;
      const body = new Blob([JSON.stringify({ token, loginSessionId })], {
        type: "application/json",
      });
      navigator.sendBeacon("/trpc/recipient.endLogin", body);
    };
    window.addEventListener("pagehide", onPageHide);
    return () => window.removeEventListener("pagehide", onPageHide);
  }, [token]);

  const confirm = useCallback(async () => {
    const loginSessionId = sessionRef.current;
    if (!loginSessionId || doneRef.current) return false;
    const status = await client.recipient.loginStatus
      .query({ token, loginSessionId })
      .catch(() => null);
    if (status?.outcome !== "success" || doneRef.current) return false;
    doneRef.current = true;
    onSignedInRef.current({
      credential: { method: "live", loginSessionId },
      mfa: status.mfa,
      forwardingAddress: status.forwardingAddress,
    });
    return true;
  }, [token, client]);

  // Backstop: the socket's outcome message can be lost on a flaky network.
  useEffect(() => {
    if (mode !== "live") return;
    const timer = setInterval(() => void confirm(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [mode, confirm]);

  const start = useCallback(
    async (viewport: TViewport, signal: AbortSignal): Promise<string | null> => {
      if (!canGoLive) return null;
      // Only a restart ends the current session; a second mount must not end the first.
      if (sessionRef.current) endSession();
      setLiveError(null);
      try {
        let queueId: string | undefined;
        // Bounded: the API answers FLEET_BUSY once the wait passes its limit.
        for (let polls = 0; polls < 600; polls += 1) {
          const answer = await client.recipient.startLogin.mutate({
            token,
            ...(provider.kind === "catalog" ? { providerId: provider.id } : {}),
            ...(provider.kind === "unlisted" ? { unlistedUrl: provider.url } : {}),
            ...(queueId ? { queueId } : {}),
            viewport,
          });
          if (answer.status === "started") {
            if (signal.aborted) {
              client.recipient.endLogin
                .mutate({ token, loginSessionId: answer.loginSessionId })
                .catch(() => undefined);
              return null;
            }
            setQueue(null);
            sessionRef.current = answer.loginSessionId;
            setLiveId(answer.loginSessionId);
            return answer.streamUrl;
          }
          queueId = answer.queueId;
          setQueue({ position: answer.position, waitMs: answer.estimatedWaitMs });
          await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs));
          if (!mountedRef.current || signal.aborted) return null;
        }
        throw new Error("queue wait exceeded");
      } catch (caught) {
        setQueue(null);
        // A link that died while the recipient was here (expired, revoked, used up in
        // another tab) is said at once, never disguised as "the browser is unavailable".
        if (onDeadLink(caught)) return null;
        if (isLiveLoginMissing(caught)) {
          setLiveUnavailable(true);
          setMode("manual");
        } else if (appCodeOf(caught) === "FLEET_BUSY") {
          postToParent({ type: "error", code: "FLEET_BUSY" });
          setFleetBusy(recipientMessage(caught, t) ?? "");
        } else if (appCodeOf(caught) === "LIMIT_REACHED" || appCodeOf(caught) === "RATE_LIMITED") {
          setLiveError(recipientMessage(caught, t) ?? t("signIn.unavailable"));
        } else {
          setLiveError(t("signIn.unavailable"));
        }
        return null;
      }
    },
    [provider, token, endSession, t, canGoLive, client, onDeadLink],
  );

  const reconnectUrl = useCallback(async () => {
    const loginSessionId = sessionRef.current;
    if (!loginSessionId) return null;
    const answer = await client.recipient.reconnectLogin
      .mutate({ token, loginSessionId })
      .catch(() => null);
    return answer?.streamUrl ?? null;
  }, [token, client]);

  const onOutcome = useCallback(
    (outcome: TLoginOutcome) => {
      if (outcome !== "success") return;
      setConfirming(true);
      // The worker tells the API a moment after it tells us: retry briefly.
      void (async () => {
        for (let tries = 0; tries < 10 && !doneRef.current; tries += 1) {
          if (await confirm()) return;
          await new Promise((resolve) => setTimeout(resolve, 700));
        }
      })();
    },
    [confirm],
  );

  const manualFooter =
    canGoLive && !liveUnavailable ? (
      <div>
        <Button
          variant="link"
          onClick={() => {
            setFleetBusy(null);
            setMode("live");
          }}
        >
          {t("signIn.switchLive")}
        </Button>
      </div>
    ) : null;

  if (mode === "manual") {
    return (
      <div className="flex flex-col gap-4">
        {liveUnavailable ? <Alert tone="info">{t("signIn.unavailable")}</Alert> : null}
        <ManualCredentialForm
          provider={provider.kind === "manual" && provider.generic ? null : provider.name}
          company={company}
          busy={busy}
          error={error}
          fieldErrors={fieldErrors}
          footer={manualFooter}
          onSubmit={(credential: TCredential) =>
            // A utility that sends codes needs them forwarded however the password came in.
            onSignedIn({
              credential,
              mfa: provider.kind === "catalog" && provider.mfa !== "none",
              forwardingAddress: null,
            })
          }
        />
      </div>
    );
  }

  const switchToManual = (
    <Button
      variant="link"
      onClick={() => {
        endSession();
        setMode("manual");
      }}
    >
      {t("signIn.switchManual")}
    </Button>
  );

  if (fleetBusy !== null) {
    return (
      <section className="flex flex-col gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <StepHeading>{t("signIn.fleetBusyHeading")}</StepHeading>
        <p className="text-slate-700">{t("signIn.fleetBusy")}</p>
        <div className="flex flex-wrap items-center gap-4">
          <Button
            onClick={() => {
              setFleetBusy(null);
              setAttempt((value) => value + 1);
            }}
          >
            {t("common.retry")}
          </Button>
          {switchToManual}
        </div>
      </section>
    );
  }

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <StepHeading>{t("signIn.heading", { provider: shownName })}</StepHeading>
        <p className="text-slate-700">
          {provider.kind === "unlisted"
            ? t("signIn.unlistedIntro", { domain: provider.domain })
            : t("signIn.intro", { provider: provider.name })}
        </p>
      </div>
      {liveError ? <Alert>{liveError}</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      <div className="h-[max(420px,min(72dvh,760px))]">
        <RemoteBrowser
          key={attempt}
          providerName={shownName}
          start={start}
          reconnectUrl={reconnectUrl}
          onOutcome={onOutcome}
          busyOverlay={
            confirming || busy
              ? t("signIn.success")
              : handedTo
                ? t("handoff.handedTo", { name: handedTo })
                : queue
                  ? `${t("signIn.queued", { position: queue.position })} ${
                      queue.waitMs < 60_000
                        ? t("signIn.queueSoon")
                        : t("signIn.queueMinutes", { count: Math.ceil(queue.waitMs / 60_000) })
                    }`
                  : null
          }
        />
      </div>
      {liveId ? (
        <HandoffOffer token={token} loginSessionId={liveId} onHanded={setHandedTo} />
      ) : null}
      <div>{switchToManual}</div>
    </section>
  );
}
