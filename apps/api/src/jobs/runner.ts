// The job runner of an API (or jobs-only) process: pg-boss, the email worker and the
// outbox sweeper. The sweeper is what makes "nothing is lost" true: a row committed
// while its job could not be enqueued (crash between commit and enqueue, queue down, a
// process restarted) is enqueued by whichever runner sweeps next.
import { emailMessage, type TDb } from "@meterlink/db";
import { and, asc, eq, lt } from "drizzle-orm";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { TApiEnv } from "../env";
import { parseKey } from "../lib/tokens";
import type { TJobs } from "../trpc";
import {
  createJobs,
  DEFAULT_JOB_TIMING,
  enqueueEmails,
  QUEUE,
  startBoss,
  type TJobTiming,
  type TSendEmailJob,
} from "./boss";
import {
  startCollectionWorker,
  type TCollectionTiming,
  type TCollectionWorker,
} from "./collection";
import { RetryLater, sendEmailMessage } from "./send-email";
import { resendBaseUrl, resendTransport, type TEmailTransport } from "./transport";
import { startWebhookJobs, type TWebhookTiming } from "./webhooks";

export type TJobRunner = {
  jobs: TJobs;
  boss: PgBoss;
  /** Enqueues outbox rows left without a job; returns how many were enqueued. */
  sweep(): Promise<number>;
  /** Bill collection (null when this runner only enqueues). */
  collection: TCollectionWorker | null;
  /** Stops taking jobs, lets running ones finish (bounded), closes the queue's pool. */
  stop(): Promise<void>;
};

export type TJobRunnerOptions = {
  db: TDb;
  env: TApiEnv;
  log: Logger;
  timing?: Partial<TJobTiming>;
  /** Defaults to the `resend` SDK configured from the environment. */
  transport?: TEmailTransport;
  collectionTiming?: Partial<TCollectionTiming>;
  /** false: only enqueue (a process that leaves the work to a jobs Deployment). */
  work?: boolean;
  webhookTiming?: Partial<TWebhookTiming>;
};

const SWEEP_BATCH = 500;

export async function startJobRunner(options: TJobRunnerOptions): Promise<TJobRunner> {
  const { db, env, log } = options;
  const timing: TJobTiming = { ...DEFAULT_JOB_TIMING, ...options.timing };
  const boss = await startBoss(env.DATABASE_URL, log, timing);
  const jobs = createJobs(boss, log);

  async function sweep(): Promise<number> {
    const rows = await db
      .select({ id: emailMessage.id })
      .from(emailMessage)
      .where(
        and(
          eq(emailMessage.status, "queued"),
          lt(emailMessage.createdAt, new Date(Date.now() - timing.sweepAfterMs)),
        ),
      )
      .orderBy(asc(emailMessage.createdAt))
      .limit(SWEEP_BATCH);
    if (rows.length === 0) return 0;
    const enqueued = await enqueueEmails(
      boss,
      rows.map((row) => row.id),
    );
    if (enqueued > 0) log.info({ enqueued }, "outbox sweeper enqueued emails without a job");
    return enqueued;
  }

  let sweeper: NodeJS.Timeout | undefined;
  let collection: TCollectionWorker | null = null;
  let webhooks: Awaited<ReturnType<typeof startWebhookJobs>> | undefined;
  if (options.work !== false) {
    collection = await startCollectionWorker({
      boss,
      db,
      env,
      log,
      timing: options.collectionTiming,
    });
    webhooks = await startWebhookJobs({
      boss,
      db,
      log,
      tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY),
      allowPrivateNetwork: env.NODE_ENV !== "production",
      timing: options.webhookTiming,
    });
    if (!env.RESEND_API_KEY) {
      const level = env.NODE_ENV === "production" ? "error" : "info";
      log[level]({ baseUrl: resendBaseUrl(env) }, "no RESEND_API_KEY: emails go to the mail sink");
    }
    const transport = options.transport ?? resendTransport(env);
    const deps = {
      db,
      log,
      transport,
      publicUrl: env.PUBLIC_URL,
      tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY),
      emailFrom: env.EMAIL_FROM,
      sendTimeoutMs: timing.emailSendTimeoutMs,
      // Twice a job's tries: room for one fresh job from the sweeper after a worker died.
      maxAttempts: 2 * (timing.emailRetryLimit + 1),
    };
    await boss.work(
      QUEUE.sendEmail,
      {
        includeMetadata: true,
        localConcurrency: timing.emailConcurrency,
        pollingIntervalSeconds: timing.pollingIntervalSeconds,
      },
      async (batch: JobWithMetadata<TSendEmailJob>[]) => {
        for (const job of batch) {
          try {
            await sendEmailMessage(deps, job.data.emailId, {
              lastTry: job.retryCount >= job.retryLimit,
            });
          } catch (err) {
            // RetryLater is the expected path; anything else (database down) retries too.
            if (!(err instanceof RetryLater)) {
              log.error({ err, emailId: job.data.emailId }, "email job failed");
            }
            throw err;
          }
        }
      },
    );
    const runSweep = () =>
      void sweep().catch((err) => log.warn({ err }, "outbox sweep failed; will try again"));
    runSweep();
    sweeper = setInterval(runSweep, timing.sweepIntervalMs);
    sweeper.unref();
  }

  return {
    jobs,
    boss,
    sweep,
    collection,
    async stop() {
      if (sweeper) clearInterval(sweeper);
      collection?.stop();
      webhooks?.stop();
      await boss.stop({ graceful: true, timeout: timing.emailSendTimeoutMs + 5_000 });
    },
  };
}
