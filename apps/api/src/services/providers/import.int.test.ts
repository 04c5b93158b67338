// The provider catalog ships as a file; importing it is idempotent and all-or-nothing.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { provider } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importProviders } from "./import";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");
let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const cli = (...args: string[]) =>
  promisify(execFile)(
    join(repo, "node_modules", ".bin", "tsx"),
    [join(repo, "apps/api/src/cli/main.ts"), ...args],
    { env: { ...process.env, DATABASE_URL: database.url } },
  );

describe("npm run cli -- providers import", () => {
  it("imports the shipped catalog, and a second run changes nothing", async () => {
    const first = await cli("providers", "import", join(repo, "catalog/providers.json"));
    expect(first.stdout).toMatch(/4 new, 0 updated/);
    const rows = await database.db.select().from(provider).orderBy(asc(provider.id));
    expect(rows.find((row) => row.id === "thames-water-gb")).toMatchObject({
      name: "Thames Water",
      // The registrable domain under the public suffix "co.uk", not "co.uk" itself.
      allowedHostnames: ["*.thameswater.co.uk"],
      isSandbox: false,
    });

    const second = await cli("providers", "import", join(repo, "catalog/providers.json"));
    expect(second.stdout).toMatch(/0 new, 4 updated/);
    expect(await database.db.select().from(provider).orderBy(asc(provider.id))).toEqual(rows);
  });

  it("lists every bad entry and imports nothing from that file", async () => {
    const file = join(tmpdir(), `catalog-${process.pid}-${Date.now()}.json`);
    await writeFile(
      file,
      JSON.stringify({
        providers: [
          {
            id: "ok-one",
            name: "Fine Power",
            country: "US",
            loginUrl: "https://fine.example.com/login",
            utilityTypes: ["electricity"],
          },
          {
            id: "lan-one",
            name: "Intranet",
            country: "US",
            loginUrl: "https://192.168.1.10/",
            utilityTypes: ["gas"],
          },
          {
            id: "plain-one",
            name: "Plain",
            country: "US",
            loginUrl: "http://plain.example.com/",
            utilityTypes: ["gas"],
          },
        ],
      }),
    );
    const failed = await cli("providers", "import", file).catch(
      (error: { stderr: string }) => error,
    );
    expect(failed.stderr).toMatch(/nothing was imported/);
    expect(failed.stderr).toMatch(/providers\.1\.loginUrl: .*not a public website/);
    expect(failed.stderr).toMatch(/providers\.2\.loginUrl: .*https/);
    expect(await database.db.select().from(provider)).not.toContainEqual(
      expect.objectContaining({ id: "ok-one" }),
    );
  });

  it("refuses localhost and names without a public suffix", async () => {
    for (const loginUrl of ["https://localhost/", "https://portal.internal/", "https://[::1]/"]) {
      await expect(
        importProviders(database.db, {
          providers: [{ id: "x-one", name: "X", country: "US", loginUrl, utilityTypes: ["water"] }],
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("takes the numbers a utility texts its codes from, and keeps them when a later file omits them", async () => {
    const entry = {
      id: "texting-gas",
      name: "Texting Gas",
      country: "US",
      loginUrl: "https://texting-gas.example.com/login",
      utilityTypes: ["gas"],
      mfa: "sms",
    };
    await importProviders(database.db, {
      providers: [{ ...entry, smsSenders: [" 72345 ", "+1 (555) 010-0199", "TextGas"] }],
    });
    const senders = async () =>
      (await database.db.select().from(provider)).find((row) => row.id === entry.id)?.smsSenders;
    // Stored the way inbound texts are compared: digits (with a + for full numbers), lower case.
    await expect(senders()).resolves.toEqual(["72345", "+15550100199", "textgas"]);
    // A refresh of the catalog without the list keeps what was configured (and learned).
    await importProviders(database.db, { providers: [entry] });
    await expect(senders()).resolves.toEqual(["72345", "+15550100199", "textgas"]);
    // Something that cannot be a sender is refused with where it is.
    await expect(
      importProviders(database.db, { providers: [{ ...entry, smsSenders: ["not a sender!"] }] }),
    ).rejects.toThrow(/providers\.0\.smsSenders\.0/);
  });
});
