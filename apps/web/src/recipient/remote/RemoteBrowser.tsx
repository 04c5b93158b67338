// The live remote browser: the utility's real sign-in page, streamed as JPEG frames onto
// a canvas, with our own address bar so the recipient sees which site they are typing
// into. The session (start, stream, frames, what the worker says) is useRemoteSession;
// the recipient's keyboard, mouse and touch are useRemoteInput; this file lays them out.
import type { TLoginOutcome, TSessionEndReason, TViewport } from "@meterlink/shared/stream";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { AddressBar } from "./AddressBar";
import { PageDialog } from "./PageDialog";
import { StageBanners } from "./StageBanners";
import { useRemoteInput } from "./useRemoteInput";
import { useRemoteSession } from "./useRemoteSession";

export { viewportForStage } from "./useRemoteSession";

export type TRemoteBrowserProps = {
  providerName: string;
  /** Starts a session sized to the stage; resolves its stream URL, or null if it could not start. */
  start: (viewport: TViewport, signal: AbortSignal) => Promise<string | null>;
  /** A fresh stream URL for the same session after a drop; null when it has ended. */
  reconnectUrl?: () => Promise<string | null>;
  onOutcome: (outcome: TLoginOutcome) => void;
  onEnded?: (reason: TSessionEndReason | "lost") => void;
  /** Covers the stage with a message (queue position, "signed in, one moment"). */
  busyOverlay?: string | null;
};

export function RemoteBrowser({
  providerName,
  start,
  reconnectUrl,
  onOutcome,
  onEnded,
  busyOverlay,
}: TRemoteBrowserProps) {
  const { t } = useTranslation();
  const session = useRemoteSession({
    start,
    onOutcome,
    ...(reconnectUrl ? { reconnectUrl } : {}),
    ...(onEnded ? { onEnded } : {}),
  });
  const input = useRemoteInput(session);
  const [promptText, setPromptText] = useState("");
  const { status, end, endReason, hasFrame, page, outcome, dialog } = session;
  useEffect(() => setPromptText(dialog?.defaultValue ?? ""), [dialog]);

  const url = page?.url ? safeUrl(page.url) : null;
  // A sign-in that succeeded ends its session on purpose: "Signed in, one moment" stays,
  // the "ended, start again" screen must not flash over it.
  const signedIn = outcome === "success" || endReason === "completed";
  const showEnded = status === "failed" || (status === "ended" && !signedIn && !busyOverlay);
  const endedMessage =
    end === "replaced"
      ? t("signIn.replaced")
      : end === "worker_lost"
        ? t("signIn.workerLost")
        : t("signIn.ended");
  const overlay =
    busyOverlay ??
    (status === "reconnecting"
      ? t("signIn.reconnecting")
      : !hasFrame && status !== "ended" && status !== "failed"
        ? t("signIn.starting")
        : null);

  const answerDialog = (accept: boolean) => {
    if (!dialog) return;
    session.send({
      type: "dialogAnswer",
      dialogId: dialog.dialogId,
      accept,
      ...(dialog.dialogType === "prompt" && accept ? { promptText } : {}),
    });
    session.setDialog(null);
    input.focusInput();
  };

  return (
    <div className="flex h-full min-h-0 flex-col overflow-hidden rounded-lg border border-slate-300 bg-white">
      <AddressBar
        url={url}
        loading={page?.loading ?? false}
        live={status === "live"}
        onNavigate={(action) => session.send({ type: "navigate", action })}
      />
      <StageBanners
        notice={session.notice}
        outcome={outcome}
        failures={session.failures}
        providerName={providerName}
        onSignedInAnswer={(signedIn) => {
          session.send({ type: "signedInAnswer", signedIn });
          session.setOutcome(null);
          if (!signedIn) input.focusInput();
        }}
      />
      <div
        ref={session.stageRef}
        className="relative min-h-0 flex-1 bg-slate-100 focus-within:outline-2 focus-within:-outline-offset-2 focus-within:outline-brand"
      >
        <canvas
          ref={session.canvasRef}
          className="absolute inset-0 size-full touch-none select-none"
          {...input.canvas}
          data-testid="remote-canvas"
        />
        <textarea
          ref={input.inputRef}
          aria-label={t("signIn.canvasLabel", { provider: providerName })}
          className="absolute top-0 left-0 size-px scroll-my-4 resize-none overflow-hidden border-0 bg-transparent p-0 text-base text-transparent caret-transparent opacity-0"
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          {...input.keyboard}
          data-testid="remote-input"
        />
        {overlay ? (
          <div
            className="absolute inset-0 grid place-items-center bg-white/70 p-4 text-center"
            role="status"
            aria-live="polite"
          >
            <span className="flex items-center gap-2 text-slate-800">
              <span className="size-4 animate-spin rounded-full border-2 border-brand border-t-transparent" />
              {overlay}
            </span>
          </div>
        ) : null}
        {showEnded ? (
          <div className="absolute inset-0 grid place-items-center bg-white/90 p-4 text-center">
            <div>
              <p className="font-medium text-slate-900" role="status">
                {status === "failed" ? t("signIn.unavailable") : endedMessage}
              </p>
              <button
                type="button"
                className="mt-3 rounded-md bg-brand px-4 py-2 font-medium text-[var(--brand-on,#fff)]"
                onClick={session.restart}
              >
                {t("signIn.restart")}
              </button>
            </div>
          </div>
        ) : null}
      </div>

      <PageDialog
        dialog={dialog}
        origin={url?.host ?? providerName}
        promptText={promptText}
        setPromptText={setPromptText}
        onAnswer={answerDialog}
      />
    </div>
  );
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
