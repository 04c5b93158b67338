// Connections as the REST API shows them (dates as ISO strings), scoped to the caller's
// company: another company's id answers exactly like an unknown one. A connection's
// metadata and external reference are those of the invitation that created it, so an
// integrator finds their own record on both.
import { connection, connectionSite, invitation, invitationConnection, site } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import type { TApiListConnections } from "@meterlink/shared/developer";
import { and, count, desc, eq, exists, ilike, inArray, or, type SQL } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";

type TCtx = Pick<TCompanyContext, "db" | "company">;

async function withSites(ctx: TCtx, rows: (typeof connection.$inferSelect)[]) {
  const ids = rows.map((row) => row.id);
  const tags = [...new Set(rows.flatMap((row) => (row.accountTag ? [row.accountTag] : [])))];
  const [links, origins, sameAccount] = ids.length
    ? await Promise.all([
        ctx.db
          .select({ connectionId: connectionSite.connectionId, id: site.id, name: site.name })
          .from(connectionSite)
          .innerJoin(site, eq(site.id, connectionSite.siteId))
          .where(inArray(connectionSite.connectionId, ids)),
        ctx.db
          .select({
            connectionId: invitationConnection.connectionId,
            invitationId: invitation.id,
            metadata: invitation.metadata,
            externalReference: invitation.externalReference,
          })
          .from(invitationConnection)
          .innerJoin(invitation, eq(invitation.id, invitationConnection.invitationId))
          .where(
            and(
              inArray(invitationConnection.connectionId, ids),
              eq(invitationConnection.action, "created"),
            ),
          ),
        // Duplicates: the company's other connections of the same utility account.
        tags.length
          ? ctx.db
              .select({ id: connection.id, accountTag: connection.accountTag })
              .from(connection)
              .where(
                and(eq(connection.companyId, ctx.company.id), inArray(connection.accountTag, tags)),
              )
          : [],
      ])
    : [[], [], []];
  // Never the sealed credential: it is listed field by field on purpose.
  return rows.map((row) => {
    const origin = origins.find((link) => link.connectionId === row.id);
    return {
      id: row.id,
      providerId: row.providerId,
      providerName: row.providerName,
      utilityTypes: row.utilityTypes,
      ownerEmail: row.ownerEmail,
      status: row.status,
      statusReason: row.statusReason,
      collectionStartDate: row.collectionStartDate,
      lastCollectedAt: row.lastCollectedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      sites: links
        .filter((link) => link.connectionId === row.id)
        .map(({ id, name }) => ({ id, name })),
      metadata: origin?.metadata ?? {},
      externalReference: origin?.externalReference ?? null,
      invitationId: origin?.invitationId ?? null,
      unlistedDomain: row.unlistedDomain,
      accountNumber: row.accountNumber,
      sameAccountAs: row.accountTag
        ? sameAccount
            .filter((other) => other.accountTag === row.accountTag && other.id !== row.id)
            .map((other) => other.id)
        : [],
    };
  });
}

/** Every connection of the company, newest first (the admin's Connections page). */
export async function listCompanyConnections({ ctx }: { ctx: TCtx }) {
  const rows = await ctx.db
    .select()
    .from(connection)
    .where(eq(connection.companyId, ctx.company.id))
    .orderBy(desc(connection.createdAt));
  return { items: await withSites(ctx, rows) };
}

/** GET /connections: filtered, searched and paged, newest first. */
export async function listConnectionsPage({
  ctx,
  input,
}: {
  ctx: TCtx;
  input: TApiListConnections;
}) {
  const createdBy = (condition: SQL) =>
    exists(
      ctx.db
        .select({ one: invitationConnection.connectionId })
        .from(invitationConnection)
        .innerJoin(invitation, eq(invitation.id, invitationConnection.invitationId))
        .where(
          and(
            eq(invitationConnection.connectionId, connection.id),
            eq(invitationConnection.action, "created"),
            condition,
          ),
        ),
    );
  const pattern = input.search ? `%${input.search.replace(/[\\%_]/g, "\\$&")}%` : null;
  const where = and(
    eq(connection.companyId, ctx.company.id),
    input.status ? eq(connection.status, input.status) : undefined,
    input.providerId ? eq(connection.providerId, input.providerId) : undefined,
    input.siteId
      ? exists(
          ctx.db
            .select({ one: connectionSite.siteId })
            .from(connectionSite)
            .where(
              and(
                eq(connectionSite.connectionId, connection.id),
                eq(connectionSite.siteId, input.siteId),
              ),
            ),
        )
      : undefined,
    input.externalReference
      ? createdBy(eq(invitation.externalReference, input.externalReference))
      : undefined,
    pattern
      ? or(
          ilike(connection.providerName, pattern),
          ilike(connection.ownerEmail, pattern),
          createdBy(ilike(invitation.externalReference, pattern)),
        )
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(connection)
      .where(where)
      .orderBy(desc(connection.createdAt), desc(connection.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ n: count() }).from(connection).where(where),
  ]);
  return {
    items: await withSites(ctx, rows),
    total: total?.n ?? 0,
    page: input.page,
    pageSize: input.pageSize,
  };
}

export async function getConnection({ ctx, input }: { ctx: TCtx; input: { id: string } }) {
  const [row] = await ctx.db
    .select()
    .from(connection)
    .where(and(eq(connection.id, input.id), eq(connection.companyId, ctx.company.id)));
  if (!row) {
    throw new AppError(
      "NOT_FOUND",
      "This connection was not found. It may belong to another company.",
    );
  }
  const [view] = await withSites(ctx, [row]);
  if (!view) throw new Error("connection view vanished");
  return view;
}
