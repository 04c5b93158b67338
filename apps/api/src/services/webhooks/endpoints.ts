// Management of webhook endpoints, by admins and over the REST API: list, create (the
// signing secret is shown once, at creation or rotation, like an API key: a stolen
// session can't read it back later), delete (soft: the delivery log stays), rotate the
// secret with an overlap window (both secrets sign until it ends), the delivery log with
// each payload, redeliver one delivery's event, and a test event.
import { webhookDelivery, webhookEndpoint, webhookEvent } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { WEBHOOK_TEST_EVENT } from "@meterlink/shared/developer";
import { and, desc, eq, isNull } from "drizzle-orm";
import { newWebhookSecret } from "../../lib/standard-webhooks";
import { decryptSecret, encryptSecret } from "../../lib/tokens";
import type { TCompanyContext } from "../../trpc";

type TCtx = Pick<TCompanyContext, "db" | "company" | "config">;

function endpointView(row: typeof webhookEndpoint.$inferSelect) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    createdAt: row.createdAt.toISOString(),
    /** Until then the previous secret still signs, beside the current one. */
    previousSecretExpiresAt:
      row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now()
        ? row.previousSecretExpiresAt.toISOString()
        : null,
  };
}

async function findEndpoint(ctx: TCtx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(webhookEndpoint)
    .where(
      and(
        eq(webhookEndpoint.id, id),
        eq(webhookEndpoint.companyId, ctx.company.id),
        isNull(webhookEndpoint.deletedAt),
      ),
    );
  if (!row) {
    throw new AppError(
      "NOT_FOUND",
      "This webhook endpoint was not found. It may have been deleted or belong to another company.",
    );
  }
  return row;
}

export async function listWebhookEndpoints({ ctx }: { ctx: TCtx }) {
  const rows = await ctx.db
    .select()
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.companyId, ctx.company.id), isNull(webhookEndpoint.deletedAt)))
    .orderBy(desc(webhookEndpoint.createdAt));
  return rows.map(endpointView);
}

export async function createWebhookEndpoint({
  ctx,
  input,
}: {
  ctx: TCtx;
  input: { url: string; description?: string; eventTypes: string[] };
}) {
  const [row] = await ctx.db
    .insert(webhookEndpoint)
    .values({
      companyId: ctx.company.id,
      url: input.url,
      description: input.description || null,
      eventTypes: input.eventTypes,
      secretCiphertext: encryptSecret(newWebhookSecret(), ctx.config.tokenKey),
    })
    .returning();
  if (!row) throw new Error("webhook endpoint insert returned nothing");
  return { ...endpointView(row), secret: decryptSecret(row.secretCiphertext, ctx.config.tokenKey) };
}

export async function deleteWebhookEndpoint({ ctx, input }: { ctx: TCtx; input: { id: string } }) {
  const row = await findEndpoint(ctx, input.id);
  await ctx.db
    .update(webhookEndpoint)
    .set({ deletedAt: new Date() })
    .where(eq(webhookEndpoint.id, row.id));
  return { id: row.id, deleted: true as const };
}

/** Newest attempts first, with the event each one carried. */
export async function listWebhookDeliveries({
  ctx,
  input,
}: {
  ctx: TCtx;
  input: { endpointId: string; limit: number };
}) {
  const endpoint = await findEndpoint(ctx, input.endpointId);
  const rows = await ctx.db
    .select({ delivery: webhookDelivery, event: webhookEvent })
    .from(webhookDelivery)
    .innerJoin(webhookEvent, eq(webhookEvent.id, webhookDelivery.eventId))
    .where(eq(webhookDelivery.endpointId, endpoint.id))
    .orderBy(desc(webhookDelivery.createdAt))
    .limit(input.limit);
  return rows.map(({ delivery, event }) => ({
    id: delivery.id,
    eventId: event.redeliveryOf ?? event.id,
    eventType: event.type,
    redelivery: event.redeliveryOf !== null,
    /** What was sent (the event's data; the envelope adds id, type, version and times). */
    payload: event.data,
    attempt: delivery.attempt,
    ok: delivery.ok,
    statusCode: delivery.statusCode,
    error: delivery.error,
    durationMs: delivery.durationMs,
    createdAt: delivery.createdAt.toISOString(),
  }));
}

/** Queues a `webhook.test` event for this endpoint only; the delivery log shows the outcome. */
export async function sendTestWebhook({ ctx, input }: { ctx: TCtx; input: { id: string } }) {
  const endpoint = await findEndpoint(ctx, input.id);
  const [event] = await ctx.db
    .insert(webhookEvent)
    .values({
      companyId: ctx.company.id,
      type: WEBHOOK_TEST_EVENT,
      endpointId: endpoint.id,
      data: { message: "This is a test event from Meterlink." },
    })
    .returning({ id: webhookEvent.id });
  if (!event) throw new Error("webhook event insert returned nothing");
  return { eventId: event.id };
}

export const MAX_ROTATION_OVERLAP_SECONDS = 7 * 24 * 60 * 60;

/**
 * A new signing secret, shown once. The old one keeps signing for `overlapSeconds`
 * (0 = stop at once, after a leak), so receivers can deploy the new one first.
 */
export async function rotateWebhookSecret({
  ctx,
  input,
}: {
  ctx: TCtx;
  input: { id: string; overlapSeconds: number };
}) {
  const endpoint = await findEndpoint(ctx, input.id);
  const [row] = await ctx.db
    .update(webhookEndpoint)
    .set({
      secretCiphertext: encryptSecret(newWebhookSecret(), ctx.config.tokenKey),
      previousSecretCiphertext: input.overlapSeconds > 0 ? endpoint.secretCiphertext : null,
      previousSecretExpiresAt:
        input.overlapSeconds > 0 ? new Date(Date.now() + input.overlapSeconds * 1000) : null,
    })
    .where(eq(webhookEndpoint.id, endpoint.id))
    .returning();
  if (!row) throw new Error("webhook endpoint update returned nothing");
  return { ...endpointView(row), secret: decryptSecret(row.secretCiphertext, ctx.config.tokenKey) };
}

/** Sends one delivery's event to its endpoint again, under the same webhook-id. */
export async function redeliverWebhook({
  ctx,
  input,
}: {
  ctx: TCtx;
  input: { id: string; deliveryId: string };
}) {
  const endpoint = await findEndpoint(ctx, input.id);
  const [found] = await ctx.db
    .select({ event: webhookEvent })
    .from(webhookDelivery)
    .innerJoin(webhookEvent, eq(webhookEvent.id, webhookDelivery.eventId))
    .where(
      and(
        eq(webhookDelivery.id, input.deliveryId),
        eq(webhookDelivery.endpointId, endpoint.id),
        eq(webhookEvent.companyId, ctx.company.id),
      ),
    );
  if (!found) {
    throw new AppError(
      "NOT_FOUND",
      "This delivery was not found on this endpoint. List the endpoint's deliveries for their ids.",
    );
  }
  const [event] = await ctx.db
    .insert(webhookEvent)
    .values({
      companyId: ctx.company.id,
      type: found.event.type,
      data: found.event.data,
      endpointId: endpoint.id,
      redeliveryOf: found.event.redeliveryOf ?? found.event.id,
    })
    .returning({ id: webhookEvent.id });
  if (!event) throw new Error("webhook event insert returned nothing");
  return { eventId: found.event.redeliveryOf ?? found.event.id, queued: true as const };
}
