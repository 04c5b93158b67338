// CDP screencast → binary frames. Chromium sends the next frame only after the previous
// ones are acked, and we ack only when the client's socket has drained: a slow client
// therefore receives the newest picture when it catches up, never a backlog. Socket
// drain alone cannot see the kernel's socket buffers (megabytes on a fast link), so a
// client that sends `frameAck` messages is also held to FRAME_ACK_WINDOW frames in
// flight, end to end.
//
// While frames are unacked Chromium keeps producing only up to a few, then DROPS the
// pictures of further changes, and it does not send the newest state once acked: that
// comes only with the next change (measured: 6 keys typed during a hold, the stream
// stopped at the 3rd and stayed there after the ack). So frames that arrive during a hold
// are superseded by the newest, and when an input may have lost its picture that way the
// stream takes one fresh screenshot instead of waiting for a next change that may never
// come — before, under load, the recipient's last keys could stay invisible.
import {
  encodeFrame,
  FRAME_ACK_WINDOW,
  type TFrameHeader,
  type TViewport,
  VIEWPORT_LIMITS,
} from "@meterlink/shared/stream";
import type { CDPSession } from "puppeteer-core";
import type { TPaceLimits } from "./pacer";
import type { ViewerSocket } from "./viewer-socket";

/** What the stream needs of the worker's pacer: the current level's limits. */
export type TPace = { readonly limits: TPaceLimits };
/** What the stream needs of its viewer's socket. */
export type TFrameSink = Pick<ViewerSocket, "sendFrame">;
type TPicture = { header: Omit<TFrameHeader, "frameId">; base64: string };

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
/**
 * After an ack, how long to wait for Chromium's own next frame before taking a screenshot
 * for inputs whose picture may have been dropped (a frame is ~30 ms at 1280×800).
 */
const REFRESH_MS = 50;

export class Screencast {
  #cdp: CDPSession | null = null;
  #client: TFrameSink;
  #viewport: TViewport;
  #nextFrameId: () => number;
  #lastSeq: () => number | null;
  #onSent: (header: TFrameHeader, how: { repeated: boolean }) => void;
  #pacer: TPace | null;
  /** The newest picture sent, to repeat under a later input's seq (inputDispatched). */
  #last: { header: TFrameHeader; jpeg: Buffer } | null = null;
  #settleTimer: NodeJS.Timeout | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;
  #refreshing = false;
  #listener = (frame: TScreencastFrame) => this.#onFrame(frame);
  #stopped = false;
  #framesSeen = 0;
  /** Chromium's frames not acked yet, and the newest picture among them not sent yet. */
  #unacked: number[] = [];
  #newest: TPicture | null = null;
  #pumping = false;
  /** An input was dispatched while frames were held: its picture may have been dropped. */
  #inputWhileHeld = false;
  #clientAcks = false;
  #clientAckedId = 0;
  #ackWaiters = new Set<() => void>();

  constructor(options: {
    client: TFrameSink;
    viewport: TViewport;
    nextFrameId: () => number;
    lastSeq: () => number | null;
    onSent: (header: TFrameHeader, how: { repeated: boolean }) => void;
    pacer?: TPace;
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
    // The old screencast's frames need no ack any more.
    this.#unacked = [];
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
    clearTimeout(this.#refreshTimer);
    this.#refreshing = false;
    this.#newest = null;
    this.#unacked = [];
    for (const wake of this.#ackWaiters) wake();
    const cdp = this.#cdp;
    this.#cdp = null;
    if (!cdp) return;
    cdp.off("Page.screencastFrame", this.#listener);
    await cdp.send("Page.stopScreencast").catch(() => undefined);
  }

  async #seed(cdp: CDPSession): Promise<void> {
    await this.#send(await this.#screenshot(cdp));
  }

  /** A fresh picture of the page now, tagged with the inputs dispatched before it. */
  async #screenshot(cdp: CDPSession): Promise<TPicture> {
    const settings = screencastSettings(this.#viewport, this.#pacer?.limits.qualityDrop ?? 0);
    const lastInputSeq = this.#lastSeq();
    const [shot, metrics] = await Promise.all([
      cdp.send("Page.captureScreenshot", { format: "jpeg", quality: settings.quality }),
      cdp.send("Page.getLayoutMetrics"),
    ]);
    const visual = metrics.cssVisualViewport;
    return {
      header: {
        lastInputSeq,
        timestamp: Date.now(),
        deviceWidth: visual.clientWidth,
        deviceHeight: visual.clientHeight,
        offsetTop: 0,
        pageScaleFactor: visual.scale ?? 1,
        scrollOffsetX: visual.pageX,
        scrollOffsetY: visual.pageY,
      },
      base64: shot.data,
    };
  }

  #onFrame(frame: TScreencastFrame): void {
    const cdp = this.#cdp;
    if (this.#stopped || !cdp) return;
    this.#framesSeen++;
    clearTimeout(this.#refreshTimer);
    this.#refreshing = false;
    const { metadata } = frame;
    this.#unacked.push(frame.sessionId);
    // A newer picture supersedes one that has not been sent yet.
    this.#newest = {
      header: {
        lastInputSeq: this.#lastSeq(),
        timestamp: metadata.timestamp ? metadata.timestamp * 1000 : Date.now(),
        deviceWidth: metadata.deviceWidth,
        deviceHeight: metadata.deviceHeight,
        offsetTop: metadata.offsetTop,
        pageScaleFactor: metadata.pageScaleFactor,
        scrollOffsetX: metadata.scrollOffsetX,
        scrollOffsetY: metadata.scrollOffsetY,
      },
      base64: frame.data,
    };
    if (!this.#pumping) void this.#pump(cdp);
  }

  /**
   * Sends the newest picture, waits for the client's window and the pacer's interval,
   * and repeats while newer pictures came meanwhile; then acks everything held, which
   * lets Chromium produce again. Under overload the ack is held so that this session's
   * next frame comes no sooner than the pacer's interval.
   */
  async #pump(cdp: CDPSession): Promise<void> {
    this.#pumping = true;
    let held = false;
    try {
      for (let next = this.#newest; next && this.#live(cdp); next = this.#newest) {
        this.#newest = null;
        const startedAt = performance.now();
        const header = await this.#send(next);
        await this.#waitForClient(header.frameId - (FRAME_ACK_WINDOW - 1));
        const hold = startedAt + (this.#pacer?.limits.minIntervalMs ?? 0) - performance.now();
        if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
        if (performance.now() - startedAt > REFRESH_MS) held = true;
      }
      if (!this.#live(cdp)) return;
      // The JPEG quality is the level's at the screencast's start (attach, resize): a
      // restart mid-stream would drop the picture of the last key, so none is done here.
      const ids = this.#unacked.splice(0);
      await Promise.all(
        ids.map((sessionId) =>
          cdp.send("Page.screencastFrameAck", { sessionId }).catch(() => undefined),
        ),
      );
    } finally {
      this.#pumping = false;
    }
    if (this.#newest) {
      void this.#pump(cdp);
      return;
    }
    if (held && this.#inputWhileHeld) this.#scheduleRefresh(cdp);
    this.#inputWhileHeld = false;
  }

  /** If Chromium sends nothing soon, a screenshot shows what the held inputs did. */
  #scheduleRefresh(cdp: CDPSession): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshing = true;
    const seen = this.#framesSeen;
    // Chromium's own frame came after all (#onFrame) or the stream moved on: nothing to do.
    const superseded = () => !this.#live(cdp) || this.#framesSeen !== seen || this.#pumping;
    this.#refreshTimer = setTimeout(() => {
      const sentSeq = this.#last?.header.lastInputSeq ?? -1;
      if (superseded() || (this.#lastSeq() ?? -1) <= sentSeq) {
        this.#refreshing = false;
        return;
      }
      void this.#screenshot(cdp)
        .then((picture) => {
          if (superseded()) return;
          this.#newest = picture;
          return this.#pump(cdp);
        })
        .catch(() => undefined)
        .finally(() => {
          this.#refreshing = false;
        });
    }, REFRESH_MS);
  }

  #live(cdp: CDPSession): boolean {
    return this.#cdp === cdp && !this.#stopped;
  }

  async #send(picture: TPicture): Promise<TFrameHeader> {
    const header: TFrameHeader = { ...picture.header, frameId: this.#nextFrameId() };
    const jpeg = Buffer.from(picture.base64, "base64");
    this.#last = { header, jpeg };
    await this.#client.sendFrame(encodeFrame(header, jpeg));
    this.#onSent(header, { repeated: false });
    return header;
  }

  /**
   * An input was dispatched. Most paint a frame that says so (its header's lastInputSeq);
   * one that changes nothing on screen (a key up, a click on nothing) would otherwise wait
   * for the next change — with a steady caret, maybe forever. After SETTLE_MS the newest
   * picture is sent again under that seq (no new encode), so the client knows the input
   * was applied; it is marked repeated so no latency is counted for it.
   */
  inputDispatched(): void {
    if (this.#pumping) this.#inputWhileHeld = true;
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => void this.#repeatLast(), SETTLE_MS);
  }

  async #repeatLast(): Promise<void> {
    const last = this.#last;
    const seq = this.#lastSeq();
    if (!last || this.#stopped || !this.#cdp || seq === null) return;
    // Frames are in flight: look again once they are through (a hold that may have
    // dropped this input's picture ends with a refresh, which sends a real one).
    if (this.#pumping || this.#refreshing) {
      this.#settleTimer = setTimeout(() => void this.#repeatLast(), SETTLE_MS);
      return;
    }
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
