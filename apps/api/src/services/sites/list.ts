// The company's sites: searched by name, address or reference; archived ones only when
// asked. Each carries how many connections cover it (an archived site stays on those).
import { connectionSite, site } from "@meterlink/db";
import type { TListSites } from "@meterlink/shared";
import { and, asc, count, eq, ilike, isNull, or, type SQL } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";

export const siteColumns = {
  id: site.id,
  name: site.name,
  address: site.address,
  reference: site.reference,
  archivedAt: site.archivedAt,
  createdAt: site.createdAt,
  updatedAt: site.updatedAt,
};

/** `%` and `_` typed by a person are letters, not wildcards. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function listSites({
  ctx,
  input = {},
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input?: TListSites;
}) {
  const where: SQL[] = [eq(site.companyId, ctx.company.id)];
  if (!input.includeArchived) where.push(isNull(site.archivedAt));
  const search = input.search?.trim();
  if (search) {
    const pattern = likePattern(search);
    const matches = or(
      ilike(site.name, pattern),
      ilike(site.address, pattern),
      ilike(site.reference, pattern),
    );
    if (matches) where.push(matches);
  }
  return await ctx.db
    .select({ ...siteColumns, connectionCount: count(connectionSite.connectionId) })
    .from(site)
    .leftJoin(connectionSite, eq(connectionSite.siteId, site.id))
    .where(and(...where))
    .groupBy(site.id)
    .orderBy(asc(site.name), asc(site.id));
}
