// Owns the worker's sessions and its one pre-warmed spare context. Capacity counts
// sessions that hold a context (starting or running), in two lanes: interactive
// (recipients) and headless (bill collections), so a collection never takes a slot a
// recipient needs. The spare does not count, so a new session never waits for a cold
// context unless two arrive at once. Every ending is reported to the fleet, and kept
// for a while so heartbeats carry it again.
import type { TSessionEnding, TStartSession } from "@meterlink/shared/fleet";
import type { CryptoKey } from "jose";
import type { Logger } from "pino";
import type { Browser } from "puppeteer-core";
import type { TReport } from "../fleet/link";
import type { TWorkerMetrics } from "../metrics/metrics";
import { leastBusy } from "./browser";
import { prepareContext, type TEgress, type TPreparedContext } from "./context";
import { Session, type TSessionTimeouts } from "./session";

/** An error the HTTP layer turns into `{ code, message, retryable }`. */
export class WorkerError extends Error {
  override name = "WorkerError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

// Ended sessions stay readable (outcome + sealed credential) for the API to collect.
const ENDED_RETENTION_MS = 10 * 60_000;
/** Endings a heartbeat repeats: long enough to outlive a lost report and an API restart. */
const ENDINGS_IN_HEARTBEAT_MS = 2 * 60_000;

export type TCapacity = { interactive: number; headless: number };

export class SessionManager {
  #sessions = new Map<string, Session>();
  #spare: Promise<TPreparedContext> | null = null;
  #draining = false;
  #browsers: Browser[];
  #egress: TEgress | null;
  #capacity: TCapacity;
  #prewarm: boolean;
  #log: Logger;
  #metrics: TWorkerMetrics;
  #sealKey: CryptoKey;
  #timeouts: TSessionTimeouts;
  #report: (report: TReport) => void;
  #warm: Promise<void>;

  constructor(options: {
    browsers: Browser[];
    egress: TEgress | null;
    capacity: TCapacity;
    prewarm: boolean;
    logger: Logger;
    metrics: TWorkerMetrics;
    sealKey: CryptoKey;
    timeouts: TSessionTimeouts;
    report: (report: TReport) => void;
  }) {
    this.#browsers = options.browsers;
    this.#egress = options.egress;
    this.#capacity = options.capacity;
    this.#prewarm = options.prewarm;
    this.#log = options.logger;
    this.#metrics = options.metrics;
    this.#sealKey = options.sealKey;
    this.#timeouts = options.timeouts;
    this.#report = options.report;
    this.#refillSpare();
    this.#warm = this.#spare
      ? this.#spare.then(() => undefined).catch(() => undefined)
      : Promise.resolve();
  }

  /** Resolves once a spare context is ready: advertise capacity only after this. */
  ready(): Promise<void> {
    return this.#warm;
  }

  get draining(): boolean {
    return this.#draining;
  }

  activeCount(mode?: TStartSession["mode"]): number {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (session.state !== "ended" && (!mode || session.mode === mode)) count++;
    }
    return count;
  }

  /** Ids of the sessions that hold a browser context now. */
  held(): string[] {
    return [...this.#sessions.values()].filter((s) => s.state !== "ended").map((s) => s.id);
  }

  /** Sessions ended lately, for heartbeats. */
  recentEndings(): TSessionEnding[] {
    const since = Date.now() - ENDINGS_IN_HEARTBEAT_MS;
    const endings: TSessionEnding[] = [];
    for (const session of this.#sessions.values()) {
      const ending = session.ending();
      if (ending && Date.parse(ending.endedAt) >= since) endings.push(ending);
    }
    return endings;
  }

  /** The API no longer knows these sessions: end the ones still here. */
  endStale(ids: string[]): void {
    for (const id of ids) {
      const session = this.#sessions.get(id);
      if (session && session.state !== "ended") {
        this.#log.info({ sessionId: id }, "ending a session the fleet no longer knows");
        void session.end("deleted");
      }
    }
  }

  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  async start(input: TStartSession): Promise<Session> {
    if (this.#draining) {
      throw new WorkerError(503, "DRAINING", "This worker is shutting down; use another.", true);
    }
    if (this.#sessions.has(input.sessionId)) {
      throw new WorkerError(409, "CONFLICT", "A session with this id already exists.", false);
    }
    if (this.activeCount(input.mode) >= this.#capacity[input.mode]) {
      throw new WorkerError(
        503,
        "AT_CAPACITY",
        `This worker has no free ${input.mode} browser; try another worker or retry shortly.`,
        true,
      );
    }
    const begun = performance.now();
    const session = new Session(input, {
      logger: this.#log,
      metrics: this.#metrics,
      sealKey: this.#sealKey,
      timeouts: this.#timeouts,
      report: this.#report,
      onEnded: (ended) => this.#onEnded(ended),
    });
    // Registered before any await so concurrent starts see the capacity taken.
    this.#sessions.set(session.id, session);
    this.#metrics.sessionsActive.set(this.activeCount());
    try {
      const prepared = await this.#takeContext();
      await session.start(prepared);
    } catch (error) {
      this.#log.error({ err: error, sessionId: session.id }, "session start failed");
      await session.end("error");
      throw new WorkerError(503, "START_FAILED", "The browser could not start a session.", true);
    } finally {
      this.#refillSpare();
    }
    this.#metrics.sessionStartSeconds.observe((performance.now() - begun) / 1000);
    return session;
  }

  async #takeContext(): Promise<TPreparedContext> {
    const spare = this.#spare;
    this.#spare = null;
    if (spare) {
      try {
        return await spare;
      } catch {
        // fall through to a fresh one
      }
    }
    return await this.#prepare();
  }

  /** A context on the browser with the fewest: sessions spread over the worker's browsers. */
  async #prepare(): Promise<TPreparedContext> {
    const browser = leastBusy(this.#browsers);
    if (!browser) throw new Error("no connected browser");
    return await prepareContext(browser, this.#egress);
  }

  #refillSpare(): void {
    if (!this.#prewarm || this.#draining || this.#spare) return;
    if (!this.#browsers.some((browser) => browser.connected)) return;
    const spare = this.#prepare();
    spare.catch((error: unknown) => {
      this.#log.warn({ err: error }, "pre-warming a context failed");
      if (this.#spare === spare) this.#spare = null;
    });
    this.#spare = spare;
  }

  #onEnded(session: Session): void {
    this.#metrics.sessionsActive.set(this.activeCount());
    const ending = session.ending();
    if (ending) this.#report({ type: "ended", ...ending });
    setTimeout(() => {
      if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
    }, ENDED_RETENTION_MS).unref();
  }

  /** No new sessions from now on (heartbeats say draining). */
  stopAccepting(): void {
    this.#draining = true;
  }

  /** Stops accepting sessions; running ones get `graceMs` to finish, then end. */
  async drain(graceMs: number): Promise<void> {
    this.#draining = true;
    await this.#dropSpare();
    const deadline = Date.now() + graceMs;
    while (this.activeCount() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, graceMs)));
    }
    await this.endAll("shutdown");
  }

  async endAll(reason: "shutdown" | "browser_crashed"): Promise<void> {
    this.#draining = true;
    await this.#dropSpare();
    await Promise.all([...this.#sessions.values()].map((session) => session.end(reason)));
  }

  async #dropSpare(): Promise<void> {
    const spare = this.#spare;
    this.#spare = null;
    if (!spare) return;
    try {
      const prepared = await spare;
      await prepared.context.close().catch(() => undefined);
      await prepared.egress?.close().catch(() => undefined);
    } catch {}
  }
}
