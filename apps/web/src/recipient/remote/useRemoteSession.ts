// One remote browser session seen from the page: starts it sized to the stage, opens its
// stream (reconnecting through fresh tickets), paints the newest frame onto the canvas,
// keeps the remote viewport the size of the stage, and holds what the worker tells us
// (address, outcome, notices, page dialogs). "Start again" is a new generation.
import {
  type TFrameHeader,
  type TLoginOutcome,
  type TServerMessage,
  type TSessionEndReason,
  type TViewport,
  VIEWPORT_LIMITS,
} from "@meterlink/shared/stream";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  BrowserStream,
  type TStreamEnd,
  type TStreamStatus,
  toWebSocketUrl,
} from "./browser-stream";

export type TDialog = Extract<TServerMessage, { type: "dialog" }>;
export type TRemoteFocus = Extract<TServerMessage, { type: "focus" }>["box"];
/** A passing notice from the worker; its `code` picks the words in the page's language. */
export type TNotice = Extract<TServerMessage, { type: "error" }>;
export type TDrawRect = { x: number; y: number; width: number; height: number };
export type TSessionStatus = TStreamStatus | "starting" | "failed";

export type TRemoteSessionOptions = {
  /** Starts a session sized to the stage; resolves its stream URL, or null if it could not start. */
  start: (viewport: TViewport, signal: AbortSignal) => Promise<string | null>;
  /** A fresh stream URL for the same session after a drop; null when it has ended. */
  reconnectUrl?: () => Promise<string | null>;
  onOutcome: (outcome: TLoginOutcome) => void;
  onEnded?: (reason: TSessionEndReason | "lost") => void;
};

/** The remote viewport for a stage of this CSS size, within the protocol's limits. */
export function viewportForStage(width: number, height: number, dpr: number): TViewport {
  const clamp = (value: number, min: number, max: number) =>
    Math.round(Math.min(max, Math.max(min, value)));
  return {
    width: clamp(width, VIEWPORT_LIMITS.minSide, VIEWPORT_LIMITS.maxWidth),
    height: clamp(height, VIEWPORT_LIMITS.minSide, VIEWPORT_LIMITS.maxHeight),
    // Sharper text on retina screens; the worker renders at most at maxRenderScale.
    deviceScaleFactor: Math.min(
      VIEWPORT_LIMITS.maxRenderScale,
      Math.max(1, Math.round(dpr * 4) / 4),
    ),
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

const stageViewport = (stage: HTMLElement) => {
  const box = stage.getBoundingClientRect();
  return viewportForStage(box.width, box.height, window.devicePixelRatio || 1);
};

export function useRemoteSession(options: TRemoteSessionOptions) {
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const streamRef = useRef<BrowserStream | null>(null);
  const frameRef = useRef<{ header: TFrameHeader; bitmap: ImageBitmap } | null>(null);
  const drawRectRef = useRef<TDrawRect | null>(null);
  const [status, setStatus] = useState<TSessionStatus>("starting");
  const [end, setEnd] = useState<TStreamEnd | null>(null);
  const [endReason, setEndReason] = useState<TSessionEndReason | null>(null);
  const [hasFrame, setHasFrame] = useState(false);
  const [page, setPage] = useState<{ url: string; loading: boolean } | null>(null);
  const [outcome, setOutcome] = useState<TLoginOutcome | null>(null);
  /** Failures announced in this session, and whether the portal said "locked". */
  const [failures, setFailures] = useState({ count: 0, locked: false });
  const [notice, setNotice] = useState<TNotice | null>(null);
  const [dialog, setDialog] = useState<TDialog | null>(null);
  /** The remote page's focused text field, in remote viewport px (see useRemoteInput). */
  const [focus, setFocus] = useState<TRemoteFocus>(null);
  const [generation, setGeneration] = useState(0);
  const optionsRef = useRef(options);
  optionsRef.current = options;

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

  const onMessage = useCallback((message: TServerMessage) => {
    switch (message.type) {
      case "page":
        setPage({ url: message.url, loading: message.loading });
        return;
      case "outcome":
        setOutcome(message.outcome);
        if (message.outcome === "failure") {
          const locked = message.detail === "locked";
          setFailures((previous) => ({ count: previous.count + 1, locked }));
        }
        optionsRef.current.onOutcome(message.outcome);
        return;
      case "dialog":
        setDialog(message);
        return;
      case "dialogClosed":
        setDialog((current) => (current?.dialogId === message.dialogId ? null : current));
        return;
      case "error":
        setNotice(message);
        return;
      case "ended":
        setEndReason(message.reason);
        optionsRef.current.onEnded?.(message.reason);
        return;
      case "ready":
        return;
      case "focus":
        setFocus(message.box);
        return;
    }
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
    setEnd(null);
    setEndReason(null);
    setHasFrame(false);
    setOutcome(null);
    setFailures({ count: 0, locked: false });
    setPage(null);
    const viewport = stageViewport(stage);
    // Deferred a tick: a mount that is immediately undone never starts a browser.
    const timer = setTimeout(
      () =>
        void optionsRef.current.start(viewport, abort.signal).then((streamUrl) => {
          if (cancelled) return;
          if (!streamUrl) {
            setStatus("failed");
            return;
          }
          const reconnect = optionsRef.current.reconnectUrl;
          const refresh = async () => {
            const fresh = await optionsRef.current.reconnectUrl?.();
            return fresh ? toWebSocketUrl(fresh, window.location.href) : null;
          };
          streamRef.current = new BrowserStream(
            toWebSocketUrl(streamUrl, window.location.href),
            {
              onStatus: (next, how) => {
                setStatus(next);
                if (next !== "ended" || cancelled) return;
                setEnd(how ?? "gone");
                if (how !== "ended") optionsRef.current.onEnded?.("lost");
              },
              onFrame: (header, bitmap) => {
                frameRef.current?.bitmap.close();
                frameRef.current = { header, bitmap };
                setHasFrame(true);
                paint();
              },
              onMessage,
            },
            reconnect ? refresh : undefined,
          );
        }),
      0,
    );
    return () => {
      clearTimeout(timer);
      cancelled = true;
      abort.abort();
      streamRef.current?.close();
      streamRef.current = null;
    };
  }, [generation, paint, onMessage]);

  // Keep the remote viewport the size of the stage (rotation, window resize, keyboard).
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const observer = new ResizeObserver(() => {
      paint();
      if (timer) clearTimeout(timer);
      timer = setTimeout(
        () => streamRef.current?.send({ type: "resize", viewport: stageViewport(stage) }),
        250,
      );
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

  const send = useCallback(
    (message: Parameters<BrowserStream["send"]>[0]) => streamRef.current?.send(message) ?? false,
    [],
  );

  return {
    stageRef,
    canvasRef,
    frameRef,
    drawRectRef,
    status,
    /** How the stream ended, once it has. */
    end,
    /** The worker's reason, when it said one ("completed" after a sign-in). */
    endReason,
    hasFrame,
    page,
    outcome,
    setOutcome,
    failures,
    /** The recipient types again: the last failure's banner goes. */
    clearFailure: () => setOutcome((current) => (current === "failure" ? null : current)),
    notice,
    dialog,
    setDialog,
    focus,
    send,
    restart: () => setGeneration((value) => value + 1),
  };
}

export type TRemoteSession = ReturnType<typeof useRemoteSession>;
