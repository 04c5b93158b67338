import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "./admin";
import { closeDb, createDb } from "./client";
import { withDatabase } from "./embedded";
import { migrateDatabase } from "./migrate";

const adminUrl = process.env.METERLINK_TEST_ADMIN_DATABASE_URL ?? "";
const name = `m_${Date.now().toString(36)}`;
const url = withDatabase(adminUrl, name);

afterAll(async () => {
  const db = createDb(withDatabase(adminUrl, "postgres"), { max: 1 });
  await db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
  await closeDb(db);
});

describe("migrations at start", () => {
  it("apply once when several processes start together on an empty database", async () => {
    await createDatabase(adminUrl, name);
    await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    const db = createDb(url, { max: 1 });
    const applied = await db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    await closeDb(db);
    const journal = await import("../drizzle/meta/_journal.json", { with: { type: "json" } });
    expect(applied[0]?.n).toBe(journal.default.entries.length);
  });
});
