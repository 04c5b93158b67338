// Webhook delivery on the job queue: a dispatcher turns outbox events into one
// `webhook.deliver` job per endpoint (exclusive queue, singletonKey event:endpoint), and
// workers make the attempts. pg-boss retries a failed attempt with exponential backoff:
// by default 8 tries over about an hour, each one logged in `webhook_delivery`.
import type { TDb } from "@meterlink/db";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { sweepExpiredInvitations } from "../services/invitations/sweep-expired";
import {
  deliverWebhook,
  dispatchWebhookEvents,
  type TWebhookJob,
  WebhookRetryLater,
} from "../services/webhooks/deliver";

export const WEBHOOK_QUEUE = "webhook.deliver";

export type TWebhookTiming = {
  /** How often the dispatcher looks at the outbox. */
  dispatchIntervalMs: number;
  pollingIntervalSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** One POST to an endpoint is abandoned (and retried) after this long. */
  timeoutMs: number;
  concurrency: number;
};

export const DEFAULT_WEBHOOK_TIMING: TWebhookTiming = {
  dispatchIntervalMs: 1_000,
  pollingIntervalSeconds: 1,
  retryLimit: 7,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 1_800,
  timeoutMs: 10_000,
  concurrency: 4,
};

export type TWebhookJobsOptions = {
  boss: PgBoss;
  db: TDb;
  log: Logger;
  tokenKey: Buffer;
  allowPrivateNetwork: boolean;
  timing?: Partial<TWebhookTiming>;
};

export async function startWebhookJobs(options: TWebhookJobsOptions) {
  const { boss, db, log } = options;
  const timing: TWebhookTiming = { ...DEFAULT_WEBHOOK_TIMING, ...options.timing };
  const queue = {
    retryLimit: timing.retryLimit,
    retryDelay: timing.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: timing.retryDelayMaxSeconds,
    expireInSeconds: Math.ceil(timing.timeoutMs / 1000) + 60,
  };
  await boss.createQueue(WEBHOOK_QUEUE, { ...queue, policy: "exclusive" });
  await boss.updateQueue(WEBHOOK_QUEUE, queue);

  const enqueue = async (jobs: TWebhookJob[]) => {
    for (const job of jobs) {
      await boss.send(WEBHOOK_QUEUE, job, { singletonKey: `${job.eventId}:${job.endpointId}` });
    }
  };
  // Expiries found by the sweep land in the outbox the dispatch right after reads.
  const dispatch = async () => {
    await sweepExpiredInvitations(db);
    return dispatchWebhookEvents(db, enqueue);
  };

  const deps = {
    db,
    tokenKey: options.tokenKey,
    timeoutMs: timing.timeoutMs,
    allowPrivateNetwork: options.allowPrivateNetwork,
  };
  await boss.work(
    WEBHOOK_QUEUE,
    {
      includeMetadata: true,
      localConcurrency: timing.concurrency,
      pollingIntervalSeconds: timing.pollingIntervalSeconds,
    },
    async (batch: JobWithMetadata<TWebhookJob>[]) => {
      for (const job of batch) {
        try {
          await deliverWebhook(deps, job.data, {
            number: job.retryCount + 1,
            last: job.retryCount >= job.retryLimit,
          });
        } catch (err) {
          if (!(err instanceof WebhookRetryLater)) {
            log.error({ err, eventId: job.data.eventId }, "webhook job failed");
          }
          throw err;
        }
      }
    },
  );

  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void dispatch()
      .catch((err) => log.warn({ err }, "webhook dispatch failed; will try again"))
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, timing.dispatchIntervalMs);
  timer.unref();

  return {
    dispatch,
    stop() {
      clearInterval(timer);
    },
  };
}
