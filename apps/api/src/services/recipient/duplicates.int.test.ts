// #17 duplicates: "one account was connected to the same site six times without a word".
import {
  connection,
  connectionSite,
  loginSession,
  provider,
  recipientSession,
} from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { accountTagKeyOf, accountTagOf } from "@meterlink/shared/account-tag";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseDump } from "../../../test/dump";
import { createSite } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { parseKey } from "../../lib/tokens";
import { recordLoginOutcome } from "../fleet/sessions";

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
    const other = await completeAs(token, {
      username: "someone-else@example.com",
      siteId: north.id,
    });
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

  it("a live sign-in whose worker-reported tag matches a manual entry is the same account", async () => {
    const { caller, company } = await adminWorld(database.db);
    const site = await createSite(database.db, company.id, "Yard");
    const providerId = `dup-live-${company.id}`;
    await database.db.insert(provider).values({
      id: providerId,
      name: "Lakeside Gas",
      country: "US",
      loginUrl: "https://lakeside-gas.example/login",
      allowedHostnames: ["*.lakeside-gas.example"],
    });
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: null }));
    const token = tokenOf(created.url);
    const typed = await (async () => {
      const { caller: recipient } = recipientBrowser(database.db);
      await recipient.recipient.open({ token });
      await recipient.recipient.consent({ token });
      return recipient.recipient.complete({
        token,
        provider: { kind: "catalog", providerId },
        credential: { method: "manual", username: USERNAME, password: "hunter-22-x" },
        siteIds: [site.id],
      });
    })();

    // The worker that saw the live sign-in reports the tag under the company's key.
    const live = recipientBrowser(database.db);
    await live.caller.recipient.open({ token });
    await live.caller.recipient.consent({ token });
    // The newest recipient session of the link is this browser's.
    const [rs] = await database.db
      .select({ id: recipientSession.id })
      .from(recipientSession)
      .where(eq(recipientSession.invitationId, created.id))
      .orderBy(desc(recipientSession.createdAt))
      .limit(1);
    const [login] = await database.db
      .insert(loginSession)
      .values({ invitationId: created.id, recipientSessionId: rs?.id, workerId: "w-dup" })
      .returning();
    if (!login) throw new Error("no login session");
    const companyKey = accountTagKeyOf(parseKey(TEST_TOKEN_KEY), company.id);
    await recordLoginOutcome(database.db, {
      workerId: "w-dup",
      loginSessionId: login.id,
      outcome: "success",
      sealedCredential: "sealed-by-worker",
      finalUrl: "https://lakeside-gas.example/account",
      accountTag: accountTagOf(companyKey, providerId, USERNAME.toUpperCase()),
    });
    const completeLive = (onDuplicate?: "addSites") =>
      live.caller.recipient.complete({
        token,
        provider: { kind: "catalog", providerId },
        credential: { method: "live", loginSessionId: login.id },
        siteIds: [site.id],
        ...(onDuplicate ? { onDuplicate } : {}),
      });
    await expect(completeLive()).rejects.toThrow(/already connected/);
    const added = await completeLive("addSites");
    expect(added.connectionId).toBe(typed.connectionId);
    expect(await caller.admin.connections.list()).toHaveLength(1);
  });
});
