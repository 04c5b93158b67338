// This worker's link to the fleet API. Two duties, both so the API's view of capacity is
// the truth within seconds:
// - heartbeats every few seconds: address, slots, draining, every session it holds and
//   the ones it ended lately; the answer names sessions the API no longer knows, which
//   the worker then ends. Missing heartbeats take the worker out of routing.
// - reports, at each login outcome and at each ending, in order (an outcome before the
//   ending that follows it), retried with backoff; a report that never lands is carried
//   by the next heartbeats anyway (endings), or read by the API from GET /sessions/:id
//   (outcomes). Only the sealed credential (JWE) ever leaves the worker.
import {
  FLEET_ROUTES,
  type THeartbeatInput,
  type TSessionReportInput,
  ZHeartbeatAnswer,
} from "@meterlink/shared/fleet";
import type { Logger } from "pino";

export type TReport = TSessionReportInput extends infer R
  ? R extends TSessionReportInput
    ? Omit<R, "workerId">
    : never
  : never;

export type TFleetLinkOptions = {
  apiUrl: string;
  fleetToken: string;
  workerId: string;
  advertiseUrl: string;
  version: string;
  intervalMs: number;
  logger: Logger;
  status: () => Omit<THeartbeatInput, "workerId" | "url" | "version">;
  /** Sessions the API says are over: end them here. */
  onStale: (sessionIds: string[]) => void;
};

const REPORT_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 8000];
const REQUEST_TIMEOUT_MS = 5_000;

export class FleetLink {
  #options: TFleetLinkOptions;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #reports: TReport[] = [];
  #sending: Promise<void> | null = null;
  #stopped = false;

  constructor(options: TFleetLinkOptions) {
    this.#options = options;
  }

  /** First heartbeat now, then every interval. */
  start(): void {
    void this.beat();
    this.#timer = setInterval(() => void this.beat(), this.#options.intervalMs);
    this.#timer.unref();
  }

  async beat(): Promise<void> {
    const o = this.#options;
    try {
      const response = await this.#post(FLEET_ROUTES.heartbeat, {
        workerId: o.workerId,
        url: o.advertiseUrl,
        version: o.version,
        ...o.status(),
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const answer = ZHeartbeatAnswer.safeParse(await response.json().catch(() => null));
      if (answer.success && answer.data.end.length) o.onStale(answer.data.end);
      if (this.#failures > 0) o.logger.info("fleet heartbeat restored");
      this.#failures = 0;
    } catch (error) {
      // Log the first failure and then every tenth, not every beat.
      if (this.#failures++ % 10 === 0) {
        o.logger.warn(
          { reason: error instanceof Error ? error.message : "unknown" },
          "fleet heartbeat failed",
        );
      }
    }
  }

  /** Queues a report; reports go out one at a time, in the order they were made. */
  report(report: TReport): void {
    this.#reports.push(report);
    this.#sending ??= this.#drainReports().finally(() => {
      this.#sending = null;
    });
  }

  /** Waits (bounded) for queued reports, stops heartbeats and leaves the fleet. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.race([this.#sending, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    this.#stopped = true;
    await this.#post(FLEET_ROUTES.deregister, { workerId: this.#options.workerId }).catch(
      () => null,
    );
  }

  async #drainReports(): Promise<void> {
    for (let next = this.#reports.shift(); next; next = this.#reports.shift()) {
      await this.#deliver(next);
    }
  }

  async #deliver(report: TReport): Promise<void> {
    const body = { ...report, workerId: this.#options.workerId };
    for (const delay of [0, ...REPORT_BACKOFF_MS]) {
      if (this.#stopped) return;
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        const response = await this.#post(FLEET_ROUTES.report, body);
        if (response.ok) return;
        // A 4xx will not get better by retrying.
        if (response.status < 500) break;
      } catch {
        // network error or timeout: retry
      }
    }
    this.#options.logger.warn(
      { sessionId: report.sessionId, type: report.type },
      "fleet did not accept a session report",
    );
  }

  #post(path: string, body: unknown): Promise<Response> {
    return fetch(new URL(path, this.#options.apiUrl), {
      method: "POST",
      headers: {
        authorization: `Bearer ${this.#options.fleetToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }
}
