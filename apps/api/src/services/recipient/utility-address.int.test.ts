// #17: the recipient types their utility's website address on the utility step. A
// catalog provider's registrable domain is that provider; an unknown one is an unlisted
// site restricted to its registrable domain; non-https, private addresses and test links
// are refused with a message that says what to do.
import { loginSession, recipientSession } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { recordLoginOutcome } from "../fleet/sessions";
import { createCompanyUtility } from "../providers/company-utilities";
import { importProviders } from "../providers/import";
import { matchUtilityAddress, UNLISTED_PREFIX } from "./utility-address";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await importProviders(database.db, {
    providers: [
      {
        id: "edf-fr",
        name: "EDF",
        country: "FR",
        loginUrl: "https://www.edf.fr/",
        utilityTypes: ["electricity"],
      },
    ],
  });
});
afterAll(() => database.close());

async function linkOf(world: Awaited<ReturnType<typeof adminWorld>>) {
  const created = await world.caller.admin.invitations.create(manualContributor());
  const token = tokenOf(created.url);
  const { caller } = recipientBrowser(database.db);
  await caller.recipient.open({ token });
  return { token, address: (url: string) => caller.recipient.utilityAddress({ token, url }) };
}

describe("the recipient's typed utility address", () => {
  it("matches a catalog provider or the company's own utility by registrable domain", async () => {
    const world = await adminWorld(database.db);
    await createCompanyUtility({
      ctx: { db: database.db, company: world.company },
      input: {
        name: "Harbor City Water",
        country: "US",
        url: "https://my.harborwater-utility.com/sign-in",
        utilityTypes: ["water"],
      },
      resolve: async () => ["93.184.216.34"],
    });
    const { address } = await linkOf(world);
    expect(await address("https://particulier.edf.fr/fr/accueil.html")).toEqual({
      kind: "catalog",
      providerId: "edf-fr",
      name: "EDF",
      registrableDomain: "edf.fr",
      // The step goes on as if EDF had been picked from the list.
      mfa: "none",
      utilityTypes: ["electricity"],
    });
    expect(await address("https://www.harborwater-utility.com/")).toMatchObject({
      kind: "catalog",
      name: "Harbor City Water",
      registrableDomain: "harborwater-utility.com",
    });
    // Another company's own utility is not this company's: an unlisted site here.
    const other = await linkOf(await adminWorld(database.db));
    expect(await other.address("https://www.harborwater-utility.com/")).toEqual({
      kind: "unlisted",
      url: "https://www.harborwater-utility.com/",
      registrableDomain: "harborwater-utility.com",
    });
  });

  it("an unknown address is an unlisted site, restricted to its registrable domain", async () => {
    const world = await adminWorld(database.db);
    const match = await matchUtilityAddress(
      { db: database.db },
      world.company,
      "https://login.portal.thameswater.co.uk/account",
      async () => ["151.101.2.1"],
    );
    expect(match).toMatchObject({
      kind: "unlisted",
      registrableDomain: "thameswater.co.uk",
      site: { allowedHostnames: ["*.thameswater.co.uk"] },
    });
  });

  it("refuses non-https, private addresses and names, and test links, saying what to do", async () => {
    const world = await adminWorld(database.db);
    const { address } = await linkOf(world);
    await expect(address("http://www.edf.fr/")).rejects.toThrow(/Only https addresses/);
    await expect(address("https://10.0.0.5/login")).rejects.toThrow(/private.*public https/i);
    await expect(address("https://localhost:8443/")).rejects.toThrow(/not a public website/);
    await expect(address("not a url")).rejects.toThrow(/starting with https:\/\//);
    await expect(
      matchUtilityAddress(
        { db: database.db },
        world.company,
        "https://portal.sneaky-utility.com/",
        async () => ["169.254.169.254"],
      ),
    ).rejects.toThrow(/points to 169\.254\.169\.254/);

    const testEnvironment = await adminWorld(database.db, { testOf: world.company.id });
    const test = await linkOf(testEnvironment);
    await expect(test.address("https://particulier.edf.fr/")).rejects.toThrow(
      /test link: only sandbox utilities/,
    );
  });

  it("a sign-in at an unlisted site makes a connection the admin sees marked unlisted", async () => {
    const world = await adminWorld(database.db);
    const created = await world.caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const { caller } = recipientBrowser(database.db);
    await caller.recipient.open({ token });
    await caller.recipient.consent({ token });
    const [rs] = await database.db
      .select({ id: recipientSession.id })
      .from(recipientSession)
      .where(eq(recipientSession.invitationId, created.id))
      .orderBy(desc(recipientSession.createdAt))
      .limit(1);
    // The session startLogin places for a typed unknown address (restricted to its domain).
    const [login] = await database.db
      .insert(loginSession)
      .values({
        invitationId: created.id,
        recipientSessionId: rs?.id,
        workerId: "w-unlisted",
        providerId: `${UNLISTED_PREFIX}thameswater.co.uk`,
      })
      .returning();
    if (!login) throw new Error("no login session");
    await recordLoginOutcome(database.db, {
      workerId: "w-unlisted",
      loginSessionId: login.id,
      outcome: "success",
      sealedCredential: "sealed-by-worker",
      finalUrl: "https://login.portal.thameswater.co.uk/account",
    });
    const done = await caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "Thames Water", url: "https://www.thameswater.co.uk/" },
      credential: { method: "live", loginSessionId: login.id },
    });
    const [listed] = await world.caller.admin.connections.list();
    expect(listed).toMatchObject({
      id: done.connectionId,
      status: "pending",
      providerName: "Thames Water",
      unlistedDomain: "thameswater.co.uk",
    });
    expect(
      (await world.caller.admin.connections.get({ id: done.connectionId })).unlistedDomain,
    ).toBe("thameswater.co.uk");
  });

  it("details typed by hand for an unlisted website mark the connection unlisted too, a catalog one not", async () => {
    const world = await adminWorld(database.db);
    const connect = async (url: string) => {
      const created = await world.caller.admin.invitations.create(manualContributor());
      const token = tokenOf(created.url);
      const { caller } = recipientBrowser(database.db);
      await caller.recipient.open({ token });
      await caller.recipient.consent({ token });
      const done = await caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "Thames Water", url },
        credential: { method: "manual", username: `u-${created.id}`, password: "pw-unlisted-1" },
      });
      return (await world.caller.admin.connections.get({ id: done.connectionId })).unlistedDomain;
    };
    await expect(connect("https://login.portal.thameswater.co.uk/account")).resolves.toBe(
      "thameswater.co.uk",
    );
    // A website the catalog covers is no new utility for the platform team to add.
    await expect(connect("https://particulier.edf.fr/")).resolves.toBeNull();
  });
});
