import { site } from "@meterlink/db";
import { asc, eq } from "drizzle-orm";
import type { TAdminContext } from "../../trpc";

export async function listSites({ ctx }: { ctx: TAdminContext }) {
  return await ctx.db
    .select({ id: site.id, name: site.name, address: site.address })
    .from(site)
    .where(eq(site.companyId, ctx.company.id))
    .orderBy(asc(site.name));
}
