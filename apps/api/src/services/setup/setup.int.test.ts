// First run on an empty database: the web setup creates the company and its owner once;
// the CLI does the same without a password on its command line and prints a one-time link.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { company } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { cookieFrom, createTestApp } from "../../../test/app";
import { databaseDump } from "../../../test/dump";
import { callerFor } from "../../../test/factories";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..");
const headers = { origin: "http://localhost:3000", "content-type": "application/json" };

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;
async function fresh() {
  database = await createTestDatabase();
  harness = await createTestApp(database.url);
}
afterEach(async () => {
  await harness.app.close();
  await database.close();
});

const signIn = (email: string, password: string) =>
  harness.app.inject({
    method: "POST",
    url: "/api/auth/sign-in/email",
    headers,
    payload: { email, password },
  });

describe("setup from the web", () => {
  it("creates the company and its owner once, who then signs in normally", async () => {
    await fresh();
    const caller = callerFor(harness.db, null);
    expect(await caller.setup.status()).toEqual({ setUp: false });

    await caller.setup.create({
      companyName: "Bayside Estates",
      name: "Olive Owner",
      email: "Olive@Bayside.test",
      password: "a-long-password",
    });
    expect(await caller.setup.status()).toEqual({ setUp: true });

    const response = await signIn("olive@bayside.test", "a-long-password");
    expect(response.statusCode).toBe(200);
    const me = await harness.app.inject({
      method: "GET",
      url: "/trpc/admin.me",
      headers: { cookie: cookieFrom(response.headers["set-cookie"]) },
    });
    expect(me.json().result.data.company.displayName).toBe("Bayside Estates");

    // A second visitor to the setup page cannot make themselves owner of another company.
    await expect(
      caller.setup.create({
        companyName: "Intruder Inc",
        name: "Mallory",
        email: "mallory@evil.test",
        password: "another-password",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/sign in/) });
    expect(await harness.db.select().from(company)).toHaveLength(1);
  });

  it("says which field to fix", async () => {
    await fresh();
    const error = await callerFor(harness.db, null)
      .setup.create({ companyName: " ", name: "Olive", email: "not-an-email", password: "short" })
      .catch((caught: unknown) => caught);
    expect(JSON.stringify(error)).toContain("Choose a password of at least 8 characters.");
    expect(JSON.stringify(error)).toContain("Enter your company's name.");
    expect(await harness.db.select().from(company)).toHaveLength(0);
  });
});

describe("npm run cli -- setup", () => {
  it("prints a one-time link where the owner sets the password, then signs in", async () => {
    await fresh();
    const { stdout } = await promisify(execFile)(
      join(repo, "node_modules", ".bin", "tsx"),
      [
        join(repo, "apps/api/src/cli/main.ts"),
        "setup",
        "--company",
        "Northgate Housing",
        "--email",
        "nora@northgate.test",
      ],
      { env: { ...process.env, DATABASE_URL: database.url, PUBLIC_URL: "http://localhost:3000" } },
    );
    const link = stdout.match(/https?:\/\/\S+/)?.[0];
    expect(link).toMatch(/^http:\/\/localhost:3000\/set-password\?token=/);
    const token = new URL(link ?? "").searchParams.get("token");
    // A database dump alone yields no working link.
    expect(token?.length).toBeGreaterThan(20);
    expect(await databaseDump(harness.db)).not.toContain(token);

    // No password yet: nobody can sign in until the link was used.
    expect((await signIn("nora@northgate.test", "chosen-password")).statusCode).toBe(401);
    const reset = () =>
      harness.app.inject({
        method: "POST",
        url: "/api/auth/reset-password",
        headers,
        payload: { token, newPassword: "chosen-password" },
      });
    expect((await reset()).statusCode).toBe(200);
    expect((await signIn("nora@northgate.test", "chosen-password")).statusCode).toBe(200);
    expect((await reset()).statusCode).toBe(400);
  });

  it("refuses a second setup with one line that says what to do", async () => {
    await fresh();
    const run = () =>
      promisify(execFile)(
        join(repo, "node_modules", ".bin", "tsx"),
        [join(repo, "apps/api/src/cli/main.ts"), "setup", "--company", "A", "--email", "a@a.test"],
        {
          env: { ...process.env, DATABASE_URL: database.url, PUBLIC_URL: "http://localhost:3000" },
        },
      );
    await run();
    await expect(run()).rejects.toMatchObject({
      stderr: "Meterlink is already set up: sign in instead.\n",
    });
  });
});
