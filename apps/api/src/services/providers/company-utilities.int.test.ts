// Settings › Utilities: a company adds its own utility by address. Hostnames come from the
// registrable domain; non-https, private, loopback and link-local targets are refused
// with a message that says why; the utility is the company's alone.
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { createCompanyUtility } from "./company-utilities";
import { importProviders } from "./import";

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

const water = {
  name: "Harbor City Water",
  country: "US",
  url: "https://my.harborwater-utility.com/sign-in",
  utilityTypes: ["water" as const],
};

describe("a company's own utilities", () => {
  it("derives the allowed hostnames from the registrable domain and shows it to that company only", async () => {
    const mine = await adminWorld(database.db);
    const theirs = await adminWorld(database.db);
    const created = await mine.caller.admin.utilities.create(water);
    expect(created).toMatchObject({
      name: "Harbor City Water",
      loginUrl: "https://my.harborwater-utility.com/sign-in",
      allowedHostnames: ["*.harborwater-utility.com"],
      kind: "company",
    });
    expect((await mine.caller.admin.utilities.list()).map((u) => u.name)).toEqual([
      "Harbor City Water",
    ]);
    expect((await mine.caller.admin.providers.list({})).map((p) => p.name)).toEqual([
      "EDF",
      "Harbor City Water",
    ]);
    expect((await theirs.caller.admin.providers.list({})).map((p) => p.name)).toEqual(["EDF"]);
    expect(await theirs.caller.admin.utilities.list()).toEqual([]);

    // Their recipients do not see it, and their invitations cannot name it.
    await expect(
      theirs.caller.admin.invitations.create(
        manualContributor({ prefill: { providerId: created.id, siteIds: [], utilityTypes: [] } }),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/not in the catalog/) });
    const invitation = await mine.caller.admin.invitations.create(
      manualContributor({ prefill: { providerId: created.id, siteIds: [], utilityTypes: [] } }),
    );
    const browser = recipientBrowser(database.db);
    const token = tokenOf(invitation.url);
    await browser.caller.recipient.open({ token });
    expect(
      (await browser.caller.recipient.providers({ token, query: "harbor" })).map((p) => p.id),
    ).toEqual([created.id]);
  });

  it("refuses what is not a public https website, saying why", async () => {
    const { caller } = await adminWorld(database.db);
    const refusal = (url: string) =>
      caller.admin.utilities.create({ ...water, url }).then(
        () => "accepted",
        (error: { message: string }) => error.message,
      );
    expect(await refusal("http://my.harborwater-utility.com/")).toMatch(/Only https/);
    expect(await refusal("https://127.0.0.1/login")).toBe(
      "127.0.0.1 is a loopback address: enter the utility's public https website instead.",
    );
    expect(await refusal("https://10.0.0.5/")).toMatch(/10\.0\.0\.5 is a private address/);
    expect(await refusal("https://169.254.169.254/latest")).toMatch(/link-local|metadata/);
    expect(await refusal("https://[::1]/")).toMatch(/loopback/);
    expect(await refusal("https://localhost/")).toMatch(/not a public website/);
    expect(await refusal("https://portal.internal/")).toMatch(/not a public website/);
    expect(await refusal("not a url")).toMatch(/starting with https/);
    expect(await refusal("https://www.edf.fr/espace-client")).toBe(
      "EDF already uses edf.fr: pick it from the list instead of adding it again.",
    );
    expect((await caller.admin.utilities.list()).length).toBe(0);
  });

  it("refuses a name that resolves to a private address", async () => {
    const { company } = await adminWorld(database.db);
    await expect(
      createCompanyUtility({
        ctx: { db: database.db, company },
        input: { ...water, url: "https://intranet.harborwater-utility.com/" },
        resolve: async () => ["93.184.216.34", "192.168.1.20"],
      }),
    ).rejects.toMatchObject({
      message:
        "intranet.harborwater-utility.com points to 192.168.1.20, a private address: only public websites can be opened in the secure browser.",
    });
  });
});
