// Loads a catalog file into the provider table. Idempotent and migration-safe: a row is
// upserted by its stable id, nothing is deleted (connections keep pointing at providers
// that leave a file), and a file with any bad entry writes nothing.
import { provider, type TDb, type TDbOrTx } from "@meterlink/db";
import { AppError, type TFieldError, ZCatalogFile } from "@meterlink/shared";
import { sql } from "drizzle-orm";
import { normalizeSender } from "../mfa/match";
import { publicSite } from "./public-site";

export async function importProviders(db: TDb, content: unknown) {
  const parsed = ZCatalogFile.safeParse(content);
  if (!parsed.success) {
    const fields: TFieldError[] = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    throw new AppError("BAD_REQUEST", describe(fields), { fields });
  }
  const fields: TFieldError[] = [];
  const seen = new Set<string>();
  const rows = parsed.data.providers.flatMap((entry, index) => {
    if (seen.has(entry.id)) {
      fields.push({ path: `providers.${index}.id`, message: `"${entry.id}" appears twice.` });
    }
    seen.add(entry.id);
    try {
      const site = publicSite(entry.loginUrl, `providers.${index}.loginUrl`);
      return [
        {
          id: entry.id,
          name: entry.name,
          country: entry.country,
          loginUrl: site.url,
          allowedHostnames: entry.allowedHostnames ?? site.allowedHostnames,
          utilityTypes: entry.utilityTypes,
          mfa: entry.mfa,
          isSandbox: false,
          rules: entry.rules ?? {},
          ...(entry.smsSenders
            ? { smsSenders: entry.smsSenders.flatMap((raw) => normalizeSender(raw) ?? []) }
            : {}),
        },
      ];
    } catch (error) {
      if (error instanceof AppError) fields.push(...error.fields);
      else throw error;
      return [];
    }
  });
  if (fields.length > 0) throw new AppError("BAD_REQUEST", describe(fields), { fields });

  return await db.transaction((tx) => upsertProviderRows(tx, rows));
}

export type TProviderRow = typeof provider.$inferInsert;

/**
 * Inserts or refreshes catalog rows by id (the one writer of the catalog: the import
 * command and the dev seed both come here). Connections keep their provider id, so a
 * refresh never orphans one.
 */
export async function upsertProviderRows(
  db: TDbOrTx,
  rows: TProviderRow[],
): Promise<{ created: number; updated: number }> {
  let created = 0;
  for (const row of rows) {
    const [result] = await db
      .insert(provider)
      .values(row)
      .onConflictDoUpdate({
        target: provider.id,
        set: {
          name: row.name,
          country: row.country,
          loginUrl: row.loginUrl,
          allowedHostnames: row.allowedHostnames,
          utilityTypes: row.utilityTypes,
          mfa: row.mfa,
          isSandbox: row.isSandbox ?? false,
          rules: row.rules ?? sql`'{}'::jsonb`,
          // Left as stored (configured or learned) unless the file lists them.
          ...(row.smsSenders ? { smsSenders: row.smsSenders } : {}),
        },
      })
      // xmax = 0 only on a freshly inserted row: counts what was new.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    if (result?.inserted) created += 1;
  }
  return { created, updated: rows.length - created };
}

function describe(fields: TFieldError[]): string {
  return [
    "The catalog file has errors; nothing was imported:",
    ...fields.map((f) => `  ${f.path || "(file)"}: ${f.message}`),
  ].join("\n");
}
