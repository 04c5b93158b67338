// #23 item 1 as the attacker ran it: a process on loopback holding a copied fleet token
// tries to join the fleet (new id, another worker's id, another worker's address) through
// the public port and the internal listener. It must be refused every way, and never be
// sent anything, while the real worker is admitted and gets the recipient's keystrokes.
import { createServer, type IncomingMessage } from "node:http";
import { worker } from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox } from "@meterlink/utility-sandbox/server";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { adminWorld, tokenOf } from "../../test/invitations";
import { TEST_ENV } from "../../test/keys";
import { eventually, startProcess, type TProcess, waitForHttp } from "../../test/processes";
import { openStream, RecipientHttp } from "../../test/recipient-http";
import { upsertProviders } from "../seed";

const FLEET_TOKEN = "copied-fleet-token-0123456789abcdef";

let database: TTestDatabase;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const processes: TProcess[] = [];
let publicUrl: string;
let internalUrl: string;
let workerUrl: string;
let rogueUrl: string;
const rogueSaw: string[] = [];
let rogueServer: ReturnType<typeof createServer>;
let rogueKey: object;

/** Everything the rogue receives, request line and body, WebSocket messages included. */
async function record(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  return `${req.method} ${req.url} ${body}`;
}

beforeAll(async () => {
  [database, sandbox] = await Promise.all([
    createTestDatabase(),
    startSandbox({ port: 0, control: true }),
  ]);
  await upsertProviders(database.db, sandboxProviders(sandbox.url));
  const [apiPort, internalPort, workerPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
  ]);
  publicUrl = `http://127.0.0.1:${apiPort}`;
  internalUrl = `http://127.0.0.1:${internalPort}`;
  workerUrl = `http://127.0.0.1:${workerPort}`;

  // The rogue: a fake worker on loopback with its own key, recording what reaches it.
  const { publicKey } = await generateKeyPair("ECDH-ES+A256KW", { crv: "P-256" });
  rogueKey = await exportJWK(publicKey);
  rogueServer = createServer((req, res) => {
    void record(req).then((line) => {
      rogueSaw.push(line);
      res.writeHead(req.url === "/identity" ? 200 : 201, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url === "/identity" ? { publicKey: rogueKey } : {}));
    });
  });
  const wss = new WebSocketServer({ server: rogueServer });
  wss.on("connection", (socket, req) => {
    rogueSaw.push(`WS ${req.url}`);
    socket.on("message", (data) => rogueSaw.push(`WS message ${String(data)}`));
  });
  await new Promise<void>((resolve) => rogueServer.listen(0, "127.0.0.1", () => resolve()));
  const address = rogueServer.address();
  rogueUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const api = startProcess("api", "apps/api/src/main.ts", {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    HOST: "127.0.0.1",
    PORT: String(apiPort),
    INTERNAL_PORT: String(internalPort),
    // The orchestrator lists one worker: the real one.
    FLEET_WORKERS: `127.0.0.1:${workerPort}`,
    PUBLIC_URL: publicUrl,
    AUTH_SECRET: "identity-test-secret-identity-test-0001",
    FLEET_TOKEN,
    FLEET_HEARTBEAT_TTL_MS: "5000",
    API_RUNS_JOBS: "false",
    LOG_LEVEL: "warn",
    ...TEST_ENV,
  });
  processes.push(api);
  await waitForHttp(`${publicUrl}/readyz`, api, 40_000);
  const real = startProcess("w1", "apps/browser-worker/src/main.ts", {
    PORT: String(workerPort),
    HOST: "127.0.0.1",
    WORKER_ID: "w1",
    WORKER_CAPACITY: "1",
    FLEET_TOKEN,
    VAULT_PUBLIC_KEY: TEST_ENV.VAULT_PUBLIC_KEY,
    FLEET_API_URL: internalUrl,
    HEARTBEAT_INTERVAL_MS: "500",
    EGRESS_ALLOW_PRIVATE: new URL(sandbox.url).host,
    LOG_LEVEL: "warn",
  });
  processes.push(real);
  await waitForHttp(`${workerUrl}/readyz`, real, 40_000);
  await eventually(async () => {
    const rows = await database.db.select().from(worker);
    expect(rows.map((row) => row.id)).toEqual(["w1"]);
  });
}, 120_000);

afterAll(async () => {
  for (const p of processes) p.kill("SIGKILL");
  await Promise.all(processes.map((p) => p.exited));
  await new Promise<void>((resolve) => rogueServer?.close(() => resolve()));
  await Promise.all([database?.close(), sandbox?.close()]);
});

async function heartbeat(base: string, beat: Record<string, unknown>) {
  const response = await fetch(`${base}/internal/fleet/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${FLEET_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ capacity: 1000, activeSessions: 0, publicKey: rogueKey, ...beat }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  return { status: response.status, message: body.error?.message ?? "" };
}

describe("a rogue worker holding a copied fleet token", () => {
  it("finds no fleet endpoint on the public port", async () => {
    const answer = await heartbeat(publicUrl, { workerId: "rogue", url: rogueUrl });
    expect(answer.status).toBe(404);
  });

  it("is refused on the internal listener: as itself, as the real worker, at its address", async () => {
    const realKey = (await database.db.select().from(worker))[0]?.publicKey;
    if (!realKey) throw new Error("the real worker has no key");
    const attempts = {
      itself: { workerId: "rogue", url: rogueUrl },
      realWorkerId: { workerId: "w1", url: rogueUrl },
      realAddressOwnKey: { workerId: "rogue", url: workerUrl },
      takeOverRealWorker: { workerId: "w1", url: workerUrl },
      // A public key is public (GET /identity): a second id at the real worker's address,
      // carrying that worker's key, would count its capacity twice.
      secondIdAtRealAddress: { workerId: "rogue", url: workerUrl, publicKey: JSON.parse(realKey) },
    };
    for (const [name, beat] of Object.entries(attempts)) {
      const answer = await heartbeat(internalUrl, beat);
      expect(answer.status, name).toBe(403);
      // Says why, so an operator reading the log knows what to fix.
      expect(answer.message, name).toMatch(/FLEET_WORKERS|does not hold the key|is worker w1/);
    }
    const rows = await database.db.select().from(worker);
    expect(rows.map((row) => [row.id, row.url, row.publicKey])).toEqual([
      ["w1", workerUrl, realKey],
    ]);
  });

  it("never receives a session or a keystroke: the recipient lands on the real worker", async () => {
    const world = await adminWorld(database.db);
    const created = await world.caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "manual" },
      maxUses: null,
    });
    const recipient = new RecipientHttp(tokenOf(created.url));
    await recipient.query(publicUrl, "recipient.open");
    await recipient.mutate(publicUrl, "recipient.consent");
    const login = await recipient.mutate<{ status: string; streamUrl: string }>(
      publicUrl,
      "recipient.startLogin",
      {
        providerId: "sandbox-northwind",
        viewport: { width: 800, height: 600, deviceScaleFactor: 1 },
      },
    );
    expect(login.status).toBe("started");
    const stream = await openStream(publicUrl, login.streamUrl);
    try {
      await stream.waitFor((message) => message.type === "ready", 20_000);
      stream.socket.send(JSON.stringify({ type: "insertText", text: "hunter2-secret", seq: 1 }));
      await stream.waitForFrames(1, 20_000);
    } finally {
      stream.socket.terminate();
    }
    // Only the admission check's reads of /identity ever reached the rogue.
    expect(rogueSaw.filter((line) => !line.startsWith("GET /identity"))).toEqual([]);
    expect(rogueSaw.join("\n")).not.toContain("hunter2");
  });
});
