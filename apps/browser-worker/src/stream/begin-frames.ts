// Frames the worker asks for, on chromium-headless-shell with begin-frame control: the
// page renders only when told to (HeadlessExperimental.beginFrame), and a frame with a
// screenshot comes straight out of the compositor, with no screencast capturer in
// between. Measured against the screencast (docs/performance.md, bench `shell` phase):
// ten typing pages p95 0.24× and PSS a page 0.56× of full Chromium's screencast, and an
// idle page paints nothing at all.
//
// Two rules this follows:
// - One beginFrame at a time per browser. Two pages' begin frames in flight together
//   kill the shell's GPU process ("Got overlapping IssueExternalBeginFrame"; after six
//   restarts the browser exits), so every page of a browser shares one queue.
// - A begin-frame page that nobody drives never renders: requestAnimationFrame never
//   fires, and puppeteer actions that wait for one (a click's scroll into view) hang. So
//   every such tab has a driver for its whole life, viewed or not, which runs a begin
//   frame without a picture at a low rate (HEARTBEAT_MS), and pictures only when a viewer
//   is there: after each input, and whenever a heartbeat frame reports damage.
import {
  encodeFrame,
  FRAME_ACK_WINDOW,
  type TFrameHeader,
  type TViewport,
} from "@meterlink/shared/stream";
import type { Browser, CDPSession } from "puppeteer-core";
import { screencastSettings, type TFrameSink, type TPace } from "./screencast";

/** Begin frames without a picture: often enough for a page's animations and timers. */
const HEARTBEAT_MS = 100;
/** After a picture, look again this soon: an input's effects often land a frame later. */
const FOLLOW_UP_MS = 33;
/** Quiet this long after the last picture: take one more, sent only if it differs. */
const SETTLE_MS = 300;

const queues = new WeakMap<Browser, Promise<unknown>>();

/** Runs `run` (a beginFrame) after every other one of this browser has finished. */
export function serialBeginFrame<T>(browser: Browser, run: () => Promise<T>): Promise<T> {
  const queued = (queues.get(browser) ?? Promise.resolve()).then(run, run);
  queues.set(
    browser,
    queued.catch(() => undefined),
  );
  return queued;
}

type TBeginFrameResult = { hasDamage: boolean; screenshotData?: string };

/** Whether this page takes begin frames (a popup of a begin-frame page may not). */
export async function takesBeginFrames(browser: Browser, cdp: CDPSession): Promise<boolean> {
  return await serialBeginFrame(browser, () =>
    cdp.send("HeadlessExperimental.beginFrame", {}),
  ).then(
    () => true,
    () => false,
  );
}

/** Drives one begin-frame tab's rendering for its whole life; see the file's header. */
export class BeginFrameDriver {
  #browser: Browser;
  #cdp: CDPSession;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #closed = false;
  /** A picture is due (input, damage, a new viewer). */
  #pictureDue = false;
  /** The next frame's damage is the last screenshot's, not the page's. */
  #artifact = false;
  /** When to take the settle picture after the last one sent (null: none due). */
  #settleAt: number | null = null;
  #settling = false;
  #viewer: BeginFrameStream | null = null;

  constructor(browser: Browser, cdp: CDPSession) {
    this.#browser = browser;
    this.#cdp = cdp;
    this.#schedule(HEARTBEAT_MS);
  }

  get cdp(): CDPSession {
    return this.#cdp;
  }

  set viewer(viewer: BeginFrameStream | null) {
    this.#viewer = viewer;
    if (viewer) this.requestPicture();
  }

  requestPicture(): void {
    this.#pictureDue = true;
    void this.#run();
  }

  /** Room again for a picture that was waiting (the client acked). */
  wake(): void {
    if (this.#pictureDue) void this.#run();
  }

  close(): void {
    this.#closed = true;
    this.#viewer = null;
    clearTimeout(this.#timer);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#run(), ms);
  }

  async #run(): Promise<void> {
    if (this.#running || this.#closed) return;
    this.#running = true;
    let next = HEARTBEAT_MS;
    try {
      for (;;) {
        const viewer = this.#viewer;
        // The viewer that gets this frame's picture, if it takes one.
        const shownTo = this.#pictureDue && viewer?.mayShow() ? viewer : null;
        const picture = shownTo !== null;
        const settling = picture && this.#settling;
        if (picture) {
          this.#pictureDue = false;
          this.#settling = false;
        }
        const params = picture
          ? { screenshot: { format: "jpeg" as const, quality: shownTo.quality } }
          : {};
        const lastInputSeq = viewer?.lastSeq() ?? null;
        const result = (await serialBeginFrame(this.#browser, () =>
          this.#cdp.send("HeadlessExperimental.beginFrame", params),
        )) as TBeginFrameResult;
        if (this.#closed) return;
        if (shownTo) {
          next = FOLLOW_UP_MS;
          // No picture while the renderer starts up ("readback failed"): try again soon.
          if (!result.screenshotData) {
            this.#pictureDue = true;
            break;
          }
          const sent = await shownTo.show(result.screenshotData, lastInputSeq, { settling });
          if (sent) this.#settleAt = performance.now() + SETTLE_MS;
          // A frame with a screenshot always leaves damage that the next frame reports:
          // run that frame now, so that it is not taken for a change.
          this.#artifact = true;
          continue;
        }
        if (this.#artifact) {
          this.#artifact = false;
        } else if (result.hasDamage && this.#viewer) {
          // Something changed on screen since the last picture: show it now, if allowed.
          this.#pictureDue = true;
        } else if (this.#settleAt !== null && performance.now() >= this.#settleAt && viewer) {
          // Calm after activity: one last picture, sent only if it differs from the last
          // one, covers a change that landed in an artifact frame.
          this.#settleAt = null;
          this.#settling = true;
          this.#pictureDue = true;
        }
        if (!this.#pictureDue || !this.#viewer?.mayShow()) {
          // A picture waiting for the pacer comes back when it may go; one waiting for the
          // client's acks is woken by them (clientAcked).
          const wait = this.#pictureDue ? (this.#viewer?.waitMs() ?? 0) : 0;
          if (wait > 0) next = wait;
          break;
        }
      }
    } catch {
      // The page closed or navigated away under the frame; the heartbeat goes on.
    } finally {
      this.#running = false;
    }
    this.#schedule(next);
  }
}

/**
 * A viewer's stream from a begin-frame tab: the same contract as Screencast (attach,
 * detach, resize, client acks, input dispatched), frames from the tab's driver.
 */
export class BeginFrameStream {
  #driver: BeginFrameDriver;
  #client: TFrameSink;
  #viewport: TViewport;
  #nextFrameId: () => number;
  #lastSeq: () => number | null;
  #onSent: (header: TFrameHeader, how: { repeated: boolean }) => void;
  #pacer: TPace | null;
  #lastShownAt = Number.NEGATIVE_INFINITY;
  #lastBase64 = "";
  #sentId = 0;
  #clientAcks = false;
  #clientAckedId = 0;
  #attached = false;

  constructor(options: {
    driver: BeginFrameDriver;
    client: TFrameSink;
    viewport: TViewport;
    nextFrameId: () => number;
    lastSeq: () => number | null;
    onSent: (header: TFrameHeader, how: { repeated: boolean }) => void;
    pacer?: TPace;
  }) {
    this.#driver = options.driver;
    this.#client = options.client;
    this.#viewport = options.viewport;
    this.#nextFrameId = options.nextFrameId;
    this.#lastSeq = options.lastSeq;
    this.#onSent = options.onSent;
    this.#pacer = options.pacer ?? null;
  }

  async attach(_cdp: CDPSession): Promise<void> {
    this.#attached = true;
    await this.#driver.cdp.send("Page.bringToFront").catch(() => undefined);
    this.#driver.viewer = this;
  }

  async detach(): Promise<void> {
    this.#attached = false;
    this.#driver.viewer = null;
  }

  async setViewport(viewport: TViewport): Promise<void> {
    this.#viewport = viewport;
    this.#driver.requestPicture();
  }

  clientAcked(frameId: number): void {
    this.#clientAcks = true;
    this.#clientAckedId = Math.max(this.#clientAckedId, frameId);
    this.#driver.wake();
  }

  inputDispatched(): void {
    this.#driver.requestPicture();
  }

  get quality(): number {
    return screencastSettings(this.#viewport, this.#pacer?.limits.qualityDrop ?? 0).quality;
  }

  lastSeq(): number | null {
    return this.#lastSeq();
  }

  /** Whether a picture may go now: the client's window has room and the pacer allows. */
  mayShow(): boolean {
    if (!this.#attached) return false;
    if (this.#clientAcks && this.#sentId - this.#clientAckedId >= FRAME_ACK_WINDOW) return false;
    return this.waitMs() <= 0;
  }

  /** How long until the pacer allows the next picture. */
  waitMs(): number {
    const interval = this.#pacer?.limits.minIntervalMs ?? 0;
    return Math.max(0, Math.ceil(this.#lastShownAt + interval - performance.now()));
  }

  /** Sends a picture; a settling one only if it differs from the last sent. */
  async show(
    base64: string,
    lastInputSeq: number | null,
    how: { settling: boolean },
  ): Promise<boolean> {
    if (!this.#attached) return false;
    if (how.settling && base64 === this.#lastBase64) return false;
    this.#lastBase64 = base64;
    this.#lastShownAt = performance.now();
    const header: TFrameHeader = {
      frameId: this.#nextFrameId(),
      lastInputSeq,
      timestamp: Date.now(),
      deviceWidth: this.#viewport.width,
      deviceHeight: this.#viewport.height,
      offsetTop: 0,
      pageScaleFactor: 1,
      scrollOffsetX: 0,
      scrollOffsetY: 0,
    };
    this.#sentId = header.frameId;
    await this.#client.sendFrame(encodeFrame(header, Buffer.from(base64, "base64")));
    this.#onSent(header, { repeated: false });
    return true;
  }
}
