// Each test file gets its own fresh, migrated database in a few milliseconds: the
// global setup migrates one template database once, and files clone it.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createDatabase, databaseExists, dropDatabase } from "./admin";
import { closeDb, createDb, type TDb } from "./client";
import { startEmbeddedPostgres, withDatabase } from "./embedded";
import { migrateDatabase } from "./migrate";

export const TEMPLATE_DATABASE = "meterlink_test_template";
const ADMIN_URL_VAR = "METERLINK_TEST_ADMIN_DATABASE_URL";

/**
 * Vitest global setup: uses DATABASE_URL when set, else starts an embedded server.
 * The admin URL reaches test workers through the environment (workers are forked after).
 */
export async function setupTestPostgres(repoRoot: string): Promise<() => Promise<void>> {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  let dataDir: string | undefined;
  if (!adminUrl) {
    dataDir = mkdtempSync(join(repoRoot, ".data", "test-pg-"));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = server.url;
    stop = server.stop;
  }
  if (await databaseExists(adminUrl, TEMPLATE_DATABASE)) {
    await dropDatabase(adminUrl, TEMPLATE_DATABASE);
  }
  await createDatabase(adminUrl, TEMPLATE_DATABASE);
  await migrateDatabase(withDatabase(adminUrl, TEMPLATE_DATABASE));
  process.env[ADMIN_URL_VAR] = adminUrl;
  return async () => {
    await stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

export type TTestDatabase = { url: string; db: TDb; close: () => Promise<void> };

/** A fresh migrated database for one test file. */
export async function createTestDatabase(): Promise<TTestDatabase> {
  const adminUrl = process.env[ADMIN_URL_VAR];
  if (!adminUrl) {
    throw new Error(
      "No test PostgreSQL: run tests through `npm test` (the root vitest config starts it).",
    );
  }
  const name = `t_${randomBytes(6).toString("hex")}`;
  await createDatabase(adminUrl, name, { template: TEMPLATE_DATABASE });
  const url = withDatabase(adminUrl, name);
  const db = createDb(url);
  return {
    url,
    db,
    close: async () => {
      await closeDb(db);
      await dropDatabase(adminUrl, name).catch(() => {});
    },
  };
}
