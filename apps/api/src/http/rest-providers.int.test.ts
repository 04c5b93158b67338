// REST `GET /api/v1/providers` over HTTP with a real key: an integrator finds the
// providerId to prefill, by search and by country.
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { adminWorld } from "../../test/invitations";
import { importProviders } from "../services/providers/import";

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  database = await createTestDatabase();
  harness = await createTestApp(database.url);
  await importProviders(harness.db, {
    providers: [
      {
        id: "edf-fr",
        name: "EDF",
        country: "FR",
        loginUrl: "https://www.edf.fr/",
        utilityTypes: ["electricity"],
      },
      {
        id: "pge-us",
        name: "Pacific Gas and Electric",
        country: "US",
        loginUrl: "https://www.pge.com/",
        utilityTypes: ["gas"],
      },
    ],
  });
});
afterAll(async () => {
  await harness.app.close();
  await database.close();
});

async function get(query: string, key: string | null) {
  const response = await harness.app.inject({
    method: "GET",
    url: `/api/v1/providers${query}`,
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return { status: response.statusCode, body: response.json() };
}

describe("GET /api/v1/providers", () => {
  it("searches by name and filters by country", async () => {
    const world = await adminWorld(harness.db);
    const { key } = await world.caller.admin.apiKeys.create({ name: "CRM" });

    const all = await get("", key);
    expect(all.status).toBe(200);
    expect(all.body.data.map((p: { id: string }) => p.id)).toEqual(["edf-fr", "pge-us"]);
    expect((await get("?search=gas", key)).body.data).toEqual([
      expect.objectContaining({ id: "pge-us", name: "Pacific Gas and Electric", country: "US" }),
    ]);
    expect((await get("?country=FR", key)).body.data.map((p: { id: string }) => p.id)).toEqual([
      "edf-fr",
    ]);
    const bad = await get("?country=France", key);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("two-letter country code");
  });

  it("needs a key", async () => {
    expect((await get("", null)).status).toBe(401);
  });
});
