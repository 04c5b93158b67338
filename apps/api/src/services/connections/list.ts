import { connection, connectionSite, site } from "@meterlink/db";
import { desc, eq, inArray } from "drizzle-orm";
import type { TAdminContext } from "../../trpc";

export async function listConnections({ ctx }: { ctx: TAdminContext }) {
  const rows = await ctx.db
    .select({
      id: connection.id,
      providerId: connection.providerId,
      providerName: connection.providerName,
      utilityTypes: connection.utilityTypes,
      ownerEmail: connection.ownerEmail,
      status: connection.status,
      statusReason: connection.statusReason,
      lastCollectedAt: connection.lastCollectedAt,
      createdAt: connection.createdAt,
    })
    .from(connection)
    .where(eq(connection.companyId, ctx.company.id))
    .orderBy(desc(connection.createdAt));
  const ids = rows.map((row) => row.id);
  const links = ids.length
    ? await ctx.db
        .select({ connectionId: connectionSite.connectionId, id: site.id, name: site.name })
        .from(connectionSite)
        .innerJoin(site, eq(site.id, connectionSite.siteId))
        .where(inArray(connectionSite.connectionId, ids))
    : [];
  return rows.map((row) => ({
    ...row,
    sites: links
      .filter((link) => link.connectionId === row.id)
      .map(({ id, name }) => ({ id, name })),
  }));
}
