import { connectionSite, site } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, count, eq } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { siteColumns } from "./list";

export const SITE_NOT_FOUND = new AppError(
  "NOT_FOUND",
  "This site does not exist in your company. Pick one from the site list.",
);

/** One site of the caller's company; another company's site is "not found", never shown. */
export async function getSite({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: { id: string };
}) {
  const [found] = await ctx.db
    .select({ ...siteColumns, connectionCount: count(connectionSite.connectionId) })
    .from(site)
    .leftJoin(connectionSite, eq(connectionSite.siteId, site.id))
    .where(and(eq(site.id, input.id), eq(site.companyId, ctx.company.id)))
    .groupBy(site.id);
  if (!found) throw SITE_NOT_FOUND;
  return found;
}
