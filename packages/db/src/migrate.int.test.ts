import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { company, membership, site } from "./schema";
import { createTestDatabase } from "./testing";

describe("migrations", () => {
  it("apply to an empty database and give every domain table", async () => {
    const test = await createTestDatabase();
    afterAll(() => test.close());
    const rows = await test.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    const tables = rows.map((row) => row.table_name).sort();
    expect(tables).toEqual(
      expect.arrayContaining([
        "company",
        "connection",
        "membership",
        "provider",
        "session",
        "site",
        "user",
      ]),
    );
    const [created] = await test.db
      .insert(company)
      .values({ name: "Acme", displayName: "Acme" })
      .returning();
    expect(created?.whiteLabel).toBe(false);
    await expect(
      test.db.insert(site).values({ companyId: "00000000-0000-0000-0000-000000000000", name: "x" }),
    ).rejects.toThrow();
    expect(membership).toBeDefined();
  });
});
