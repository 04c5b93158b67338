// The system under test, on loopback: PostgreSQL, one API process and one worker process,
// started as an operator would (node + tsx on each app's main.ts), with the bench page
// as the only provider. Everything started here is stopped by `stop()`, which run.ts
// calls in a finally block.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  closeDb,
  createDatabase,
  createDb,
  migrateDatabase,
  provider,
  type TDb,
  worker,
} from "@meterlink/db";
import { freePort, startEmbeddedPostgres, withDatabase } from "@meterlink/db/embedded";
import type { TViewport } from "@meterlink/shared/stream";
import { eq } from "drizzle-orm";
import { upsertProviders } from "../apps/api/src/seed";
import { workerStreamUrl } from "../apps/api/src/services/fleet/worker-client";
import { createAdminUser, createCompany } from "../apps/api/test/factories";
import { tokenOf } from "../apps/api/test/invitations";
import { TEST_ENV } from "../apps/api/test/keys";
import { eventually, startProcess, type TProcess, waitForHttp } from "../apps/api/test/processes";
import { RecipientHttp } from "../apps/api/test/recipient-http";
import type { TBenchPage } from "./page";

export const FLEET_TOKEN = `bench-fleet-${randomBytes(12).toString("hex")}`;
export const VIEWPORT: TViewport = { width: 1280, height: 800, deviceScaleFactor: 1 };
/** The viewports the single-session stream rows are also reported at (BENCHMARKS.md). */
export const VIEWPORTS = {
  desktop: VIEWPORT,
  fullHd: { width: 1920, height: 1080, deviceScaleFactor: 1 },
  phone: { width: 390, height: 844, deviceScaleFactor: 3 },
} satisfies Record<string, TViewport>;
export type TViewportName = keyof typeof VIEWPORTS;
export const PROVIDER_ID = "bench-typing";

type TStarted = { status: "started"; loginSessionId: string; streamUrl: string };

export type TStack = Awaited<ReturnType<typeof startStack>>;

export async function startStack(options: {
  page: TBenchPage;
  databaseUrl?: string;
  dataDir: string;
  workerCapacity: number;
  /** The worker's browser binary. */
  workerChromium: string;
  log: (line: string) => void;
}) {
  const stops: (() => Promise<unknown>)[] = [];
  const processes: TProcess[] = [];
  const stop = async () => {
    for (const p of processes) if (p.child.exitCode === null) p.kill("SIGKILL");
    await Promise.all(processes.map((p) => p.exited));
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };
  try {
    // A fresh database per run, in the given server or an embedded one.
    let serverUrl = options.databaseUrl;
    if (!serverUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: options.dataDir, persistent: false });
      stops.push(() => pg.stop());
      serverUrl = pg.url;
    }
    const name = `bench_${Date.now().toString(36)}`;
    await createDatabase(serverUrl, name);
    const databaseUrl = withDatabase(serverUrl, name);
    await migrateDatabase(databaseUrl);
    const db: TDb = createDb(databaseUrl, { max: 4 });
    stops.push(() => closeDb(db));

    await upsertProviders(db, [
      {
        id: PROVIDER_ID,
        name: "Bench typing page",
        country: "US",
        loginUrl: options.page.url,
        allowedHostnames: ["127.0.0.1"],
        utilityTypes: ["electricity"],
        mfa: "none",
        isSandbox: true,
        rules: {},
      },
    ]);
    const [row] = await db.select().from(provider).where(eq(provider.id, PROVIDER_ID));
    if (!row) throw new Error("bench provider not stored");
    const company = await createCompany(db);
    const admin = await createAdminUser(db, company.id);

    const [apiPort, internalPort, workerPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const internalUrl = `http://127.0.0.1:${internalPort}`;
    const api = startProcess("api", "apps/api/src/main.ts", {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(apiPort),
      INTERNAL_PORT: String(internalPort),
      FLEET_WORKERS: `127.0.0.1:${workerPort}`,
      PUBLIC_URL: apiUrl,
      AUTH_SECRET: randomBytes(24).toString("hex"),
      FLEET_TOKEN,
      FLEET_HEARTBEAT_TTL_MS: "10000",
      RECIPIENT_RATE_LIMIT_PER_MINUTE: "100000000",
      // Every bench recipient comes from 127.0.0.1: no per-address cap on live browsers.
      FLEET_MAX_LIVE_PER_CLIENT: "100000",
      // Production refuses to start without a mail key; this API sends no mail (no jobs).
      RESEND_API_KEY: "re_bench_sends_no_mail",
      // Production requires the forwarded-code hooks' signing secret; the bench sends none.
      INBOUND_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
      API_RUNS_JOBS: "false",
      LOG_LEVEL: "warn",
      ...TEST_ENV,
    });
    processes.push(api);
    await waitForHttp(`${apiUrl}/readyz`, api, 60_000);

    const workerUrl = `http://127.0.0.1:${workerPort}`;
    const launchWorker = async () => {
      const startedAt = performance.now();
      const launched = startProcess("worker", "apps/browser-worker/src/main.ts", {
        PORT: String(workerPort),
        HOST: "127.0.0.1",
        WORKER_ID: "bench-w1",
        WORKER_CAPACITY: String(options.workerCapacity),
        FLEET_TOKEN,
        VAULT_PUBLIC_KEY: TEST_ENV.VAULT_PUBLIC_KEY,
        FLEET_API_URL: internalUrl,
        HEARTBEAT_INTERVAL_MS: "1000",
        EGRESS_ALLOW_PRIVATE: options.page.host,
        PUPPETEER_EXECUTABLE_PATH: options.workerChromium,
        LOG_LEVEL: "warn",
      });
      processes.push(launched);
      await waitForHttp(`${workerUrl}/readyz`, launched, 60_000);
      // Ready means registered too: its heartbeat reached the registry.
      const since = new Date();
      await eventually(async () => {
        const [row] = await db.select().from(worker).where(eq(worker.id, "bench-w1"));
        if (!row || row.lastHeartbeatAt < since) throw new Error("not registered yet");
      });
      return { process: launched, readyMs: performance.now() - startedAt };
    };
    let { process: workerProcess, readyMs: coldWorkerMs } = await launchWorker();
    const workerPid = workerProcess.child.pid;
    if (!workerPid) throw new Error("worker has no pid");

    const adminCookie = await signIn(apiUrl, admin.email, admin.password);
    // The worker is placeable once its first heartbeat is in the registry.
    await eventually(
      async () => {
        const recipient = await newRecipient();
        const started = await startLogin(recipient);
        await endLogin(recipient, started.loginSessionId);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    async function createInvitation(): Promise<string> {
      const response = await fetch(`${apiUrl}/trpc/admin.invitations.create`, {
        method: "POST",
        headers: { cookie: adminCookie, "content-type": "application/json", origin: apiUrl },
        body: JSON.stringify({ kind: "contributor", delivery: { kind: "manual" }, maxUses: null }),
      });
      const body = (await response.json()) as { result?: { data: { url: string } } };
      if (!body.result) throw new Error(`invitation not created: ${JSON.stringify(body)}`);
      return tokenOf(body.result.data.url);
    }

    async function newRecipient(): Promise<RecipientHttp> {
      const recipient = new RecipientHttp(await createInvitation());
      await recipient.query(apiUrl, "recipient.open");
      await recipient.mutate(apiUrl, "recipient.consent");
      return recipient;
    }

    async function startLogin(
      recipient: RecipientHttp,
      viewport: TViewport = VIEWPORT,
    ): Promise<TStarted> {
      const result = await recipient.mutate<TStarted | { status: string }>(
        apiUrl,
        "recipient.startLogin",
        { providerId: PROVIDER_ID, viewport },
      );
      if (result.status !== "started") throw new Error(`no browser: ${JSON.stringify(result)}`);
      return result as TStarted;
    }

    async function endLogin(recipient: RecipientHttp, loginSessionId: string) {
      await recipient
        .mutate(apiUrl, "recipient.endLogin", { loginSessionId })
        .catch(() => undefined);
    }

    /**
     * A recipient's session whose stream bypasses the relay: started through the API like
     * any other (a session the API does not know is ended by the worker's next heartbeat,
     * which is what the fleet wants), then streamed straight from the worker.
     */
    async function directSession(viewport: TViewport = VIEWPORT): Promise<{
      wsUrl: string;
      wsHeaders: Record<string, string>;
      end(): Promise<void>;
    }> {
      const recipient = await newRecipient();
      const started = await startLogin(recipient, viewport);
      return {
        wsUrl: workerStreamUrl(workerUrl, started.loginSessionId),
        // The worker takes the token in a header only (never in a URL).
        wsHeaders: { authorization: `Bearer ${FLEET_TOKEN}` },
        end: async () => await endLogin(recipient, started.loginSessionId),
      };
    }

    async function activeSessions(): Promise<number> {
      return await workerGauge("browser_worker_sessions_active");
    }

    /** One unlabelled value of the worker's /metrics (NaN when absent). */
    async function workerGauge(name: string): Promise<number> {
      const text = await (await fetch(`${workerUrl}/metrics`)).text();
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, "m").exec(text);
      return match ? Number(match[1]) : Number.NaN;
    }

    return {
      apiUrl,
      workerUrl,
      workerPid,
      coldWorkerMs,
      adminCookie,
      db,
      createInvitation,
      newRecipient,
      startLogin,
      endLogin,
      directSession,
      activeSessions,
      workerGauge,
      /** Stops the worker (HTTP benchmarks run without Chromium competing for the CPU). */
      stopWorker: async () => {
        workerProcess.kill("SIGKILL");
        await workerProcess.exited;
      },
      /** A cold worker: killed, started again, ready and registered; how long that took. */
      restartWorker: async (): Promise<number> => {
        workerProcess.kill("SIGKILL");
        await workerProcess.exited;
        const restarted = await launchWorker();
        workerProcess = restarted.process;
        return restarted.readyMs;
      },
      output: () => processes.map((p) => `--- ${p.name}\n${p.output.join("")}`).join("\n"),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function signIn(apiUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { origin: apiUrl, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`admin sign-in failed: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

export const dataDirFor = (root: string) => join(root, ".data", "bench-pg");
