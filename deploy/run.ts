// What the deployment tests share once a topology (deploy/k8s or deploy/compose.yaml) has
// given each process its environment: start the image's entry point with exactly that
// environment (plus test instrumentation that records every outgoing connection), wait
// for readiness, then drive one live sign-in through the public port and the first bill
// collection by the jobs process on a worker.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { launchBrowser } from "@meterlink/browser-worker/session/browser";
import { bill, collectionRun, connection, type TDb } from "@meterlink/db";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { eq } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { expect } from "vitest";
import { BOSS_SCHEMA } from "../apps/api/src/jobs/boss";
import { COLLECTION_QUEUES } from "../apps/api/src/jobs/collection";
import { adminWorld, tokenOf } from "../apps/api/test/invitations";
import { eventually } from "../apps/api/test/processes";
import { openStream, RecipientHttp } from "../apps/api/test/recipient-http";
import { DEPLOY_DIR, imageCommand, ROOT } from "./testkit";

const tsx = createRequire(import.meta.url).resolve("tsx");
const PROVIDER = "sandbox-northwind";
const VIEWPORT = { width: 800, height: 600, deviceScaleFactor: 1 };

/** The Dockerfile that builds an image, by the image's repository name. */
const DOCKERFILE_OF_IMAGE: Record<string, string> = {
  "meterlink/api": "api.Dockerfile",
  "meterlink/browser-worker": "worker.Dockerfile",
};

/**
 * The TypeScript entry a container runs: its own command, else its image's CMD. Both
 * must be `node --import tsx <entry>`, which is what the test then runs.
 */
export function dockerfileOf(image: string): string {
  const repository = image.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^/:]+$/, "");
  const dockerfile = DOCKERFILE_OF_IMAGE[repository];
  if (!dockerfile) throw new Error(`no Dockerfile in deploy/docker builds ${image}`);
  return dockerfile;
}

export function entryOf(image: string, command: string[] | undefined): string {
  const argv = command ?? imageCommand(dockerfileOf(image));
  const [node, flag, loader, entry] = argv;
  if (node !== "node" || flag !== "--import" || loader !== "tsx" || !entry)
    throw new Error(`${image}: command ${JSON.stringify(argv)} is not node --import tsx <entry>`);
  return entry;
}

export type TTrace = { from: string; host: string; port: number };

/** Where the image's root (WORKDIR /app) is on this machine: the repository. */
const IMAGE_WORKDIR = "/app";

export type TRun = {
  scratch: string;
  /** Starts `entry` as the process `name` with exactly `env` (and PATH, HOME). */
  start(name: string, entry: string, env: Record<string, string>): void;
  waitReady(name: string, url: string): Promise<void>;
  /** Every outgoing TCP connection the processes opened so far. */
  connections(): TTrace[];
  /**
   * Where a container path of process `name`'s writable mounts is on this machine (its
   * volumes, tmpfs and emptyDirs live under the run's scratch directory).
   */
  hostPath(name: string, containerPath: string): string;
  /**
   * Every path a process wrote to or created, as the container would see it: under the
   * image's /app (the repository here), its HOME (`home`), /tmp (TMPDIR here) or a
   * mount; `null` for a path that has no place in the container at all.
   */
  writes(home: (name: string) => string): { from: string; path: string | null; host: string }[];
  stop(): Promise<void>;
};

export function createRun(prefix: string): TRun {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const traceFile = join(scratch, "connections.jsonl");
  const writesFile = join(scratch, "writes.jsonl");
  writeFileSync(traceFile, "");
  writeFileSync(writesFile, "");
  const own = (name: string, part: "home" | "tmp" | "mnt") => join(scratch, name, part);
  const running: { name: string; child: ChildProcess; output: string[] }[] = [];
  return {
    scratch,
    start(name, entry, env) {
      mkdirSync(own(name, "home"), { recursive: true });
      mkdirSync(own(name, "tmp"), { recursive: true });
      const child = spawn(process.execPath, ["--import", tsx, join(ROOT, entry)], {
        cwd: ROOT,
        env: {
          ...env,
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          // The container's HOME and /tmp, per process.
          HOME: own(name, "home"),
          TMPDIR: own(name, "tmp"),
          // Test instrumentation only: records outgoing connections and written paths.
          NODE_OPTIONS: ["net-trace.mjs", "fs-trace.mjs"]
            .map((file) => `--import ${join(DEPLOY_DIR, file)}`)
            .join(" "),
          NET_TRACE_FILE: traceFile,
          NET_TRACE_FROM: name,
          FS_TRACE_FILE: writesFile,
          FS_TRACE_FROM: name,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const output: string[] = [];
      child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      running.push({ name, child, output });
    },
    async waitReady(name, url) {
      await eventually(
        async () => {
          const found = running.find((entry) => entry.name === name);
          if (found?.child.exitCode !== null)
            throw new Error(`${name} exited:\n${found?.output.join("")}`);
          const response = await fetch(url);
          if (!response.ok) throw new Error(`${url}: ${response.status}`);
        },
        { timeoutMs: 40_000 },
      );
    },
    connections() {
      return readFileSync(traceFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TTrace);
    },
    hostPath(name, containerPath) {
      return join(own(name, "mnt"), containerPath);
    },
    writes(home) {
      const inside = (base: string, path: string) => {
        const rest = relative(base, path);
        return rest === "" || (!rest.startsWith("..") && !rest.startsWith(sep)) ? rest : null;
      };
      return readFileSync(writesFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { from: string; path: string })
        .map(({ from, path }) => {
          const places: [string, string][] = [
            [own(from, "tmp"), "/tmp"],
            [own(from, "home"), home(from)],
            [own(from, "mnt"), "/"],
            [ROOT, IMAGE_WORKDIR],
          ];
          for (const [base, target] of places) {
            const rest = inside(base, path);
            if (rest !== null) return { from, path: join(target, rest), host: path };
          }
          return { from, path: null, host: path };
        });
    },
    async stop() {
      const debug = process.env.DEPLOY_RUN_DEBUG;
      if (debug)
        writeFileSync(
          `${debug}.${prefix}log`,
          running.map((r) => `== ${r.name}\n${r.output.join("")}`).join("\n"),
        );
      for (const { child } of running) child.kill("SIGKILL");
      await Promise.all(
        running.map(
          ({ child }) =>
            new Promise<void>((resolve) =>
              child.exitCode !== null || child.signalCode !== null
                ? resolve()
                : child.once("exit", () => resolve()),
            ),
        ),
      );
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * Writes that land outside every writable mount (on the image's read-only root
 * filesystem, or nowhere in the container), as readable lines; empty when all are fine.
 */
export function unmountedWrites(
  run: TRun,
  mounts: (name: string) => string[],
  home: (name: string) => string,
): string[] {
  const under = (path: string, mount: string) =>
    path === mount || path.startsWith(mount.endsWith("/") ? mount : `${mount}/`);
  const problems = new Set<string>();
  for (const { from, path, host } of run.writes(home)) {
    // One line per directory: a store of many files is one problem.
    if (path === null) problems.add(`${from} writes in ${dirname(host)}, outside its container`);
    else if (!mounts(from).some((mount) => under(path, mount)))
      problems.add(
        `${from} writes in ${dirname(path)}, on no mounted volume (the root filesystem is read-only)`,
      );
  }
  return [...problems];
}

/** Where the portal's fields are, measured on the same page at the same viewport. */
async function fieldCenters(loginUrl: string, selectors: string[]) {
  const browser = await launchBrowser(process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium");
  try {
    const page = await browser.newPage();
    await page.setViewport(VIEWPORT);
    await page.goto(loginUrl);
    return await Promise.all(
      selectors.map(async (selector) => {
        const box = await (await page.waitForSelector(selector))?.boundingBox();
        if (!box) throw new Error(`no box for ${selector}`);
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }),
    );
  } finally {
    await browser.close();
  }
}

/**
 * A recipient signs in live through the API's public origin (`api`) and completes: the
 * worker reads the first bills in that session and the API stores them (the connection
 * turns active with bills). Then the weekly collection: the jobs process opens the sealed
 * credential and signs in headlessly on a worker. Returns the connection's id.
 */
export async function signInAndCollect(options: {
  db: TDb;
  /** The database's URL: the weekly collection is enqueued as the jobs' sweeper would. */
  databaseUrl: string;
  api: string;
  sandboxUrl: string;
}): Promise<string> {
  const { db, api } = options;
  const world = await adminWorld(db);
  const created = await world.caller.admin.invitations.create({
    kind: "contributor",
    delivery: { kind: "manual" },
    maxUses: null,
  });
  const recipient = new RecipientHttp(tokenOf(created.url));
  await recipient.query(api, "recipient.open");
  await recipient.mutate(api, "recipient.consent");
  const login = await recipient.mutate<{
    status: string;
    loginSessionId: string;
    streamUrl: string;
  }>(api, "recipient.startLogin", { providerId: PROVIDER, viewport: VIEWPORT });
  expect(login.status).toBe("started");
  const provider = sandboxProviders(options.sandboxUrl).find((p) => p.id === PROVIDER);
  if (!provider) throw new Error("no provider");
  const { rules } = provider;
  const [user, password, submit] = await fieldCenters(provider.loginUrl, [
    rules.usernameSelector,
    rules.passwordSelector,
    rules.submitSelector ?? "button[type=submit]",
  ]);
  const stream = await openStream(api, login.streamUrl);
  try {
    await stream.waitFor((m) => m.type === "ready", 20_000);
    await stream.waitForFrames(1, 20_000);
    let seq = 0;
    const send = (message: Record<string, unknown>) =>
      stream.socket.send(JSON.stringify({ ...message, seq: ++seq }));
    send({ type: "mouse", action: "click", ...user });
    send({ type: "insertText", text: "alice" });
    send({ type: "mouse", action: "click", ...password });
    send({ type: "insertText", text: "correct-horse-1" });
    send({ type: "mouse", action: "click", ...submit });
    await stream.waitFor((m) => m.type === "outcome" && m.outcome === "success", 30_000);
    // As the page does: the worker tells the stream a moment before it tells the API.
    await eventually(
      async () => {
        const status = await recipient.query<{ outcome: string | null }>(
          api,
          "recipient.loginStatus",
          { loginSessionId: login.loginSessionId },
        );
        expect(status.outcome).toBe("success");
      },
      { timeoutMs: 15_000, intervalMs: 300 },
    );
  } finally {
    stream.socket.terminate();
  }
  const done = await recipient.mutate<{ connectionId: string }>(api, "recipient.complete", {
    provider: { kind: "catalog", providerId: PROVIDER },
    credential: { method: "live", loginSessionId: login.loginSessionId },
    utilityTypes: ["electricity"],
  });
  // First bills, read in the recipient's own session (no second sign-in).
  await eventually(
    async () => {
      const [row] = await db.select().from(connection).where(eq(connection.id, done.connectionId));
      expect(row?.status).toBe("active");
      const bills = await db.select().from(bill).where(eq(bill.connectionId, done.connectionId));
      expect(bills.length).toBeGreaterThan(0);
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  // The weekly collection, enqueued as the jobs' sweeper enqueues it once a week has
  // passed: the jobs process signs in on a worker's headless slot.
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: BOSS_SCHEMA, max: 2 });
  await boss.start();
  try {
    await boss.send(COLLECTION_QUEUES.weekly, { connectionId: done.connectionId });
  } finally {
    await boss.stop({ graceful: false });
  }
  await eventually(
    async () => {
      const runs = await db
        .select()
        .from(collectionRun)
        .where(eq(collectionRun.connectionId, done.connectionId));
      expect(runs.map((run) => [run.trigger, run.status])).toContainEqual(["weekly", "succeeded"]);
    },
    { timeoutMs: 45_000, intervalMs: 500 },
  );
  return done.connectionId;
}
