import type { TDbOrTx } from "@meterlink/db";
import { provider } from "@meterlink/db";
import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";

export type TProviderSearch = {
  country?: string | null;
  query?: string | null;
  /** Only the utility-sandbox portals (a test-mode invitation's recipient). */
  sandboxOnly?: boolean;
};

/** The catalog, searchable by name or URL within a country. */
export async function searchProviders(db: TDbOrTx, input: TProviderSearch = {}) {
  const where: SQL[] = [];
  if (input.country) where.push(eq(provider.country, input.country));
  if (input.sandboxOnly) where.push(eq(provider.isSandbox, true));
  if (input.query?.trim()) {
    const pattern = `%${input.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = or(
      ilike(provider.name, pattern),
      ilike(provider.loginUrl, pattern),
      ilike(provider.id, pattern),
    );
    if (match) where.push(match);
  }
  return await db
    .select({
      id: provider.id,
      name: provider.name,
      country: provider.country,
      loginUrl: provider.loginUrl,
      utilityTypes: provider.utilityTypes,
      mfa: provider.mfa,
      isSandbox: provider.isSandbox,
    })
    .from(provider)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(provider.name))
    .limit(50);
}
