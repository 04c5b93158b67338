// The webhook outbox. Services call `emitWebhookEvent` inside the transaction of what
// happened, so an event exists exactly when its cause committed; the job runner
// delivers it afterwards (jobs/webhooks.ts). Companies without endpoints write nothing.
// Every event about an invitation or a connection carries the integrator's own
// `externalReference` and `metadata` (from the invitation; a connection inherits those
// of the invitation that created it), added here so no emitter can forget them; every
// `connection.*` event also carries the connection's `accountNumber` as it is then.
import {
  connection,
  invitation,
  invitationConnection,
  type TDbOrTx,
  webhookEndpoint,
  webhookEvent,
} from "@meterlink/db";
import type { TWebhookEventType } from "@meterlink/shared/developer";
import { and, asc, eq, is, isNull, Placeholder, type SQL, sql } from "drizzle-orm";

async function integratorKeysOf(
  db: TDbOrTx,
  data: Record<string, unknown>,
): Promise<{ externalReference: string | null; metadata: Record<string, string> }> {
  const none = { externalReference: null, metadata: {} };
  const keys = { externalReference: invitation.externalReference, metadata: invitation.metadata };
  if (typeof data.invitationId === "string") {
    const [row] = await db
      .select(keys)
      .from(invitation)
      .where(eq(invitation.id, data.invitationId));
    return row ?? none;
  }
  if (typeof data.connectionId === "string") {
    const [row] = await db
      .select(keys)
      .from(invitationConnection)
      .innerJoin(invitation, eq(invitation.id, invitationConnection.invitationId))
      .where(
        and(
          eq(invitationConnection.connectionId, data.connectionId),
          eq(invitationConnection.action, "created"),
        ),
      )
      .orderBy(asc(invitationConnection.createdAt))
      .limit(1);
    return row ?? none;
  }
  return none;
}

/** What every `connection.*` event says about the connection itself. */
async function connectionFieldsOf(
  db: TDbOrTx,
  type: TWebhookEventType,
  data: Record<string, unknown>,
): Promise<{ accountNumber: string | null } | Record<string, never>> {
  if (!type.startsWith("connection.") || typeof data.connectionId !== "string") return {};
  const [row] = await db
    .select({ accountNumber: connection.accountNumber })
    .from(connection)
    .where(eq(connection.id, data.connectionId));
  return { accountNumber: row?.accountNumber ?? null };
}

export async function emitWebhookEvent(
  db: TDbOrTx,
  event: { companyId: string; type: TWebhookEventType; data: Record<string, unknown> },
): Promise<void> {
  const [endpoint] = await db
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.companyId, event.companyId), isNull(webhookEndpoint.deletedAt)))
    .limit(1);
  if (!endpoint) return;
  await db.insert(webhookEvent).values({
    companyId: event.companyId,
    type: event.type,
    data: {
      ...event.data,
      ...(await connectionFieldsOf(db, event.type, event.data)),
      ...(await integratorKeysOf(db, event.data)),
    },
  });
}

/** An event about one invitation, for the company that owns it. */
export async function emitInvitationWebhook(
  db: TDbOrTx,
  invitationId: string,
  type: TWebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const [row] = await db
    .select({ companyId: invitation.companyId })
    .from(invitation)
    .where(eq(invitation.id, invitationId));
  if (!row) return;
  await emitWebhookEvent(db, { companyId: row.companyId, type, data: { invitationId, ...data } });
}

/**
 * For whatever changes a connection's status (the collection job): call it in the same
 * transaction as the status update, only when the status really changed.
 */
export async function emitConnectionStatusChanged(
  db: TDbOrTx,
  change: {
    companyId: string;
    connectionId: string;
    status: string;
    previousStatus: string;
    reason: string | null;
  },
): Promise<void> {
  const { companyId, ...data } = change;
  await emitWebhookEvent(db, { companyId, type: "connection.status_changed", data });
}

/**
 * The outbox insert of `emitWebhookEvent` as one SQL statement, for a caller that writes
 * it within a larger one (a data-modifying CTE): the row is written only if the company
 * has an endpoint. `data` must already carry the integrator's keys (the caller has the
 * invitation in hand).
 */
export function webhookEventIfSubscribedSql(event: TWebhookEventRow): SQL {
  return webhookEventsIfSubscribedSql([event]);
}

type TWebhookEventRow = {
  companyId: string | Placeholder;
  type: TWebhookEventType;
  /** The data, or the placeholder of a prepared statement that gets it as JSON text. */
  data: Record<string, unknown> | Placeholder;
};

/** The same for several events at once (a batch of first opens): one row per subscribed one. */
export function webhookEventsIfSubscribedSql(events: readonly TWebhookEventRow[]): SQL {
  const column = (c: { name: string }) => sql.identifier(c.name);
  const rows = sql.join(
    events.map(
      (event) =>
        sql`(${event.companyId}::uuid, ${event.type}::text, ${is(event.data, Placeholder) ? event.data : JSON.stringify(event.data)}::jsonb)`,
    ),
    sql`, `,
  );
  return sql`insert into ${webhookEvent} (${column(webhookEvent.companyId)}, ${column(webhookEvent.type)}, ${column(webhookEvent.data)})
    select e.company_id, e.type, e.data
    from (values ${rows}) as e (company_id, type, data)
    where exists (
      select 1 from ${webhookEndpoint}
      where ${webhookEndpoint.companyId} = e.company_id and ${isNull(webhookEndpoint.deletedAt)}
    )
    returning ${column(webhookEvent.id)}`;
}
