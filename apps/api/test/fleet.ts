// A fleet on loopback as the platform team runs it: API processes and browser-worker
// processes started from their main.ts, one database, the utility sandbox; and the
// recipient's side of it (open, consent, start a browser, open its stream). Shared by the
// fleet integration tests and `npm run soak`. Every process dies with `close()`.
import { loginSession } from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox } from "@meterlink/utility-sandbox/server";
import { and, eq, isNull } from "drizzle-orm";
import { upsertProviders } from "../src/seed";
import { adminWorld, tokenOf } from "./invitations";
import { TEST_ENV } from "./keys";
import { startProcess, type TProcess, waitForHttp } from "./processes";
import { openStream, RecipientHttp, type TStreamClient } from "./recipient-http";

export const FLEET_TOKEN = "fleet-token-for-tests-0123456789";
export const VIEWPORT = { width: 800, height: 600, deviceScaleFactor: 1 };
export const HEARTBEAT_TTL_MS = 3_000;

export type TStarted = { status: "started"; loginSessionId: string; streamUrl: string };
export type TQueued = {
  status: "queued";
  queueId: string;
  position: number;
  estimatedWaitMs: number;
};
export type TRecipient = RecipientHttp & { invitationId: string };
export type TWorkerSpec = {
  id: string;
  capacity: number;
  headlessCapacity?: number;
  /** Which API (index) it registers with. */
  api?: number;
  env?: Record<string, string>;
};
export type TFleetWorker = { spec: TWorkerSpec; url: string; port: number; process: TProcess };

export async function startFleet(options: {
  apis?: number;
  workers: TWorkerSpec[];
  apiEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
}) {
  const [database, sandbox] = await Promise.all([
    createTestDatabase(),
    startSandbox({ port: 0, control: true }),
  ]);
  await upsertProviders(database.db, sandboxProviders(sandbox.url));
  const world = await adminWorld(database.db);
  const ports = await Promise.all(Array.from({ length: options.apis ?? 1 }, () => freePort()));
  const internalPorts = await Promise.all(ports.map(() => freePort()));
  const first = `http://127.0.0.1:${ports[0]}`;
  const apis = ports.map((port, index) => {
    const url = `http://127.0.0.1:${port}`;
    const internalUrl = `http://127.0.0.1:${internalPorts[index]}`;
    const process = startProcess(`api-${port}`, "apps/api/src/main.ts", {
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      INTERNAL_PORT: String(internalPorts[index]),
      // Workers restart here on new loopback ports; identity is still checked by key.
      FLEET_WORKERS: "127.0.0.1:*",
      PUBLIC_URL: first,
      AUTH_SECRET: "fleet-test-secret-fleet-test-secret-0001",
      FLEET_TOKEN,
      FLEET_HEARTBEAT_TTL_MS: String(HEARTBEAT_TTL_MS),
      FLEET_QUEUE_MAX_MS: "120000",
      RECIPIENT_RATE_LIMIT_PER_MINUTE: "100000",
      API_RUNS_JOBS: "false",
      LOG_LEVEL: "warn",
      ...TEST_ENV,
      ...options.apiEnv,
    });
    return { url, internalUrl, process };
  });
  await Promise.all(apis.map((api) => waitForHttp(`${api.url}/readyz`, api.process, 40_000)));

  const workers = new Map<string, TFleetWorker>();
  const apiUrl = (index = 0): string => {
    const found = apis[index];
    if (!found) throw new Error(`no API ${index}`);
    return found.url;
  };

  /** Starts (or restarts, on a new port) a worker process and waits until it is ready. */
  async function startWorker(spec: TWorkerSpec): Promise<TFleetWorker> {
    const port = await freePort();
    const process = startProcess(spec.id, "apps/browser-worker/src/main.ts", {
      PORT: String(port),
      HOST: "127.0.0.1",
      WORKER_ID: spec.id,
      WORKER_CAPACITY: String(spec.capacity),
      WORKER_HEADLESS_CAPACITY: String(spec.headlessCapacity ?? 1),
      FLEET_TOKEN,
      VAULT_PUBLIC_KEY: TEST_ENV.VAULT_PUBLIC_KEY,
      FLEET_API_URL: apis[spec.api ?? 0]?.internalUrl ?? "",
      HEARTBEAT_INTERVAL_MS: "500",
      DRAIN_GRACE_MS: "4000",
      SESSION_RECONNECT_GRACE_MS: "1000",
      EGRESS_ALLOW_PRIVATE: new URL(sandbox.url).host,
      LOG_LEVEL: "warn",
      ...options.workerEnv,
      ...spec.env,
    });
    const started = { spec, url: `http://127.0.0.1:${port}`, port, process };
    workers.set(spec.id, started);
    await waitForHttp(`${started.url}/readyz`, process, 40_000);
    return started;
  }
  await Promise.all(options.workers.map((spec) => startWorker(spec)));

  async function newRecipient(invitation: { maxUses?: number | null } = {}): Promise<TRecipient> {
    const created = await world.caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "manual" },
      maxUses: invitation.maxUses ?? null,
    });
    const recipient = new RecipientHttp(tokenOf(created.url));
    await recipient.query(apiUrl(), "recipient.open");
    await recipient.mutate(apiUrl(), "recipient.consent");
    return Object.assign(recipient, { invitationId: created.id });
  }

  function startLogin(
    recipient: RecipientHttp,
    options: { via?: number; queueId?: string; providerId?: string } = {},
  ): Promise<TStarted | TQueued> {
    return recipient.mutate<TStarted | TQueued>(apiUrl(options.via ?? 0), "recipient.startLogin", {
      providerId: options.providerId ?? "sandbox-northwind",
      viewport: VIEWPORT,
      ...(options.queueId ? { queueId: options.queueId } : {}),
    });
  }

  const streams: TStreamClient[] = [];
  async function stream(login: TStarted, via = 0): Promise<TStreamClient> {
    const client = await openStream(apiUrl(via), login.streamUrl);
    streams.push(client);
    return client;
  }

  /** Login sessions the accounting holds as open (used capacity), on one worker or all. */
  async function openRows(workerId?: string) {
    return await database.db
      .select()
      .from(loginSession)
      .where(
        and(
          isNull(loginSession.endedAt),
          workerId ? eq(loginSession.workerId, workerId) : undefined,
        ),
      );
  }

  async function close(): Promise<void> {
    for (const client of streams) client.socket.terminate();
    const all = [...workers.values(), ...apis].map((entry) => entry.process);
    for (const process of all) process.kill("SIGKILL");
    await Promise.all(all.map((process) => process.exited));
    await Promise.all([database.close(), sandbox.close()]);
  }

  return {
    database: database as TTestDatabase,
    sandbox,
    world,
    apis,
    apiUrl,
    workers,
    startWorker,
    newRecipient,
    startLogin,
    stream,
    /** Every stream opened through `stream()`, in order. */
    streams,
    openRows,
    close,
  };
}

export type TFleet = Awaited<ReturnType<typeof startFleet>>;

export function expectStarted(result: TStarted | TQueued): TStarted {
  if (result.status !== "started") {
    throw new Error(`expected a browser, got ${JSON.stringify(result)}`);
  }
  return result;
}
