// The live remote browser: the utility's real sign-in page, streamed as JPEG frames onto
// a canvas, with our own address bar so the recipient sees which site they are typing
// into. Input goes back as protocol messages: a hidden, focused textarea collects the
// keyboard (it also raises the on-screen keyboard on phones and receives IME and paste),
// pointer events become mouse or touch messages in remote viewport coordinates.
import {
  frameToViewport,
  type TFrameHeader,
  type TLoginOutcome,
  type TServerMessage,
  type TSessionEndReason,
  type TViewport,
} from "@meterlink/shared/stream";
import * as RadixDialog from "@radix-ui/react-dialog";
import clsx from "clsx";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { beforeInputAction, keydownRoute, modifiersOf } from "./keyboard";
import { StreamClient, type TStreamStatus, toWebSocketUrl } from "./stream-client";

export type TRemoteBrowserProps = {
  providerName: string;
  /** Starts a session sized to the stage; resolves its stream URL, or null if it could not start. */
  start: (viewport: TViewport, signal: AbortSignal) => Promise<string | null>;
  /** A fresh stream URL for the same session after a drop; null when it has ended. */
  reconnectUrl?: () => Promise<string | null>;
  onOutcome: (outcome: TLoginOutcome) => void;
  onEnded?: (reason: TSessionEndReason | "lost") => void;
  /** Hides the stage's outcome banners (the parent shows its own, e.g. after success). */
  busyOverlay?: string | null;
};

type TDialog = Extract<TServerMessage, { type: "dialog" }>;
type TDrawRect = { x: number; y: number; width: number; height: number };

const TAP_SLOP_PX = 8;

/** The remote viewport for a stage of this CSS size, within the protocol's limits. */
export function viewportForStage(width: number, height: number, dpr: number): TViewport {
  const clamp = (value: number, min: number, max: number) =>
    Math.round(Math.min(max, Math.max(min, value)));
  return {
    width: clamp(width, 200, 3840),
    height: clamp(height, 200, 2160),
    // Sharper text on retina screens, but never more than 2× the bytes per frame.
    deviceScaleFactor: Math.min(2, Math.max(1, Math.round(dpr * 4) / 4)),
  };
}

function containRect(
  stage: { width: number; height: number },
  frame: { width: number; height: number },
): TDrawRect {
  const scale = Math.min(stage.width / frame.width, stage.height / frame.height);
  const width = frame.width * scale;
  const height = frame.height * scale;
  return { x: (stage.width - width) / 2, y: (stage.height - height) / 2, width, height };
}

export function RemoteBrowser({
  providerName,
  start,
  reconnectUrl,
  onOutcome,
  onEnded,
  busyOverlay,
}: TRemoteBrowserProps) {
  const { t } = useTranslation();
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const clientRef = useRef<StreamClient | null>(null);
  const frameRef = useRef<{ header: TFrameHeader; bitmap: ImageBitmap } | null>(null);
  const drawRectRef = useRef<TDrawRect | null>(null);
  const pressedRef = useRef(new Set<string>());
  const touchRef = useRef<{
    x: number;
    y: number;
    lastX: number;
    lastY: number;
    moved: boolean;
  } | null>(null);
  const [status, setStatus] = useState<TStreamStatus | "starting" | "failed">("starting");
  const [hasFrame, setHasFrame] = useState(false);
  const [page, setPage] = useState<{ url: string; loading: boolean } | null>(null);
  const [outcome, setOutcome] = useState<TLoginOutcome | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<TDialog | null>(null);
  const [promptText, setPromptText] = useState("");
  const [generation, setGeneration] = useState(0);
  const onOutcomeRef = useRef(onOutcome);
  const onEndedRef = useRef(onEnded);
  const startRef = useRef(start);
  const reconnectRef = useRef(reconnectUrl);
  reconnectRef.current = reconnectUrl;
  onOutcomeRef.current = onOutcome;
  onEndedRef.current = onEnded;
  startRef.current = start;

  const paint = useCallback(() => {
    const canvas = canvasRef.current;
    const frame = frameRef.current;
    if (!canvas || !frame) return;
    const context = canvas.getContext("2d");
    if (!context) return;
    const cssWidth = canvas.clientWidth;
    const cssHeight = canvas.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    const backingWidth = Math.round(cssWidth * dpr);
    const backingHeight = Math.round(cssHeight * dpr);
    if (canvas.width !== backingWidth || canvas.height !== backingHeight) {
      canvas.width = backingWidth;
      canvas.height = backingHeight;
    }
    const rect = containRect(
      { width: cssWidth, height: cssHeight },
      { width: frame.bitmap.width, height: frame.bitmap.height },
    );
    drawRectRef.current = rect;
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    context.fillStyle = "#f1f5f9";
    context.fillRect(0, 0, cssWidth, cssHeight);
    context.imageSmoothingQuality = "high";
    context.drawImage(frame.bitmap, rect.x, rect.y, rect.width, rect.height);
  }, []);

  // One session per generation: the first mount, then each "start again".
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the restart trigger.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    let cancelled = false;
    // A session started for a stage that is gone must be ended, not adopted.
    const abort = new AbortController();
    setStatus("starting");
    setHasFrame(false);
    setOutcome(null);
    setPage(null);
    const box = stage.getBoundingClientRect();
    const viewport = viewportForStage(box.width, box.height, window.devicePixelRatio || 1);
    // Deferred a tick: a mount that is immediately undone never starts a browser.
    const timer = setTimeout(
      () =>
        void startRef.current(viewport, abort.signal).then((streamUrl) => {
          if (cancelled) return;
          if (!streamUrl) {
            setStatus("failed");
            return;
          }
          const refresh = async () => {
            const fresh = await reconnectRef.current?.();
            return fresh ? toWebSocketUrl(fresh, window.location.href) : null;
          };
          clientRef.current = new StreamClient(
            toWebSocketUrl(streamUrl, window.location.href),
            {
              onStatus: (next) => {
                setStatus(next);
                if (next === "ended" && !cancelled) onEndedRef.current?.("lost");
              },
              onFrame: (header, bitmap) => {
                frameRef.current?.bitmap.close();
                frameRef.current = { header, bitmap };
                setHasFrame(true);
                paint();
              },
              onMessage: (message) => {
                switch (message.type) {
                  case "page":
                    setPage({ url: message.url, loading: message.loading });
                    return;
                  case "outcome":
                    setOutcome(message.outcome);
                    onOutcomeRef.current(message.outcome);
                    return;
                  case "dialog":
                    setPromptText(message.defaultValue ?? "");
                    setDialog(message);
                    return;
                  case "dialogClosed":
                    setDialog((current) =>
                      current?.dialogId === message.dialogId ? null : current,
                    );
                    return;
                  case "error":
                    setNotice(message.message);
                    return;
                  case "ended":
                    onEndedRef.current?.(message.reason);
                    return;
                  case "ready":
                    return;
                }
              },
            },
            reconnectRef.current ? refresh : undefined,
          );
        }),
      0,
    );
    return () => {
      clearTimeout(timer);
      cancelled = true;
      abort.abort();
      clientRef.current?.close();
      clientRef.current = null;
    };
  }, [generation, paint]);

  // Keep the remote viewport the size of the stage (rotation, window resize, keyboard).
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const observer = new ResizeObserver(() => {
      paint();
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const box = stage.getBoundingClientRect();
        clientRef.current?.send({
          type: "resize",
          viewport: viewportForStage(box.width, box.height, window.devicePixelRatio || 1),
        });
      }, 250);
    });
    observer.observe(stage);
    return () => {
      observer.disconnect();
      if (timer) clearTimeout(timer);
    };
  }, [paint]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  useEffect(() => () => frameRef.current?.bitmap.close(), []);

  const toRemote = useCallback((clientX: number, clientY: number) => {
    const canvas = canvasRef.current;
    const frame = frameRef.current;
    const rect = drawRectRef.current;
    if (!canvas || !frame || !rect) return null;
    const box = canvas.getBoundingClientRect();
    const x = clientX - box.left - rect.x;
    const y = clientY - box.top - rect.y;
    if (x < 0 || y < 0 || x > rect.width || y > rect.height) return null;
    return frameToViewport(frame.header, { x, y }, { width: rect.width, height: rect.height });
  }, []);

  const send = (message: Parameters<StreamClient["send"]>[0]) => clientRef.current?.send(message);
  const focusInput = () => inputRef.current?.focus({ preventScroll: true });

  // Wheel must be a non-passive listener to stop the page from scrolling along.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent) => {
      const point = toRemote(event.clientX, event.clientY);
      if (!point) return;
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      clientRef.current?.send({
        type: "wheel",
        ...point,
        deltaX: event.deltaX * unit,
        deltaY: event.deltaY * unit,
        modifiers: modifiersOf({ ...event, key: "", code: "" }),
      });
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [toRemote]);

  const buttonOf = (button: number) =>
    button === 1 ? "middle" : button === 2 ? "right" : ("left" as const);

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const point = toRemote(event.clientX, event.clientY);
    if (!point) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    if (event.pointerType === "touch") {
      touchRef.current = {
        x: event.clientX,
        y: event.clientY,
        lastX: event.clientX,
        lastY: event.clientY,
        moved: false,
      };
      return;
    }
    focusInput();
    send({
      type: "mouse",
      action: "down",
      ...point,
      button: buttonOf(event.button),
      clickCount: Math.min(3, Math.max(1, event.detail || 1)),
      modifiers: modifiersOf({ ...event, key: "", code: "" }),
    });
  };

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const point = toRemote(event.clientX, event.clientY);
    if (!point) return;
    const touch = touchRef.current;
    if (event.pointerType === "touch") {
      if (!touch) return;
      if (
        !touch.moved &&
        Math.hypot(event.clientX - touch.x, event.clientY - touch.y) < TAP_SLOP_PX
      )
        return;
      touch.moved = true;
      const rect = drawRectRef.current;
      const frame = frameRef.current;
      const scale = rect && frame ? frame.header.deviceWidth / rect.width : 1;
      send({
        type: "touch",
        action: "scroll",
        ...point,
        deltaX: (event.clientX - touch.lastX) * scale,
        deltaY: (event.clientY - touch.lastY) * scale,
      });
      touch.lastX = event.clientX;
      touch.lastY = event.clientY;
      return;
    }
    send({ type: "mouse", action: "move", ...point, button: "none" });
  };

  const onPointerUp = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const point = toRemote(event.clientX, event.clientY);
    if (event.pointerType === "touch") {
      const touch = touchRef.current;
      touchRef.current = null;
      // A tap is a click where the finger landed: dependable on every page, unlike
      // synthesized touch gestures. Focusing here, inside the tap, raises the keyboard.
      if (touch && !touch.moved && point) {
        focusInput();
        send({ type: "mouse", action: "click", ...point, button: "left", clickCount: 1 });
      }
      return;
    }
    if (!point) return;
    send({
      type: "mouse",
      action: "up",
      ...point,
      button: buttonOf(event.button),
      clickCount: Math.min(3, Math.max(1, event.detail || 1)),
      modifiers: modifiersOf({ ...event, key: "", code: "" }),
    });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    const native = event.nativeEvent;
    const route = keydownRoute({
      key: event.key,
      code: event.code,
      keyCode: native.keyCode,
      isComposing: native.isComposing,
      altKey: event.altKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      shiftKey: event.shiftKey,
    });
    if (route !== "forward") return;
    event.preventDefault();
    pressedRef.current.add(event.code || event.key);
    send({
      type: "key",
      action: "down",
      key: event.key,
      code: event.code,
      modifiers: modifiersOf(event),
      repeat: event.repeat,
    });
  };

  const onKeyUp = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    const id = event.code || event.key;
    if (!pressedRef.current.delete(id)) return;
    event.preventDefault();
    send({
      type: "key",
      action: "up",
      key: event.key,
      code: event.code,
      modifiers: modifiersOf(event),
    });
  };

  const onBeforeInput = (event: React.FormEvent<HTMLTextAreaElement>) => {
    const native = event.nativeEvent as InputEvent;
    if (native.isComposing) return;
    const action = beforeInputAction(native.inputType, native.data);
    if (!action) return;
    event.preventDefault();
    if (action.kind === "text") send({ type: "insertText", text: action.text });
    else {
      send({ type: "key", action: "down", key: action.key, code: action.code });
      send({ type: "key", action: "up", key: action.key, code: action.code });
    }
  };

  const clearInput = () => {
    if (inputRef.current) inputRef.current.value = "";
  };

  const answerDialog = (accept: boolean) => {
    if (!dialog) return;
    send({
      type: "dialogAnswer",
      dialogId: dialog.dialogId,
      accept,
      ...(dialog.dialogType === "prompt" && accept ? { promptText } : {}),
    });
    setDialog(null);
    focusInput();
  };

  const url = page?.url ? safeUrl(page.url) : null;
  const secure = url?.protocol === "https:";
  const overlay =
    busyOverlay ??
    (status === "reconnecting"
      ? t("signIn.reconnecting")
      : !hasFrame && status !== "ended" && status !== "failed"
        ? t("signIn.starting")
        : null);

  return (
    <div className="flex h-full min-h-0 flex-col overflow-hidden rounded-lg border border-slate-300 bg-white">
      <div className="flex items-center gap-1 border-b border-slate-200 bg-slate-50 px-2 py-1.5">
        <button
          type="button"
          className="grid size-8 shrink-0 place-items-center rounded text-slate-700 hover:bg-slate-200 disabled:opacity-40"
          onClick={() => send({ type: "navigate", action: "back" })}
          disabled={status !== "live"}
          aria-label={t("signIn.back")}
          title={t("signIn.back")}
        >
          <svg viewBox="0 0 20 20" className="size-4" aria-hidden="true" fill="currentColor">
            <path d="M12.7 4.3a1 1 0 0 1 0 1.4L8.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4l-5-5a1 1 0 0 1 0-1.4l5-5a1 1 0 0 1 1.4 0Z" />
          </svg>
        </button>
        <button
          type="button"
          className="grid size-8 shrink-0 place-items-center rounded text-slate-700 hover:bg-slate-200 disabled:opacity-40"
          onClick={() => send({ type: "navigate", action: "reload" })}
          disabled={status !== "live"}
          aria-label={t("signIn.reload")}
          title={t("signIn.reload")}
        >
          <svg
            viewBox="0 0 20 20"
            className={clsx("size-4", page?.loading && "animate-spin")}
            aria-hidden="true"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="M16 10a6 6 0 1 1-1.8-4.3M16 3v4h-4" strokeLinecap="round" />
          </svg>
        </button>
        <div className="flex min-w-0 flex-1 items-center gap-1.5 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm">
          <span className="sr-only">{t("signIn.address")}: </span>
          {url ? (
            <>
              <span
                className={clsx("shrink-0", secure ? "text-green-700" : "text-slate-600")}
                title={secure ? t("signIn.secure") : t("signIn.notSecure")}
              >
                {secure ? (
                  <svg
                    viewBox="0 0 20 20"
                    className="size-4"
                    fill="currentColor"
                    aria-hidden="true"
                  >
                    <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm-2 6V6a2 2 0 1 1 4 0v2H8Z" />
                  </svg>
                ) : (
                  <svg
                    viewBox="0 0 20 20"
                    className="size-4"
                    fill="currentColor"
                    aria-hidden="true"
                  >
                    <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-1 4h2v5H9V6Zm0 7h2v2H9v-2Z" />
                  </svg>
                )}
                <span className="sr-only">
                  {secure ? t("signIn.secure") : t("signIn.notSecure")}
                </span>
              </span>
              <span className="truncate" data-testid="remote-url">
                <span className="font-medium text-slate-900">{url.host}</span>
                <span className="text-slate-600">{url.pathname === "/" ? "" : url.pathname}</span>
              </span>
            </>
          ) : (
            <span className="text-slate-600">…</span>
          )}
        </div>
      </div>

      {notice ? (
        <p
          role="status"
          className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-sm text-amber-900"
        >
          {notice}
        </p>
      ) : null}
      {outcome === "failure" ? (
        <p
          role="alert"
          className="border-b border-red-200 bg-red-50 px-3 py-1.5 text-sm text-red-800"
        >
          {t("signIn.failure")}
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
                send({ type: "signedInAnswer", signedIn: true });
                setOutcome(null);
              }}
            >
              {t("signIn.yesSignedIn")}
            </button>
            <button
              type="button"
              className="rounded border border-slate-300 bg-white px-3 py-1"
              onClick={() => {
                send({ type: "signedInAnswer", signedIn: false });
                setOutcome(null);
                focusInput();
              }}
            >
              {t("signIn.notYet")}
            </button>
          </span>
        </div>
      ) : null}

      <div
        ref={stageRef}
        className="relative min-h-0 flex-1 bg-slate-100 focus-within:outline-2 focus-within:-outline-offset-2 focus-within:outline-brand"
      >
        <canvas
          ref={canvasRef}
          className="absolute inset-0 size-full touch-none select-none"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            touchRef.current = null;
          }}
          onContextMenu={(event) => event.preventDefault()}
          data-testid="remote-canvas"
        />
        <textarea
          ref={inputRef}
          aria-label={t("signIn.canvasLabel", { provider: providerName })}
          className="absolute top-0 left-0 size-px resize-none overflow-hidden border-0 bg-transparent p-0 text-base text-transparent caret-transparent opacity-0"
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          onKeyDown={onKeyDown}
          onKeyUp={onKeyUp}
          onBeforeInput={onBeforeInput}
          onInput={(event) => {
            // Whatever the textarea kept outside a composition has already been sent.
            if (!(event.nativeEvent as InputEvent).isComposing) clearInput();
          }}
          onCompositionUpdate={(event) =>
            send({ type: "composition", action: "update", text: event.data })
          }
          onCompositionEnd={(event) => {
            send(
              event.data
                ? { type: "composition", action: "commit", text: event.data }
                : { type: "composition", action: "cancel", text: "" },
            );
            clearInput();
          }}
          onPaste={(event) => {
            event.preventDefault();
            const text = event.clipboardData.getData("text/plain");
            if (text) send({ type: "paste", text: text.slice(0, 65_536) });
          }}
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
        {status === "ended" || status === "failed" ? (
          <div className="absolute inset-0 grid place-items-center bg-white/90 p-4 text-center">
            <div>
              <p className="font-medium text-slate-900" role="status">
                {status === "ended" ? t("signIn.ended") : t("signIn.unavailable")}
              </p>
              <button
                type="button"
                className="mt-3 rounded-md bg-brand px-4 py-2 font-medium text-[var(--brand-on,#fff)]"
                onClick={() => setGeneration((value) => value + 1)}
              >
                {t("signIn.restart")}
              </button>
            </div>
          </div>
        ) : null}
      </div>

      <RadixDialog.Root
        open={dialog !== null}
        onOpenChange={(open) => !open && answerDialog(false)}
      >
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
          <RadixDialog.Content
            className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl"
            aria-describedby={undefined}
          >
            <RadixDialog.Title className="text-sm font-medium text-slate-600">
              {t("signIn.dialogFrom")} ({url?.host ?? providerName})
            </RadixDialog.Title>
            <p className="mt-2 whitespace-pre-wrap text-slate-900">{dialog?.message}</p>
            {dialog?.dialogType === "prompt" ? (
              <input
                className="mt-3 w-full rounded-md border border-slate-300 px-3 py-2"
                value={promptText}
                aria-label={dialog.message || t("signIn.dialogFrom")}
                onChange={(event) => setPromptText(event.target.value)}
              />
            ) : null}
            <div className="mt-5 flex justify-end gap-2">
              {dialog && dialog.dialogType !== "alert" ? (
                <button
                  type="button"
                  className="rounded-md border border-slate-300 px-4 py-2"
                  onClick={() => answerDialog(false)}
                >
                  {t("signIn.dialogCancel")}
                </button>
              ) : null}
              <button
                type="button"
                className="rounded-md bg-brand px-4 py-2 font-medium text-[var(--brand-on,#fff)]"
                onClick={() => answerDialog(true)}
              >
                {t("signIn.dialogOk")}
              </button>
            </div>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
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
