// Legacy magic links (#20): imported with the real CLI (`npm run cli -- legacy-links
// import FILE`), the old URL shapes open the same flow (contributor links and /workflow/
// reconnects), admins see them marked legacy, the OpenAPI document marks the field
// deprecated, and none can be created. The old secret never reaches the database or logs.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { invitation } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { createConnection } from "../../test/factories";
import { adminWorld, recipientBrowser } from "../../test/invitations";
import { TEST_TOKEN_KEY } from "../../test/keys";
import { UNKNOWN_LINK_PATH } from "./legacy-links";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
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

const cli = (...args: string[]) =>
  promisify(execFile)(
    join(repo, "node_modules", ".bin", "tsx"),
    [join(repo, "apps/api/src/cli/main.ts"), ...args],
    {
      env: { ...process.env, DATABASE_URL: database.url, TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY },
    },
  );

let fileCount = 0;
async function linksFile(content: unknown): Promise<string> {
  fileCount += 1;
  const file = join(tmpdir(), `legacy-links-${process.pid}-${fileCount}.json`);
  await writeFile(file, JSON.stringify(content));
  return file;
}

const CONTRIBUTOR_SECRET = "oldContributorSecret_0123456789";
const RECONNECT_SECRET = "oldReconnectSecret-9876543210ab";

async function follow(path: string) {
  const response = await harness.app.inject({ method: "GET", url: path });
  return { status: response.statusCode, location: String(response.headers.location ?? "") };
}

describe("legacy magic links", () => {
  it("imports with the CLI, once, and the old URL shapes open the same flow", async () => {
    const world = await adminWorld(harness.db);
    const target = await createConnection(harness.db, world.company.id);
    const file = await linksFile({
      links: [
        {
          companyId: world.company.id,
          publicCompanyId: "acme-42",
          secret: CONTRIBUTOR_SECRET,
          kind: "contributor",
          allowedEmails: ["Sam@Example.com"],
        },
        {
          companyId: world.company.id,
          publicCompanyId: "acme-42",
          secret: RECONNECT_SECRET,
          kind: "reconnect",
          targetConnectionId: target.id,
        },
      ],
    });
    const first = await cli("legacy-links", "import", file);
    expect(first.stdout).toMatch(/2 new, 0 already imported/);
    expect(first.stdout + first.stderr).not.toContain(CONTRIBUTOR_SECRET);
    const again = await cli("legacy-links", "import", file);
    expect(again.stdout).toMatch(/0 new, 2 already imported/);

    // The contributor shape forwards into the flow of a contributor invitation.
    const contributor = await follow(`/p/connect/acme-42/${CONTRIBUTOR_SECRET}`);
    expect(contributor.status).toBe(302);
    expect(contributor.location).toMatch(/^\/p\/i\/[A-Za-z0-9_-]{43}$/);
    const recipient = recipientBrowser(harness.db);
    const opened = await recipient.caller.recipient.open({
      token: contributor.location.split("/").pop() ?? "",
    });
    expect(opened).toMatchObject({ kind: "contributor", legacy: true });

    // The /workflow/ shape is a reconnect of the given connection.
    const reconnect = await follow(`/p/connect/acme-42/workflow/${RECONNECT_SECRET}`);
    expect(reconnect.status).toBe(302);
    const reopened = await recipientBrowser(harness.db).caller.recipient.open({
      token: reconnect.location.split("/").pop() ?? "",
    });
    expect(reopened).toMatchObject({ kind: "reconnect", legacy: true });

    // A secret under the other shape, another company's id, or a made-up one: invalid.
    for (const path of [
      `/p/connect/acme-42/workflow/${CONTRIBUTOR_SECRET}`,
      `/p/connect/other-co/${CONTRIBUTOR_SECRET}`,
      "/p/connect/acme-42/madeUpSecret_madeUpSecret_0000",
    ]) {
      expect(await follow(path), path).toEqual({ status: 302, location: UNKNOWN_LINK_PATH });
    }
    await expect(
      recipient.caller.recipient.open({ token: UNKNOWN_LINK_PATH.split("/").pop() ?? "" }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/This link is not valid/) });

    // Admins see them marked legacy (the admin list and over REST).
    const listed = await world.caller.admin.invitations.list({ status: "all" });
    expect(listed.items.map((item) => [item.kind, item.legacy]).sort()).toEqual([
      ["contributor", true],
      ["reconnect", true],
    ]);
    const { key } = await world.caller.admin.apiKeys.create({ name: "legacy" });
    const rest = await harness.app.inject({
      method: "GET",
      url: "/api/v1/invitations?status=all",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(
      (rest.json() as { items: { legacy: boolean }[] }).items.every((item) => item.legacy),
    ).toBe(true);

    // Neither the database nor the logs hold the old secrets.
    const rows = await harness.db
      .select()
      .from(invitation)
      .where(eq(invitation.companyId, world.company.id));
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(CONTRIBUTOR_SECRET);
    expect(rows.find((row) => row.kind === "contributor")?.allowedEmails).toEqual([
      "sam@example.com",
    ]);
    expect(harness.logLines.join("\n")).not.toContain(CONTRIBUTOR_SECRET);
    expect(harness.logLines.join("\n")).not.toContain(RECONNECT_SECRET);
    expect(harness.logLines.join("\n")).toContain("/p/connect/[legacy-link]");
  });

  it("lists every bad entry with its place and imports nothing from that file", async () => {
    const world = await adminWorld(harness.db);
    const file = await linksFile({
      links: [
        {
          companyId: world.company.id,
          publicCompanyId: "fine",
          secret: "aFineSecretOfEnoughLength",
          kind: "contributor",
        },
        { companyId: world.company.id, publicCompanyId: "x", secret: "short", kind: "contributor" },
        {
          companyId: world.company.id,
          publicCompanyId: "x",
          secret: "aReconnectWithoutTarget00",
          kind: "reconnect",
        },
        {
          companyId: "00000000-0000-4000-8000-000000000000",
          publicCompanyId: "x",
          secret: "aSecretOfAnUnknownCompany",
          kind: "contributor",
        },
      ],
    });
    const failed = await cli("legacy-links", "import", file).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("nothing was imported");
    expect(failed?.stderr).toMatch(/links\.1\.secret: A link secret is at least 16 characters/);
    expect(failed?.stderr).toMatch(/links\.2\.targetConnectionId: A reconnect/);
    const rows = await harness.db
      .select()
      .from(invitation)
      .where(eq(invitation.companyId, world.company.id));
    expect(rows).toEqual([]);

    // Schema-valid but unknown company: named too, still nothing imported.
    const unknown = await linksFile({
      links: [
        {
          companyId: "00000000-0000-4000-8000-000000000000",
          publicCompanyId: "x",
          secret: "aSecretOfAnUnknownCompany",
          kind: "contributor",
        },
      ],
    });
    const refused = await cli("legacy-links", "import", unknown).then(
      () => null,
      (error: { stderr: string }) => error,
    );
    expect(refused?.stderr).toMatch(/links\.0\.companyId: No such company/);
  });

  it("creates none: the API refuses a legacy field, and the document marks it deprecated", async () => {
    const world = await adminWorld(harness.db);
    const { key } = await world.caller.admin.apiKeys.create({ name: "no legacy" });
    const refused = await harness.app.inject({
      method: "POST",
      url: "/api/v1/invitations",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      payload: { delivery: { kind: "manual" }, legacy: true },
    });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json())).toContain("legacy");
    await expect(
      world.caller.admin.invitations.create({
        kind: "contributor",
        delivery: { kind: "manual" },
        legacy: true,
      } as never),
    ).rejects.toThrow();

    const document = (
      await harness.app.inject({ method: "GET", url: "/api/v1/openapi.json" })
    ).json() as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const legacy = document.components.schemas.Invitation?.properties?.legacy;
    expect(legacy).toMatchObject({ type: "boolean", deprecated: true });
  });
});
