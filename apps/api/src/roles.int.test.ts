// Roles: a viewer reads everything and changes nothing. The test walks the router itself,
// so a mutation added tomorrow is covered without anyone remembering to list it here.
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSessionOf, callerFor, createCompany } from "../test/factories";
import { appRouter } from "./router";
import { createAdmin } from "./services/admin/create-admin";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** Every `admin.*` procedure of the given type, as dotted paths. */
function adminProcedures(type: "query" | "mutation"): string[] {
  // Flat at runtime, keyed by dotted path (its declared type is the nested record).
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string } }
  >;
  return Object.entries(procedures)
    .filter(([path, procedure]) => path.startsWith("admin.") && procedure._def.type === type)
    .map(([path]) => path);
}

type TCallable = (input?: unknown) => Promise<unknown>;
function procedureOf(caller: unknown, path: string): TCallable {
  let node = caller as Record<string, unknown>;
  for (const key of path.split(".")) node = node[key] as Record<string, unknown>;
  return node as unknown as TCallable;
}

describe("viewer role", () => {
  it("is refused FORBIDDEN on every admin mutation, whatever the input, and changes nothing", async () => {
    const company = await createCompany(database.db);
    const viewer = await createAdmin(database.db, {
      companyId: company.id,
      email: `viewer-${company.id.slice(0, 8)}@example.test`,
      name: "Vera Viewer",
      password: "correct-horse-battery",
      role: "viewer",
    });
    const caller = callerFor(database.db, adminSessionOf(viewer));
    const mutations = adminProcedures("mutation");
    // The walk would pass vacuously on an empty list: these must be among them.
    expect(mutations).toEqual(
      expect.arrayContaining([
        "admin.invitations.create",
        "admin.invitations.revoke",
        "admin.settings.branding.update",
        "admin.apiKeys.create",
        "admin.webhooks.create",
      ]),
    );
    for (const path of mutations) {
      const error = await procedureOf(
        caller,
        path,
      )({}).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect({ path, error }).toMatchObject({
        path,
        error: { code: "FORBIDDEN", message: expect.stringMatching(/Ask an owner/) },
      });
    }
    const branding = await caller.admin.settings.branding.get();
    expect(branding.displayName).toBe(company.displayName);
  });

  it("still reads: every admin query without input answers a viewer", async () => {
    const company = await createCompany(database.db);
    const viewer = await createAdmin(database.db, {
      companyId: company.id,
      email: `viewer2-${company.id.slice(0, 8)}@example.test`,
      name: "Vic Viewer",
      password: "correct-horse-battery",
      role: "viewer",
    });
    const caller = callerFor(database.db, adminSessionOf(viewer));
    expect((await caller.admin.me()).user.role).toBe("viewer");
    expect(await caller.admin.sites.list()).toEqual([]);
    expect(await caller.admin.invitations.list({})).toMatchObject({ items: [] });
  });

  it("lets an admin through the same mutations (the refusal is the role's, not the route's)", async () => {
    const company = await createCompany(database.db);
    const admin = await createAdmin(database.db, {
      companyId: company.id,
      email: `admin-${company.id.slice(0, 8)}@example.test`,
      name: "Ada Admin",
      password: "correct-horse-battery",
      role: "admin",
    });
    const caller = callerFor(database.db, adminSessionOf(admin));
    const updated = await caller.admin.settings.branding.update({
      displayName: "Renamed by an admin",
      logoUrl: null,
      primaryColor: "#0f766e",
      accentColor: "#f59e0b",
      font: "system",
      whiteLabel: false,
    });
    expect(updated.displayName).toBe("Renamed by an admin");
  });
});
