// #17 duplicates: "one account was connected to the same site six times without a word".
import { connection, connectionSite } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseDump } from "../../../test/dump";
import { createSite } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const USERNAME = "dup-owner-7731@example.com";

async function completeAs(
  token: string,
  input: { username: string; siteId: string; onDuplicate?: "addSites" | "connectAnyway" },
) {
  const { caller } = recipientBrowser(database.db);
  await caller.recipient.open({ token });
  await caller.recipient.consent({ token });
  return caller.recipient.complete({
    token,
    provider: { kind: "manual", name: "City Power", country: "US" },
    credential: { method: "manual", username: input.username, password: "hunter-22-x" },
    siteIds: [input.siteId],
    utilityTypes: ["electricity"],
    ...(input.onDuplicate ? { onDuplicate: input.onDuplicate } : {}),
  });
}

describe("the same utility account connected twice", () => {
  it("tells the recipient, lets them add sites to it, and flags a second connection to the admin", async () => {
    const { caller, company } = await adminWorld(database.db);
    const north = await createSite(database.db, company.id, "North block");
    const south = await createSite(database.db, company.id, "South block");
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: null }));
    const token = tokenOf(created.url);

    const first = await completeAs(token, { username: USERNAME, siteId: north.id });

    // Another spelling of the same login is the same account: refused, and told why.
    await expect(
      completeAs(token, { username: `  ${USERNAME.toUpperCase()} `, siteId: south.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already connected.*add your sites/i),
      cause: expect.objectContaining({ reason: "alreadyConnected" }),
    });
    expect(await caller.admin.connections.list()).toHaveLength(1);

    // "Add my sites to it": still one connection, now covering both sites.
    const added = await completeAs(token, {
      username: USERNAME,
      siteId: south.id,
      onDuplicate: "addSites",
    });
    expect(added.connectionId).toBe(first.connectionId);
    const covered = await database.db
      .select({ siteId: connectionSite.siteId })
      .from(connectionSite)
      .where(eq(connectionSite.connectionId, first.connectionId));
    expect(covered.map((row) => row.siteId).sort()).toEqual([north.id, south.id].sort());
    expect(await caller.admin.connections.list()).toHaveLength(1);

    // Connected again anyway: the admin sees both flagged, on the list and the detail.
    const again = await completeAs(token, {
      username: USERNAME,
      siteId: north.id,
      onDuplicate: "connectAnyway",
    });
    const listed = await caller.admin.connections.list();
    expect(listed).toHaveLength(2);
    const byId = new Map(listed.map((row) => [row.id, row]));
    expect(byId.get(first.connectionId)?.sameAccountAs).toEqual([again.connectionId]);
    expect(byId.get(again.connectionId)?.sameAccountAs).toEqual([first.connectionId]);
    const detail = await caller.admin.connections.get({ id: again.connectionId });
    expect(detail.sameAccountAs).toEqual([first.connectionId]);

    // A different account of the same utility is no duplicate.
    const other = await completeAs(token, { username: "someone-else@example.com", siteId: north.id });
    expect((await caller.admin.connections.get({ id: other.connectionId })).sameAccountAs).toEqual(
      [],
    );

    // Compared without revealing it: the username is nowhere in a dump, in any case.
    const dump = (await databaseDump(database.db)).toLowerCase();
    expect(dump).not.toContain(USERNAME);
  });

  it("does not match the same account across companies (the tag key is the company's)", async () => {
    const one = await adminWorld(database.db);
    const two = await adminWorld(database.db);
    const results = [];
    for (const world of [one, two]) {
      const site = await createSite(database.db, world.company.id, "Depot");
      const created = await world.caller.admin.invitations.create(manualContributor());
      results.push(await completeAs(tokenOf(created.url), { username: USERNAME, siteId: site.id }));
    }
    const tags = await Promise.all(
      results.map(async ({ connectionId }) => {
        const [row] = await database.db
          .select({ tag: connection.accountTag })
          .from(connection)
          .where(eq(connection.id, connectionId));
        return row?.tag;
      }),
    );
    expect(tags[0]).toBeTruthy();
    expect(tags[0]).not.toBe(tags[1]);
    expect(
      (await one.caller.admin.connections.get({ id: results[0]?.connectionId ?? "" }))
        .sameAccountAs,
    ).toEqual([]);
  });
});
