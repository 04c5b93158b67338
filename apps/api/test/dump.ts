import type { TDb } from "@meterlink/db";
import { sql } from "drizzle-orm";

/**
 * Every row of every table in the public schema as JSON text: what someone holding a
 * database dump would read. Tests assert a secret appears nowhere in it.
 */
export async function databaseDump(db: TDb): Promise<string> {
  const tables = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.execute<{ row: string }>(
      sql`select row_to_json(t)::text as row from ${sql.identifier(table_name)} t`,
    );
    for (const { row } of rows) parts.push(`${table_name} ${row}`);
  }
  return parts.join("\n");
}
