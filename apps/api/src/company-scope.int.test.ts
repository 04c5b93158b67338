import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callerFor,
  createAdminUser,
  createCompany,
  createConnection,
  createSite,
} from "../test/factories";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe("company scoping", () => {
  it("shows an admin only their own company's sites and connections", async () => {
    const a = await createCompany(database.db);
    const b = await createCompany(database.db);
    await createSite(database.db, a.id, "A tower");
    await createSite(database.db, b.id, "B tower");
    const adminA = await createAdminUser(database.db, a.id);
    const caller = callerFor(database.db, { userId: adminA.id, email: adminA.email, name: "A" });
    const sites = await caller.admin.sites.list();
    expect(sites.map((s) => s.name)).toEqual(["A tower"]);
    const mine = await createConnection(database.db, a.id, { providerName: "A power" });
    await createConnection(database.db, b.id, { providerName: "B power" });
    const connections = await caller.admin.connections.list();
    expect(JSON.stringify(connections)).toContain(mine.id);
    expect(JSON.stringify(connections)).not.toContain("B power");
    expect((await caller.admin.me()).company.id).toBe(a.id);
  });

  it("refuses a signed-in user who belongs to no company", async () => {
    const caller = callerFor(database.db, {
      userId: "ghost",
      email: "ghost@example.test",
      name: "G",
    });
    await expect(caller.admin.sites.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses anonymous callers", async () => {
    await expect(callerFor(database.db, null).admin.me()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
