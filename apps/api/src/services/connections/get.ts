// Connections as the REST API shows them (dates as ISO strings), scoped to the caller's
// company: another company's id answers exactly like an unknown one.
import { connection, connectionSite, site } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";

type TCtx = Pick<TCompanyContext, "db" | "company">;

async function withSites(ctx: TCtx, rows: (typeof connection.$inferSelect)[]) {
  const ids = rows.map((row) => row.id);
  const links = ids.length
    ? await ctx.db
        .select({ connectionId: connectionSite.connectionId, id: site.id, name: site.name })
        .from(connectionSite)
        .innerJoin(site, eq(site.id, connectionSite.siteId))
        .where(inArray(connectionSite.connectionId, ids))
    : [];
  // Never the sealed credential: it is listed field by field on purpose.
  return rows.map((row) => ({
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
  }));
}

export async function listCompanyConnections({ ctx }: { ctx: TCtx }) {
  const rows = await ctx.db
    .select()
    .from(connection)
    .where(eq(connection.companyId, ctx.company.id))
    .orderBy(desc(connection.createdAt));
  return { items: await withSites(ctx, rows) };
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
