// CDP screencast → binary frames. Chromium sends the next frame only after the previous
// one is acked, and we ack only when the client's socket has drained: a slow client
// therefore receives the newest picture when it catches up, never a backlog. Socket
// drain alone cannot see the kernel's socket buffers (megabytes on a fast link), so a
// client that sends `frameAck` messages is also held to FRAME_ACK_WINDOW frames in
// flight, end to end.
import {
  encodeFrame,
  FRAME_ACK_WINDOW,
  type TFrameHeader,
  type TViewport,
  VIEWPORT_LIMITS,
} from "@meterlink/shared/stream";
import type { CDPSession } from "puppeteer-core";
import type { FramePacer } from "./pacer";
import type { ViewerSocket } from "./viewer-socket";

type TScreencastFrame = {
  data: string;
  sessionId: number;
  metadata: {
    offsetTop: number;
    pageScaleFactor: number;
    deviceWidth: number;
    deviceHeight: number;
    scrollOffsetX: number;
    scrollOffsetY: number;
    timestamp?: number;
  };
};

/**
 * What the page is rendered and captured at: the recipient's canvas in CSS px × its DPR,
 * the DPR bounded by maxRenderScale (a DPR 3 phone is rendered at 2, sharp at its size
 * and 4/9 of the pixels to paint and encode).
 */
export function renderViewport(viewport: TViewport): TViewport {
  return {
    ...viewport,
    deviceScaleFactor: Math.min(viewport.deviceScaleFactor, VIEWPORT_LIMITS.maxRenderScale),
  };
}

/**
 * Injected into every frame before the portal's scripts: the text caret stays solid
 * instead of blinking. A blinking caret in a focused login field repaints twice a second,
 * and the screencast sends a whole frame for each, so every idle session cost two frame
 * encodes a second (measured: 8 frames in 4 s idle; 0 with this). The caret is still
 * drawn where it is, so the recipient sees where they type. `caret-animation` is CSS UI 4
 * (Chromium 139+); an older browser ignores it. An adopted sheet, not a <style>: the
 * page's DOM (and its scripts that walk it) stays as the portal made it.
 */
export const STEADY_CARET_SCRIPT = `(() => {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync("*, *::before, *::after { caret-animation: manual !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch (e) {}
})();`;

/**
 * JPEG quality by frame size: small viewports look sharp, big ones stay light; under
 * overload the pacer lowers it by `qualityDrop` for every session alike.
 */
export function screencastSettings(viewport: TViewport, qualityDrop = 0) {
  const dpr = Math.min(viewport.deviceScaleFactor, 2);
  const maxWidth = Math.round(viewport.width * dpr);
  const maxHeight = Math.round(viewport.height * dpr);
  const pixels = maxWidth * maxHeight;
  const quality = Math.max(
    30,
    (pixels <= 1_100_000 ? 80 : pixels <= 2_500_000 ? 70 : 60) - qualityDrop,
  );
  return { format: "jpeg" as const, quality, maxWidth, maxHeight, everyNthFrame: 1 };
}

/** How long a freshly started screencast may stay silent before we send a screenshot. */
const SEED_AFTER_MS = 120;
/** How long after an input without a frame tagged with it the newest picture is repeated. */
const SETTLE_MS = 150;

export class Screencast {
  #cdp: CDPSession | null = null;
  #client: ViewerSocket;
  #viewport: TViewport;
  #nextFrameId: () => number;
  #lastSeq: () => number | null;
  #onSent: (header: TFrameHeader, how: { repeated: boolean }) => void;
  #pacer: FramePacer | null;
  /** The newest picture sent, to repeat under a later input's seq (inputDispatched). */
  #last: { header: TFrameHeader; jpeg: Buffer } | null = null;
  #settleTimer: NodeJS.Timeout | undefined;
  #listener = (frame: TScreencastFrame) => void this.#onFrame(frame);
  #stopped = false;
  #framesSeen = 0;
  #clientAcks = false;
  #clientAckedId = 0;
  #ackWaiters = new Set<() => void>();

  constructor(options: {
    client: ViewerSocket;
    viewport: TViewport;
    nextFrameId: () => number;
    lastSeq: () => number | null;
    onSent: (header: TFrameHeader, how: { repeated: boolean }) => void;
    pacer?: FramePacer;
  }) {
    this.#pacer = options.pacer ?? null;
    this.#client = options.client;
    this.#viewport = options.viewport;
    this.#nextFrameId = options.nextFrameId;
    this.#lastSeq = options.lastSeq;
    this.#onSent = options.onSent;
  }

  /** Starts streaming `cdp`'s page, and sends its current picture at once. */
  async attach(cdp: CDPSession): Promise<void> {
    await this.detach();
    this.#stopped = false;
    this.#cdp = cdp;
    cdp.on("Page.screencastFrame", this.#listener);
    // Many sessions share one headless browser: a page that is not the front one of its
    // window may produce no frames at all.
    await cdp.send("Page.bringToFront").catch(() => undefined);
    // Screencast first: on a page that is still loading it delivers the first picture
    // sooner than a screenshot, which waits for the load to settle.
    const seen = this.#framesSeen;
    await cdp.send("Page.startScreencast", this.#settings());
    // A still page emits nothing: if no frame came, seed with a screenshot (bounded, so a
    // page busy navigating cannot hold the stream up).
    await new Promise((resolve) => setTimeout(resolve, SEED_AFTER_MS));
    if (this.#framesSeen !== seen || this.#stopped || this.#cdp !== cdp) return;
    await Promise.race([
      this.#seed(cdp).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 2_000)),
    ]);
  }

  async setViewport(viewport: TViewport): Promise<void> {
    this.#viewport = viewport;
    const cdp = this.#cdp;
    if (!cdp) return;
    await cdp.send("Page.stopScreencast").catch(() => undefined);
    await cdp.send("Page.startScreencast", this.#settings());
  }

  #settings() {
    return screencastSettings(this.#viewport, this.#pacer?.limits.qualityDrop ?? 0);
  }

  /** The client has painted frame `frameId` (and everything before it). */
  clientAcked(frameId: number): void {
    this.#clientAcks = true;
    this.#clientAckedId = Math.max(this.#clientAckedId, frameId);
    for (const wake of this.#ackWaiters) wake();
  }

  async #waitForClient(frameId: number): Promise<void> {
    while (this.#clientAcks && !this.#stopped && this.#clientAckedId < frameId) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#ackWaiters.delete(wake);
          resolve();
        };
        this.#ackWaiters.add(wake);
      });
    }
  }

  async detach(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#settleTimer);
    for (const wake of this.#ackWaiters) wake();
    const cdp = this.#cdp;
    this.#cdp = null;
    if (!cdp) return;
    cdp.off("Page.screencastFrame", this.#listener);
    await cdp.send("Page.stopScreencast").catch(() => undefined);
  }

  async #seed(cdp: CDPSession): Promise<void> {
    const settings = screencastSettings(this.#viewport, this.#pacer?.limits.qualityDrop ?? 0);
    const [shot, metrics] = await Promise.all([
      cdp.send("Page.captureScreenshot", { format: "jpeg", quality: settings.quality }),
      cdp.send("Page.getLayoutMetrics"),
    ]);
    const visual = metrics.cssVisualViewport;
    const header: TFrameHeader = {
      frameId: this.#nextFrameId(),
      lastInputSeq: this.#lastSeq(),
      timestamp: Date.now(),
      deviceWidth: visual.clientWidth,
      deviceHeight: visual.clientHeight,
      offsetTop: 0,
      pageScaleFactor: visual.scale ?? 1,
      scrollOffsetX: visual.pageX,
      scrollOffsetY: visual.pageY,
    };
    await this.#send(header, shot.data);
  }

  async #onFrame(frame: TScreencastFrame): Promise<void> {
    const cdp = this.#cdp;
    if (this.#stopped || !cdp) return;
    const arrivedAt = performance.now();
    this.#framesSeen++;
    const { metadata } = frame;
    const header: TFrameHeader = {
      frameId: this.#nextFrameId(),
      lastInputSeq: this.#lastSeq(),
      timestamp: metadata.timestamp ? metadata.timestamp * 1000 : Date.now(),
      deviceWidth: metadata.deviceWidth,
      deviceHeight: metadata.deviceHeight,
      offsetTop: metadata.offsetTop,
      pageScaleFactor: metadata.pageScaleFactor,
      scrollOffsetX: metadata.scrollOffsetX,
      scrollOffsetY: metadata.scrollOffsetY,
    };
    await this.#send(header, frame.data);
    await this.#waitForClient(header.frameId - (FRAME_ACK_WINDOW - 1));
    // Under overload the ack is held so that this session's next frame comes no sooner
    // than the pacer's interval: Chromium keeps only the newest picture meanwhile.
    const hold = arrivedAt + (this.#pacer?.limits.minIntervalMs ?? 0) - performance.now();
    if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
    if (this.#cdp !== cdp || this.#stopped) return;
    // The JPEG quality is the level's at the screencast's start (attach, resize): a
    // restart mid-stream drops the picture Chromium holds for the ack, which can be the
    // one showing the last key (measured: keys never shown), so none is done here.
    await cdp
      .send("Page.screencastFrameAck", { sessionId: frame.sessionId })
      .catch(() => undefined);
  }

  async #send(header: TFrameHeader, base64: string): Promise<void> {
    const jpeg = Buffer.from(base64, "base64");
    this.#last = { header, jpeg };
    await this.#client.sendFrame(encodeFrame(header, jpeg));
    this.#onSent(header, { repeated: false });
  }

  /**
   * An input was dispatched. Most paint a frame that says so (its header's lastInputSeq);
   * one that changes nothing on screen (a key up, a click on nothing) would otherwise wait
   * for the next change — with a steady caret, maybe forever. After SETTLE_MS the newest
   * picture is sent again under that seq (no new encode), so the client knows the input
   * was applied; it is marked repeated so no latency is counted for it.
   */
  inputDispatched(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => void this.#repeatLast(), SETTLE_MS);
  }

  async #repeatLast(): Promise<void> {
    const last = this.#last;
    const seq = this.#lastSeq();
    if (!last || this.#stopped || !this.#cdp || seq === null) return;
    if ((last.header.lastInputSeq ?? -1) >= seq) return;
    const header: TFrameHeader = {
      ...last.header,
      frameId: this.#nextFrameId(),
      lastInputSeq: seq,
      timestamp: Date.now(),
    };
    this.#last = { header, jpeg: last.jpeg };
    await this.#client.sendFrame(encodeFrame(header, last.jpeg));
    this.#onSent(header, { repeated: true });
  }
}
