// The job queue: pg-boss in schema `pgboss` of the app's own database. Jobs are rows, so
// work that was queued survives a crash or a restart. Each queue is `exclusive` and every
// job carries the id of what it works on as its singletonKey: at most one job per email
// (or connection) is waiting or running at any time, whoever enqueues it (the request
// after commit, or the sweeper) and however often.
import { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { batcher } from "../lib/batch";
import type { TJobs } from "../trpc";

export const QUEUE = {
  sendEmail: "email.send",
  /** First bill collection of a new connection; its worker lands with collection. */
  firstCollection: "collection.first",
} as const;

export type TSendEmailJob = { emailId: string };
export type TFirstCollectionJob = { connectionId: string };

export type TJobTiming = {
  /** How often an idle worker looks for jobs (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds: number;
  /** Retries after the first try: an email is tried at most `emailRetryLimit + 1` times. */
  emailRetryLimit: number;
  emailRetryDelaySeconds: number;
  /** Exponential backoff from `emailRetryDelaySeconds`, capped at `emailRetryDelayMaxSeconds`. */
  emailRetryBackoff: boolean;
  emailRetryDelayMaxSeconds: number;
  /** A send whose worker died mid-way is retried after this long. */
  emailExpireInSeconds: number;
  /** One send request to the provider is abandoned (and retried) after this long. */
  emailSendTimeoutMs: number;
  emailConcurrency: number;
  /** How often the sweeper looks for outbox rows that have no job. */
  sweepIntervalMs: number;
  /** A queued row younger than this is left to the job its request enqueued after commit. */
  sweepAfterMs: number;
};

/**
 * Nine tries over roughly 15 to 30 minutes: an outage of the provider of that length
 * delays emails without losing them; after that the admin sees "failed" and a reason.
 */
export const DEFAULT_JOB_TIMING: TJobTiming = {
  pollingIntervalSeconds: 2,
  emailRetryLimit: 8,
  emailRetryDelaySeconds: 15,
  emailRetryBackoff: true,
  emailRetryDelayMaxSeconds: 300,
  emailExpireInSeconds: 120,
  emailSendTimeoutMs: 30_000,
  emailConcurrency: 4,
  sweepIntervalMs: 30_000,
  sweepAfterMs: 30_000,
};

export const BOSS_SCHEMA = "pgboss";

/** Starts pg-boss (installing or migrating its schema) and declares the queues. */
export async function startBoss(
  databaseUrl: string,
  log: Logger,
  timing: TJobTiming = DEFAULT_JOB_TIMING,
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: BOSS_SCHEMA,
    application_name: "meterlink-jobs",
    max: timing.emailConcurrency + 4,
    // No cron schedules: the sweeper is a plain interval.
    schedule: false,
  });
  // Without a listener an 'error' event would crash the process; pg-boss recovers by itself.
  // Message and code only: pg's errors carry the whole client object (connection
  // parameters, buffers), which makes one line kilobytes long.
  boss.on("error", (err: Error & { code?: string }) =>
    log.error({ reason: err.message, errorCode: err.code }, "job queue error"),
  );
  await boss.start();
  const emailQueue = {
    retryLimit: timing.emailRetryLimit,
    retryDelay: timing.emailRetryDelaySeconds,
    retryBackoff: timing.emailRetryBackoff,
    // pg-boss accepts a cap only together with backoff.
    ...(timing.emailRetryBackoff ? { retryDelayMax: timing.emailRetryDelayMaxSeconds } : {}),
    expireInSeconds: timing.emailExpireInSeconds,
  };
  await boss.createQueue(QUEUE.sendEmail, { ...emailQueue, policy: "exclusive" });
  // createQueue keeps an existing queue as it was: carry timing changes over on each start.
  await boss.updateQueue(QUEUE.sendEmail, emailQueue);
  await boss.createQueue(QUEUE.firstCollection, {
    policy: "exclusive",
    retryLimit: 5,
    retryDelay: 60,
    retryBackoff: true,
  });
  return boss;
}

/**
 * Enqueues one send job per outbox row, all in one insert; returns how many were new
 * (the others already had a waiting or running job: exclusive queue, ON CONFLICT DO NOTHING).
 */
export async function enqueueEmails(boss: PgBoss, emailIds: readonly string[]): Promise<number> {
  const unique = [...new Set(emailIds)];
  if (unique.length === 0) return 0;
  const jobs = unique.map((emailId) => {
    const data: TSendEmailJob = { emailId };
    return { data, singletonKey: emailId };
  });
  const ids = await boss.insert(QUEUE.sendEmail, jobs, { returnId: true });
  return ids?.length ?? 0;
}

/**
 * What procedures call after their transaction commits. A failure to enqueue must not
 * fail the request: the rows are committed, and the sweeper enqueues them later.
 * The emails of concurrent requests are enqueued together (lib/batch.ts: one insert and
 * one commit for a burst of invitations), each request answered once its own are in.
 */
export function createJobs(boss: PgBoss, log: Logger): TJobs {
  const enqueue = batcher<string, true>(async (emailIds) => {
    await enqueueEmails(boss, emailIds);
    return emailIds.map(() => true as const);
  });
  return {
    async emailsQueued(emailIds) {
      try {
        await Promise.all(emailIds.map(enqueue));
      } catch (err) {
        log.warn({ err, emailIds }, "could not enqueue emails; the sweeper will pick them up");
      }
    },
    async connectionReady(connectionId) {
      const data: TFirstCollectionJob = { connectionId };
      try {
        await boss.send(QUEUE.firstCollection, data, { singletonKey: connectionId });
      } catch (err) {
        log.warn({ err, connectionId }, "could not enqueue the first collection");
      }
    },
  };
}
