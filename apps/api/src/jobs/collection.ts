// Bill collection jobs. `collection.first` is enqueued when a recipient completes an
// invitation (new connection or reconnect); `collection.weekly` by a sweeper for every
// connection whose last run is older than COLLECTION_INTERVAL_DAYS. Both queues are
// exclusive per connection (singletonKey), and a run already in progress is skipped, so
// one connection is never signed into twice at once.
//
// Only a runner given VAULT_PRIVATE_KEY (and FLEET_TOKEN) works these queues; any other
// process leaves the jobs queued for one that can, and says so at start.
import type { TDb } from "@meterlink/db";
import type { JWK } from "jose";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { TApiEnv } from "../env";
import { parseKey } from "../lib/tokens";
import { connectionsDue } from "../services/collection/due";
import { RetryLater, runCollection, type TCollectionTrigger } from "../services/collection/run";
import { billStorageOf, type TBillStorage } from "../services/collection/storage";
import { QUEUE, type TFirstCollectionJob } from "./boss";

export const COLLECTION_QUEUES = {
  first: QUEUE.firstCollection,
  weekly: "collection.weekly",
} as const;

export type TCollectionTiming = {
  pollingIntervalSeconds: number;
  concurrency: number;
  /** Tries after the first one when the utility is down or no browser is free. */
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  retryDelayMaxSeconds: number;
  sweepIntervalMs: number;
  /** A new connection is left to its own first job for this long before the sweeper. */
  firstJobGraceMs: number;
  mfaWaitMs: number;
  codePollMs: number;
  workerCallTimeoutMs: number;
};

/** Six tries over about two and a half hours (2, 4, 8… minutes, capped at an hour). */
export const DEFAULT_COLLECTION_TIMING: TCollectionTiming = {
  pollingIntervalSeconds: 2,
  concurrency: 2,
  retryLimit: 5,
  retryDelaySeconds: 120,
  retryBackoff: true,
  retryDelayMaxSeconds: 3600,
  sweepIntervalMs: 10 * 60_000,
  firstJobGraceMs: 15 * 60_000,
  mfaWaitMs: 4 * 60_000,
  codePollMs: 1_000,
  workerCallTimeoutMs: 5 * 60_000,
};

export type TCollectionWorker = {
  /** Whether this process collects (it has the vault key and the fleet token). */
  collecting: boolean;
  /**
   * Enqueues connections due for their weekly collection at `now` (the clock by default;
   * a test moves it); returns how many.
   */
  sweep(now?: Date): Promise<number>;
  stop(): void;
};

const SWEEP_BATCH = 500;

export async function startCollectionWorker(options: {
  boss: PgBoss;
  db: TDb;
  env: TApiEnv;
  log: Logger;
  timing?: Partial<TCollectionTiming>;
  storage?: TBillStorage;
}): Promise<TCollectionWorker> {
  const { boss, db, env, log } = options;
  const timing = { ...DEFAULT_COLLECTION_TIMING, ...options.timing };
  const queueOptions = {
    retryLimit: timing.retryLimit,
    retryDelay: timing.retryDelaySeconds,
    retryBackoff: timing.retryBackoff,
    ...(timing.retryBackoff ? { retryDelayMax: timing.retryDelayMaxSeconds } : {}),
    // An MFA wait plus sign-in and downloads, with room to spare.
    expireInSeconds: Math.ceil((timing.mfaWaitMs + 2 * timing.workerCallTimeoutMs) / 1000),
  };
  await boss.createQueue(COLLECTION_QUEUES.weekly, { ...queueOptions, policy: "exclusive" });
  for (const name of Object.values(COLLECTION_QUEUES)) await boss.updateQueue(name, queueOptions);

  const intervalMs = env.COLLECTION_INTERVAL_DAYS * 24 * 3600_000;
  async function sweep(now = new Date()): Promise<number> {
    const due = await connectionsDue(db, {
      now,
      intervalMs,
      firstJobGraceMs: timing.firstJobGraceMs,
      limit: SWEEP_BATCH,
    });
    let enqueued = 0;
    for (const id of due) {
      const data: TFirstCollectionJob = { connectionId: id };
      const jobId = await boss.send(COLLECTION_QUEUES.weekly, data, { singletonKey: id });
      if (jobId !== null) enqueued += 1;
    }
    if (enqueued > 0) log.info({ enqueued }, "weekly collections enqueued");
    return enqueued;
  }

  const privateJwk = env.VAULT_PRIVATE_KEY;
  const fleetToken = env.FLEET_TOKEN;
  if (!privateJwk || !fleetToken) {
    const missing = [!privateJwk && "VAULT_PRIVATE_KEY", !fleetToken && "FLEET_TOKEN"]
      .filter(Boolean)
      .join(" and ");
    log.warn(
      { missing },
      `bill collection is off in this process: ${missing} not set. Collection jobs stay queued for a job runner that has them.`,
    );
    return { collecting: false, sweep, stop: () => undefined };
  }

  const deps = {
    db,
    log,
    fleet: { token: fleetToken, heartbeatTtlMs: env.FLEET_HEARTBEAT_TTL_MS },
    vaultPrivateJwk: privateJwk as JWK,
    tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY),
    storage: options.storage ?? billStorageOf(env),
    mfaWaitMs: timing.mfaWaitMs,
    codePollMs: timing.codePollMs,
    workerCallTimeoutMs: timing.workerCallTimeoutMs,
  };
  const work =
    (trigger: TCollectionTrigger) => async (batch: JobWithMetadata<TFirstCollectionJob>[]) => {
      for (const job of batch) {
        try {
          await runCollection(deps, {
            connectionId: job.data.connectionId,
            trigger,
            attempt: job.retryCount + 1,
            lastTry: job.retryCount >= job.retryLimit,
          });
        } catch (err) {
          // RetryLater is the expected path (already recorded on the run); anything else
          // (database down) is retried too.
          if (!(err instanceof RetryLater)) {
            log.error({ err, connectionId: job.data.connectionId }, "collection job failed");
          }
          throw err;
        }
      }
    };
  const workOptions = {
    includeMetadata: true as const,
    localConcurrency: timing.concurrency,
    pollingIntervalSeconds: timing.pollingIntervalSeconds,
  };
  await boss.work(COLLECTION_QUEUES.first, workOptions, work("first"));
  await boss.work(COLLECTION_QUEUES.weekly, workOptions, work("weekly"));

  const runSweep = () =>
    void sweep(new Date()).catch((err) =>
      log.warn({ err }, "collection sweep failed; will try again"),
    );
  runSweep();
  const sweeper = setInterval(runSweep, timing.sweepIntervalMs);
  sweeper.unref();
  return { collecting: true, sweep, stop: () => clearInterval(sweeper) };
}
