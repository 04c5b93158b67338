// Sites: what an admin does on Data Input › Sites, what a recipient is offered, and the
// REST API an integrator uses, each against a real database and scoped to one company.
import { site } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../../test/app";
import { createConnection } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  database = await createTestDatabase();
  harness = await createTestApp(database.url);
});
afterAll(async () => {
  await harness.app.close();
  await database.close();
});

const sitesOf = async (companyId: string) =>
  (await harness.db.select().from(site).where(eq(site.companyId, companyId))).map((s) => s.name);

describe("CSV import", () => {
  const withBadRow =
    "name,address,reference\nHarbor Tower,1 Quay St,HT\n,2 Mill Rd,MH\nDock 4,3 Pier,D4\n";

  it("previews every row, writes nothing, and refuses the import until the bad line is fixed", async () => {
    const { company, caller } = await adminWorld(harness.db);
    const preview = await caller.admin.sites.previewImport({ csv: withBadRow });
    expect(preview).toMatchObject({ validCount: 2, invalidCount: 1, fileErrors: [] });
    expect(preview.rows[1]).toMatchObject({ line: 3, errors: ["Enter the site's name."] });
    expect(await sitesOf(company.id)).toEqual([]);

    const refused = await caller.admin.sites
      .import({ csv: withBadRow })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      message: "Nothing was imported: fix the line 3, or choose to skip it.",
      cause: { fields: [{ path: "line.3", message: "Enter the site's name." }] },
    });
    expect(await sitesOf(company.id)).toEqual([]);

    const fixed = withBadRow.replace(",2 Mill Rd", "Mill House,2 Mill Rd");
    expect(await caller.admin.sites.import({ csv: fixed })).toEqual({ imported: 3, skipped: 0 });
    expect((await caller.admin.sites.list()).map((s) => [s.name, s.reference])).toEqual([
      ["Dock 4", "D4"],
      ["Harbor Tower", "HT"],
      ["Mill House", "MH"],
    ]);
    // The same file again: every line is already there, nothing is written twice.
    const again = await caller.admin.sites.previewImport({ csv: fixed });
    expect(again.invalidCount).toBe(3);
    await expect(caller.admin.sites.import({ csv: fixed })).rejects.toThrow(/Nothing was imported/);
    expect(await sitesOf(company.id)).toHaveLength(3);
  });

  it("imports the good rows only when asked to skip the bad ones", async () => {
    const { company, caller } = await adminWorld(harness.db);
    expect(await caller.admin.sites.import({ csv: withBadRow, skipInvalid: true })).toEqual({
      imported: 2,
      skipped: 1,
    });
    expect((await sitesOf(company.id)).sort()).toEqual(["Dock 4", "Harbor Tower"]);
  });
});

describe("sites page", () => {
  it("creates, searches, edits and archives; an archived site is offered to no recipient", async () => {
    const { company, caller } = await adminWorld(harness.db);
    const tower = await caller.admin.sites.create({ name: "Harbor Tower", address: "1 Quay St" });
    const mill = await caller.admin.sites.create({ name: "Mill House", reference: "MH-7" });
    await expect(caller.admin.sites.create({ name: "harbor tower" })).rejects.toMatchObject({
      message: expect.stringMatching(/already exists/),
    });
    await expect(
      caller.admin.sites.update({ id: tower.id, reference: "MH-7" }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/already has the reference/) });
    expect((await caller.admin.sites.list({ search: "quay" })).map((s) => s.name)).toEqual([
      "Harbor Tower",
    ]);
    expect((await caller.admin.sites.list({ search: "mh-7" })).map((s) => s.name)).toEqual([
      "Mill House",
    ]);
    expect((await caller.admin.sites.list({ search: "%" })).map((s) => s.name)).toEqual([]);
    const renamed = await caller.admin.sites.update({ id: tower.id, name: "Harbour Tower" });
    expect(renamed).toMatchObject({ name: "Harbour Tower", address: "1 Quay St" });

    // A connection covers the mill: it is archived, never deleted, and keeps its count.
    await createConnection(harness.db, company.id, { siteIds: [mill.id] });
    const archived = await caller.admin.sites.archive({ id: mill.id });
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.connectionCount).toBe(1);
    expect((await caller.admin.sites.list()).map((s) => s.name)).toEqual(["Harbour Tower"]);
    expect((await caller.admin.sites.list({ includeArchived: true })).map((s) => s.name)).toEqual([
      "Harbour Tower",
      "Mill House",
    ]);

    const created = await caller.admin.invitations.create(manualContributor({ maxUses: 2 }));
    const token = tokenOf(created.url);
    const browser = recipientBrowser(harness.db);
    const page = await browser.caller.recipient.open({ token });
    expect(page.sites.map((s) => s.name)).toEqual(["Harbour Tower"]);
    await browser.caller.recipient.consent({ token });
    const complete = (siteIds: string[]) =>
      browser.caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "City Power" },
        credential: { method: "manual", username: "ann@example.com", password: "pw-123456" },
        siteIds,
        utilityTypes: ["electricity"],
      });
    // Server-side, not only in the page: no site, or an archived one, is refused.
    await expect(complete([])).rejects.toMatchObject({
      message: "Choose at least one site that this account covers.",
    });
    await expect(complete([mill.id])).rejects.toMatchObject({
      message: expect.stringMatching(/not available/),
    });
    expect(await complete([tower.id])).toMatchObject({ connectionId: expect.any(String) });

    const restored = await caller.admin.sites.restore({ id: mill.id });
    expect(restored.archivedAt).toBeNull();
  });

  it("never shows or changes another company's site", async () => {
    const mine = await adminWorld(harness.db);
    const theirs = await adminWorld(harness.db);
    const their = await theirs.caller.admin.sites.create({ name: "Their Depot" });
    await expect(mine.caller.admin.sites.get({ id: their.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      mine.caller.admin.sites.update({ id: their.id, name: "Mine now" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(mine.caller.admin.sites.archive({ id: their.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await mine.caller.admin.sites.list()).toEqual([]);
    expect((await theirs.caller.admin.sites.get({ id: their.id })).name).toBe("Their Depot");
  });
});

describe("REST /api/v1/sites", () => {
  async function rest(method: "GET" | "POST", url: string, key: string, payload?: unknown) {
    const response = await harness.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${key}`,
        ...(payload ? { "content-type": "application/json" } : {}),
      },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  }

  it("lists, gets, creates and updates with the same rules, for the key's company only", async () => {
    const mine = await adminWorld(harness.db);
    const theirs = await adminWorld(harness.db);
    const { key } = await mine.caller.admin.apiKeys.create({ name: "CRM" });
    const their = await theirs.caller.admin.sites.create({ name: "Their Depot" });

    const created = await rest("POST", "/sites", key, { name: "Quay 9", reference: "Q9" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: "Quay 9",
      address: "",
      reference: "Q9",
      archivedAt: null,
      connectionCount: 0,
    });
    const id = created.body.id as string;
    expect((await rest("GET", `/sites/${id}`, key)).body.name).toBe("Quay 9");
    const updated = await rest("POST", `/sites/${id}`, key, { address: "9 Quay St" });
    expect(updated.body).toMatchObject({ name: "Quay 9", address: "9 Quay St" });
    expect((await rest("GET", "/sites?search=quay", key)).body.data).toEqual([
      expect.objectContaining({ id, address: "9 Quay St" }),
    ]);

    const bad = await rest("POST", "/sites", key, { name: " ", colour: "red" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.fields)).toContain("Enter the site's name.");
    const duplicate = await rest("POST", "/sites", key, { name: "quay 9" });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toMatch(/already exists/);

    // Another company's site does not exist for this key.
    expect((await rest("GET", `/sites/${their.id}`, key)).status).toBe(404);
    expect((await rest("POST", `/sites/${their.id}`, key, { name: "Stolen" })).status).toBe(404);
    expect((await rest("GET", "/sites", key)).body.data.map((s: { id: string }) => s.id)).toEqual([
      id,
    ]);
    expect((await theirs.caller.admin.sites.get({ id: their.id })).name).toBe("Their Depot");
  });
});
