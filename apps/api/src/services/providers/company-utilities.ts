// A company's own utilities (Settings › Utilities): rows of the provider table that only
// that company sees. Their allowed hostnames come from the address's registrable domain
// (`*.example.com`), never from free text; an address the catalog already covers is
// pointed at the catalog entry instead of duplicated.
import { randomUUID } from "node:crypto";
import { provider } from "@meterlink/db";
import { AppError, type TCreateUtility, ZCreateUtility } from "@meterlink/shared";
import { asc, eq, isNull, or, type SQL } from "drizzle-orm";
import { getDomain } from "tldts";
import type { TCompanyContext } from "../../trpc";
import { checkUtilityUrl, type TResolveHost } from "./check-url";

/** The providers a company may use: the shared catalog and its own. */
export function providersVisibleTo(companyId: string): SQL {
  return or(isNull(provider.companyId), eq(provider.companyId, companyId)) as SQL;
}

export async function listCompanyUtilities({
  ctx,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
}) {
  return await ctx.db
    .select({
      id: provider.id,
      name: provider.name,
      country: provider.country,
      loginUrl: provider.loginUrl,
      allowedHostnames: provider.allowedHostnames,
      utilityTypes: provider.utilityTypes,
      createdAt: provider.createdAt,
    })
    .from(provider)
    .where(eq(provider.companyId, ctx.company.id))
    .orderBy(asc(provider.name));
}

export async function createCompanyUtility({
  ctx,
  input,
  resolve,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: TCreateUtility;
  /** Tests give names their addresses; by default the system resolver. */
  resolve?: TResolveHost;
}) {
  const fields = ZCreateUtility.parse(input);
  const site = await checkUtilityUrl(fields.url, { field: "url", resolve });
  const all = await ctx.db
    .select({
      name: provider.name,
      loginUrl: provider.loginUrl,
      domain: provider.registrableDomain,
    })
    .from(provider)
    .where(providersVisibleTo(ctx.company.id));
  const same = all.find((row) => (row.domain ?? domainOf(row.loginUrl)) === site.registrableDomain);
  if (same) {
    throw AppError.field(
      "url",
      `${same.name} already uses ${site.registrableDomain}: pick it from the list instead of adding it again.`,
    );
  }
  const [created] = await ctx.db
    .insert(provider)
    .values({
      id: randomUUID(),
      name: fields.name,
      country: fields.country,
      loginUrl: site.url,
      allowedHostnames: site.allowedHostnames,
      registrableDomain: site.registrableDomain,
      utilityTypes: fields.utilityTypes,
      kind: "company",
      companyId: ctx.company.id,
    })
    .returning();
  if (!created) throw new AppError("INTERNAL", "The utility could not be saved.");
  return created;
}

/** A provider row's registrable domain when it predates the column. */
export function domainOf(loginUrl: string): string | null {
  try {
    return getDomain(new URL(loginUrl).hostname);
  } catch {
    return null;
  }
}
