// Admin management of webhook endpoints: list, create (the signing secret is shown once,
// at creation, like an API key: a stolen admin session can't read it back later),
// delete (soft: the delivery log stays), the delivery log, and a test event.
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
    .select({ delivery: webhookDelivery, eventType: webhookEvent.type })
    .from(webhookDelivery)
    .innerJoin(webhookEvent, eq(webhookEvent.id, webhookDelivery.eventId))
    .where(eq(webhookDelivery.endpointId, endpoint.id))
    .orderBy(desc(webhookDelivery.createdAt))
    .limit(input.limit);
  return rows.map(({ delivery, eventType }) => ({
    id: delivery.id,
    eventId: delivery.eventId,
    eventType,
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
