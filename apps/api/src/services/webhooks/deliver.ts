// Delivering the webhook outbox. `dispatchWebhookEvents` turns each new event into one
// job per subscribed endpoint; `deliverWebhook` makes one attempt of one job and logs it
// (a `webhook_delivery` row per attempt, success or not). The webhook-id is the event
// id on every attempt, so receivers can drop duplicates; a failed attempt is retried by
// the queue with exponential backoff up to a bound.
import { company, type TDb, webhookDelivery, webhookEndpoint, webhookEvent } from "@meterlink/db";
import { WEBHOOK_PAYLOAD_VERSION } from "@meterlink/shared/developer";
import { and, arrayContains, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type Agent, fetch } from "undici";
import { signWebhook } from "../../lib/standard-webhooks";
import { decryptSecret } from "../../lib/tokens";
import { PrivateDestinationError, publicOnlyAgent } from "./guarded-agent";

export type TWebhookJob = { eventId: string; endpointId: string };

export type TWebhookDeliveryDeps = {
  db: TDb;
  tokenKey: Buffer;
  timeoutMs: number;
  /** false in production: no delivery to loopback, private or link-local addresses. */
  allowPrivateNetwork: boolean;
};

/** Thrown to have the queue retry later. Carries no secret and no response body. */
export class WebhookRetryLater extends Error {
  override name = "WebhookRetryLater";
}

const DISPATCH_BATCH = 200;

/** Claims undispatched events (skip-locked: replicas share the work) and enqueues jobs. */
export async function dispatchWebhookEvents(
  db: TDb,
  enqueue: (jobs: TWebhookJob[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const events = await tx
      .select()
      .from(webhookEvent)
      .where(isNull(webhookEvent.dispatchedAt))
      .orderBy(asc(webhookEvent.createdAt))
      .limit(DISPATCH_BATCH)
      .for("update", { skipLocked: true });
    const jobs: TWebhookJob[] = [];
    for (const event of events) {
      const endpoints = await tx
        .select({ id: webhookEndpoint.id })
        .from(webhookEndpoint)
        .where(
          and(
            eq(webhookEndpoint.companyId, event.companyId),
            isNull(webhookEndpoint.deletedAt),
            event.endpointId
              ? eq(webhookEndpoint.id, event.endpointId)
              : and(
                  lte(webhookEndpoint.createdAt, event.createdAt),
                  or(
                    sql`cardinality(${webhookEndpoint.eventTypes}) = 0`,
                    arrayContains(webhookEndpoint.eventTypes, [event.type]),
                  ),
                ),
          ),
        );
      for (const endpoint of endpoints) jobs.push({ eventId: event.id, endpointId: endpoint.id });
    }
    // Enqueued before the rows are marked: a crash in between re-sends (same webhook-id),
    // it never loses an event.
    if (jobs.length) await enqueue(jobs);
    if (events.length) {
      await tx
        .update(webhookEvent)
        .set({ dispatchedAt: new Date() })
        .where(
          inArray(
            webhookEvent.id,
            events.map((event) => event.id),
          ),
        );
    }
    return events.length;
  });
}

// Connect-time guard (guarded-agent.ts); one per process, it pools connections.
let publicOnly: Agent | undefined;

export type TAttemptOutcome = { ok: boolean; statusCode: number | null; error: string | null };

/**
 * One attempt. Returns quietly when delivered (or nothing is left to deliver), throws
 * WebhookRetryLater when the endpoint failed and tries remain.
 */
export async function deliverWebhook(
  deps: TWebhookDeliveryDeps,
  job: TWebhookJob,
  attempt: { number: number; last: boolean },
): Promise<TAttemptOutcome | null> {
  const [row] = await deps.db
    .select({ event: webhookEvent, endpoint: webhookEndpoint, testOf: company.testOf })
    .from(webhookEvent)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, job.endpointId))
    .innerJoin(company, eq(company.id, webhookEvent.companyId))
    .where(eq(webhookEvent.id, job.eventId));
  // Deleted meanwhile: nothing to deliver, nothing to retry.
  if (!row || row.endpoint.deletedAt) return null;
  const { event, endpoint, testOf } = row;

  // The envelope repeats what the headers say (id, time) so a stored payload stands on
  // its own; `version` is the payload schema's version (docs/webhooks.md).
  const eventId = event.redeliveryOf ?? event.id;
  const body = JSON.stringify({
    id: eventId,
    type: event.type,
    version: WEBHOOK_PAYLOAD_VERSION,
    // A test environment's events name the live company, marked `livemode: false`.
    companyId: testOf ?? event.companyId,
    livemode: testOf === null,
    occurredAt: event.createdAt.toISOString(),
    timestamp: event.createdAt.toISOString(),
    data: event.data,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  // During a rotation's overlap both secrets sign (space-separated, as Standard
  // Webhooks allows): a receiver with either one verifies.
  const secrets = [endpoint.secretCiphertext];
  if (
    endpoint.previousSecretCiphertext &&
    (endpoint.previousSecretExpiresAt?.getTime() ?? 0) > Date.now()
  ) {
    secrets.push(endpoint.previousSecretCiphertext);
  }
  const started = performance.now();
  let outcome: TAttemptOutcome;
  try {
    const url = new URL(endpoint.url);
    publicOnly ??= publicOnlyAgent();
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Meterlink-Webhooks/1",
        "webhook-id": eventId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": secrets
          .map((sealed) =>
            signWebhook(decryptSecret(sealed, deps.tokenKey), { id: eventId, timestamp, body }),
          )
          .join(" "),
      },
      body,
      // A redirect could point anywhere (including inside our network): not followed.
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs),
      ...(deps.allowPrivateNetwork ? {} : { dispatcher: publicOnly }),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    outcome = {
      ok,
      statusCode: response.status,
      error: ok ? null : `the endpoint answered HTTP ${response.status}`,
    };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    const refused = err instanceof Error && err.cause instanceof PrivateDestinationError;
    outcome = {
      ok: false,
      statusCode: null,
      error: refused
        ? (err.cause as PrivateDestinationError).message
        : timedOut
          ? `no answer within ${Math.round(deps.timeoutMs / 1000)} s`
          : "could not connect to the endpoint",
    };
  }
  await deps.db.insert(webhookDelivery).values({
    eventId: event.id,
    endpointId: endpoint.id,
    attempt: attempt.number,
    ok: outcome.ok,
    statusCode: outcome.statusCode,
    error: outcome.error,
    durationMs: Math.round(performance.now() - started),
  });
  if (!outcome.ok && !attempt.last) throw new WebhookRetryLater(outcome.error ?? "failed");
  return outcome;
}
