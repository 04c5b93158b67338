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

/**
 * What a begin frame is for. A picture is what a recipient waits for (their key, their
 * click); a background frame (heartbeat, follow-up, the frame that consumes a
 * screenshot's own damage) only keeps the page ticking and may wait. Measured with ten
 * typing tabs in one browser: behind a first-come queue, the frame after each picture cost
 * its tab a whole extra round of the queue, p95 269 → 457 ms.
 */
export type TFramePriority = "picture" | "background";

/** A background frame never waits longer than this behind pictures (timers, rAF). */
const BACKGROUND_MAX_WAIT_MS = 250;

type TQueued = {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  queuedAt: number;
};

/** A skippable place in a browser's queue. */
export type TQueuedFrame<T> = {
  result: Promise<T | null>;
  /** Gives the place up if it has not started: `result` resolves null. */
  skip(): void;
};

/**
 * One browser's begin frames, one at a time: pictures first, background frames when no
 * picture waits (or once one has waited BACKGROUND_MAX_WAIT_MS).
 */
export class BeginFrameQueue {
  #pictures: TQueued[] = [];
  #background: TQueued[] = [];
  #busy = false;
  #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  enqueue<T>(run: () => Promise<T>, priority: TFramePriority): TQueuedFrame<T> {
    let entry: TQueued | undefined;
    const result = new Promise<T | null>((resolve, reject) => {
      entry = {
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
        queuedAt: this.#now(),
      };
    });
    const queued = entry as TQueued;
    (priority === "picture" ? this.#pictures : this.#background).push(queued);
    this.#next();
    return {
      result,
      skip: () => {
        const list = priority === "picture" ? this.#pictures : this.#background;
        const at = list.indexOf(queued);
        if (at < 0) return; // already running or done
        list.splice(at, 1);
        queued.resolve(null);
      },
    };
  }

  #take(): TQueued | undefined {
    const oldest = this.#background[0];
    if (oldest && this.#now() - oldest.queuedAt >= BACKGROUND_MAX_WAIT_MS)
      return this.#background.shift();
    return this.#pictures.shift() ?? this.#background.shift();
  }

  #next(): void {
    if (this.#busy) return;
    const job = this.#take();
    if (!job) return;
    this.#busy = true;
    job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.#busy = false;
        this.#next();
      });
  }
}

const queues = new WeakMap<Browser, BeginFrameQueue>();

export function beginFrameQueueOf(browser: Browser): BeginFrameQueue {
  let queue = queues.get(browser);
  if (!queue) {
    queue = new BeginFrameQueue();
    queues.set(browser, queue);
  }
  return queue;
}

/** Runs `run` (a beginFrame) alone among this browser's begin frames, as a picture. */
export async function serialBeginFrame<T>(browser: Browser, run: () => Promise<T>): Promise<T> {
  return (await beginFrameQueueOf(browser).enqueue(run, "picture").result) as T;
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
  /** The background frame this tab waits for in the queue, given up for a picture. */
  #waiting: TQueuedFrame<unknown> | null = null;

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
    this.#pictureNow();
  }

  /** Room again for a picture that was waiting (the client acked). */
  wake(): void {
    if (this.#pictureDue) this.#pictureNow();
  }

  /** A due picture goes ahead of this tab's own background frame, if it may go now. */
  #pictureNow(): void {
    if (this.#viewer?.mayShow()) this.#waiting?.skip();
    void this.#run();
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
        const queued = beginFrameQueueOf(this.#browser).enqueue(
          () => this.#cdp.send("HeadlessExperimental.beginFrame", params),
          picture ? "picture" : "background",
        );
        if (!picture) this.#waiting = queued;
        const result = (await queued.result) as TBeginFrameResult | null;
        this.#waiting = null;
        if (this.#closed) return;
        // Given up for a picture (requestPicture): take it now.
        if (result === null) continue;
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
          // run that frame now (in the background: a picture due meanwhile goes first),
          // so that it is not taken for a change.
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
        // A picture waiting for the client's acks is woken by them (clientAcked).
        if (!this.#pictureDue || !this.#viewer?.mayShow()) break;
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

  /**
   * Whether a picture may go now: the client's window has room. The pacer's interval does
   * not apply here: a tab has at most one picture in its browser's queue, so under load
   * every tab's frame rate already falls alike, and holding pictures back on top only
   * added latency (ten typing sessions p95 439 ms with the interval, 367 without; the
   * pacer's quality drop still applies).
   */
  mayShow(): boolean {
    if (!this.#attached) return false;
    return !(this.#clientAcks && this.#sentId - this.#clientAckedId >= FRAME_ACK_WINDOW);
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
