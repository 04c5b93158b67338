// The manifests, run. Each pod of deploy/k8s (one API, one jobs, two workers) is started
// with exactly the environment Kubernetes would give it, rewritten only for loopback
// (deploy/cluster.ts). Then, in docs/scaling.md's order: the workers register through the
// internal Service, a recipient signs in live through the public Service, completes, and
// the jobs collect bills on a worker. Every TCP connection a process opened is checked
// against the NetworkPolicies, and the forbidden ones are checked to be refused.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchBrowser } from "@meterlink/browser-worker/session/browser";
import { bill, connection, worker } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertProviders } from "../apps/api/src/seed";
import { adminWorld, tokenOf } from "../apps/api/test/invitations";
import { eventually } from "../apps/api/test/processes";
import { openStream, RecipientHttp, type TStreamClient } from "../apps/api/test/recipient-http";
import {
  clusterEndpoint,
  INTERNET_IP,
  operatorSecrets,
  POSTGRES_IP,
  planCluster,
  podEnv,
  type TPodPlan,
  type TRendered,
} from "./cluster";
import { endpointName, refusal, type TConnection, type TEndpoint } from "./netpol";
import { DEPLOY_DIR, ROOT } from "./testkit";

const tsx = createRequire(import.meta.url).resolve("tsx");
const PROVIDER = "sandbox-northwind";
const VIEWPORT = { width: 800, height: 600, deviceScaleFactor: 1 };

let plan: TRendered;
let database: TTestDatabase;
let sandbox: TSandbox;
let scratch: string;
const traceFile = () => join(scratch, "connections.jsonl");
const running: { pod: TPodPlan; child: ChildProcess; output: string[] }[] = [];
const ingressPod = {
  name: "ingress-nginx-controller",
  namespace: "ingress-nginx",
  labels: { "app.kubernetes.io/name": "ingress-nginx" },
  ip: "10.244.0.5",
};

const podNamed = (deployment: string, index = 0) => {
  const pod = plan.pods.filter((p) => p.deployment === deployment)[index];
  if (!pod) throw new Error(`no pod of ${deployment}`);
  return pod;
};
const loopback = (pod: TPodPlan, containerPort: number) =>
  `http://127.0.0.1:${pod.listens.get(containerPort)}`;

/** A pod's process: the image's entry point, with that environment and nothing else. */
function startPod(pod: TPodPlan, env: Record<string, string>) {
  const entry =
    pod.deployment === "meterlink-worker"
      ? "apps/browser-worker/src/main.ts"
      : pod.deployment === "meterlink-jobs"
        ? "apps/api/src/jobs/main.ts"
        : "apps/api/src/main.ts";
  const child = spawn(process.execPath, ["--import", tsx, join(ROOT, entry)], {
    cwd: ROOT,
    env: {
      ...env,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: join(scratch, pod.name),
      // Test instrumentation only: records this process's outgoing connections.
      NODE_OPTIONS: `--import ${join(DEPLOY_DIR, "net-trace.mjs")}`,
      NET_TRACE_FILE: traceFile(),
      NET_TRACE_FROM: pod.name,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  running.push({ pod, child, output });
}

async function waitReady(pod: TPodPlan, url: string) {
  await eventually(
    async () => {
      const found = running.find((entry) => entry.pod === pod);
      if (found?.child.exitCode !== null)
        throw new Error(`${pod.name} exited:\n${found?.output.join("")}`);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
    },
    { timeoutMs: 40_000 },
  );
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "meterlink-cluster-"));
  writeFileSync(traceFile(), "");
  [plan, database, sandbox] = await Promise.all([
    planCluster(process.env.METERLINK_K8S_DIR),
    createTestDatabase(),
    startSandbox({ port: 0, control: true }),
  ]);
  await upsertProviders(database.db, sandboxProviders(sandbox.url));
  const secrets = operatorSecrets(database.url);
  const envs = new Map(plan.pods.map((pod) => [pod, podEnv(plan, pod, secrets).env]));
  for (const [pod, env] of envs) {
    if (pod.deployment === "meterlink-worker") {
      // The one addition: the utility portals are on the internet in production and on
      // loopback here, which the worker's egress guard refuses unless named.
      env.EGRESS_ALLOW_PRIVATE = new URL(sandbox.url).host;
    }
    // Bills land in the image's working directory; keep them out of the repository.
    if (pod.deployment === "meterlink-jobs") env.STORAGE_DIR ??= join(scratch, "bills");
  }
  // docs/scaling.md order: API (migrations), jobs, then workers.
  const api = podNamed("meterlink-api");
  startPod(api, envs.get(api) ?? {});
  await waitReady(api, `${loopback(api, 3000)}/readyz`);
  const jobs = podNamed("meterlink-jobs");
  startPod(jobs, envs.get(jobs) ?? {});
  for (const index of [0, 1]) {
    const pod = podNamed("meterlink-worker", index);
    startPod(pod, envs.get(pod) ?? {});
  }
  await Promise.all(
    [0, 1].map((index) => {
      const pod = podNamed("meterlink-worker", index);
      return waitReady(pod, `${loopback(pod, 4030)}/readyz`);
    }),
  );
}, 120_000);

afterAll(async () => {
  const debug = process.env.CLUSTER_DEBUG;
  if (debug)
    writeFileSync(debug, running.map((r) => `== ${r.pod.name}\n${r.output.join("")}`).join("\n"));
  for (const { child } of running) child.kill("SIGKILL");
  await Promise.all(
    running.map(
      ({ child }) =>
        new Promise<void>((resolve) =>
          child.exitCode !== null ? resolve() : child.once("exit", () => resolve()),
        ),
    ),
  );
  await Promise.all([database?.close(), sandbox?.close()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

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

describe("deploy/k8s, run on loopback", () => {
  it("workers register through the internal Service from their pod IP", async () => {
    await eventually(async () => {
      const rows = await database.db.select().from(worker);
      const expected = plan.pods.filter((p) => p.deployment === "meterlink-worker");
      expect(rows.map((row) => row.id).sort()).toEqual(expected.map((p) => p.name).sort());
      for (const pod of expected)
        expect(rows.find((row) => row.id === pod.name)?.url).toBe(loopback(pod, 4030));
    });
  });

  it("the ingress reaches only the public listener, which has no /internal", async () => {
    const ingress = plan.manifests.one("networking.k8s.io/v1/Ingress", "meterlink");
    const backends = (ingress.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((path) => path.backend.service),
    );
    const api = podNamed("meterlink-api");
    for (const backend of backends) {
      const service = plan.manifests.one("v1/Service", backend?.name ?? "");
      const port = service.spec?.ports?.find(
        (p) => p.name === backend?.port?.name || p.port === backend?.port?.number,
      );
      const target = port?.targetPort ?? port?.port;
      const containerPort = typeof target === "number" ? target : api.namedPorts?.[target ?? ""];
      expect(containerPort).toBe(3000);
    }
    const probe = await fetch(`${loopback(api, 3000)}/internal/fleet/heartbeat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(probe.status).toBe(404);
  });

  let stream: TStreamClient | undefined;
  it("a recipient signs in live, completes, and the jobs collect bills on a worker", async () => {
    const api = loopback(podNamed("meterlink-api"), 3000);
    const world = await adminWorld(database.db);
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
    const provider = sandboxProviders(sandbox.url).find((p) => p.id === PROVIDER);
    if (!provider) throw new Error("no provider");
    const { rules } = provider;
    const [user, password, submit] = await fieldCenters(provider.loginUrl, [
      rules.usernameSelector,
      rules.passwordSelector,
      rules.submitSelector ?? "button[type=submit]",
    ]);
    stream = await openStream(api, login.streamUrl);
    await stream.waitFor((m) => m.type === "ready", 20_000);
    await stream.waitForFrames(1, 20_000);
    let seq = 0;
    const send = (message: Record<string, unknown>) =>
      stream?.socket.send(JSON.stringify({ ...message, seq: ++seq }));
    send({ type: "mouse", action: "click", ...user });
    send({ type: "insertText", text: "alice" });
    send({ type: "mouse", action: "click", ...password });
    send({ type: "insertText", text: "correct-horse-1" });
    send({ type: "mouse", action: "click", ...submit });
    await stream.waitFor((m) => m.type === "outcome" && m.outcome === "success", 30_000);
    const done = await recipient.mutate<{ connectionId: string }>(api, "recipient.complete", {
      provider: { kind: "catalog", providerId: PROVIDER },
      credential: { method: "live", loginSessionId: login.loginSessionId },
      utilityTypes: ["electricity"],
    });
    stream.socket.terminate();
    // The first collection: the jobs process opens the sealed credential and signs in
    // headlessly on a worker.
    await eventually(
      async () => {
        const [row] = await database.db
          .select()
          .from(connection)
          .where(eq(connection.id, done.connectionId));
        expect(row?.status).toBe("active");
        const bills = await database.db
          .select()
          .from(bill)
          .where(eq(bill.connectionId, done.connectionId));
        expect(bills.length).toBeGreaterThan(0);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }, 120_000);

  it("every connection the run opened is allowed by the NetworkPolicies", () => {
    const outside = new Map<number, TEndpoint & { port: number }>([
      [
        new URL(database.url).port ? Number(new URL(database.url).port) : 5432,
        { ip: POSTGRES_IP, port: 5432 },
      ],
      [Number(new URL(sandbox.url).port), { ip: INTERNET_IP, port: 443 }],
    ]);
    const lines = readFileSync(traceFile(), "utf8").split("\n").filter(Boolean);
    const seen = new Map<string, TConnection>();
    const unknown: string[] = [];
    for (const line of lines) {
      const { from, host, port } = JSON.parse(line) as { from: string; host: string; port: number };
      const source = plan.pods.find((pod) => pod.name === from);
      if (!source) throw new Error(`trace from unknown ${from}`);
      if (!/^(127\.|localhost|::1)/.test(host)) {
        unknown.push(`${from} -> ${host}:${port}`);
        continue;
      }
      const target = clusterEndpoint(plan, port, outside);
      if (!target) {
        unknown.push(`${from} -> ${host}:${port}`);
        continue;
      }
      // Inside one pod (a worker's own egress proxy) no policy applies.
      if ("pod" in target && target.pod === source) continue;
      const key = `${from} -> ${endpointName(target)}:${target.port}`;
      seen.set(key, { from: { pod: source }, to: target, port: target.port });
    }
    expect(unknown).toEqual([]);
    // The recipient's requests enter through the ingress controller.
    const api = podNamed("meterlink-api");
    seen.set(`${ingressPod.name} -> ${api.name}:3000`, {
      from: { pod: ingressPod },
      to: { pod: api },
      port: 3000,
    });
    const edges = [...seen.keys()].map((key) => key.replace(/-[0-9a-f]{5}-[ab]/g, ""));
    // The run really exercised every path the product needs.
    for (const needed of [
      "meterlink-api -> 192.0.2.10:5432",
      "meterlink-jobs -> 192.0.2.10:5432",
      "meterlink-worker -> meterlink-api:3001",
      "meterlink-api -> meterlink-worker:4030",
      "meterlink-jobs -> meterlink-worker:4030",
      "meterlink-worker -> 203.0.113.10:443",
    ])
      expect(edges).toContain(needed);
    const refused = [...seen.entries()]
      .map(([key, connection]) => [key, refusal(plan.cluster, connection)])
      .filter(([, reason]) => reason !== null);
    expect(refused).toEqual([]);
  });

  it("refuses what must never happen", () => {
    const [api, jobs, workerA] = [
      podNamed("meterlink-api"),
      podNamed("meterlink-jobs"),
      podNamed("meterlink-worker"),
    ];
    const forbidden: [string, TConnection][] = [
      ["worker -> Postgres", { from: { pod: workerA }, to: { ip: POSTGRES_IP }, port: 5432 }],
      ["worker -> API public port", { from: { pod: workerA }, to: { pod: api }, port: 3000 }],
      ["API -> jobs", { from: { pod: api }, to: { pod: jobs }, port: 3000 }],
      ["worker -> jobs", { from: { pod: workerA }, to: { pod: jobs }, port: 3000 }],
      ["ingress -> jobs", { from: { pod: ingressPod }, to: { pod: jobs }, port: 3000 }],
      ["ingress -> API internal port", { from: { pod: ingressPod }, to: { pod: api }, port: 3001 }],
      ["worker -> metadata", { from: { pod: workerA }, to: { ip: "169.254.169.254" }, port: 80 }],
      ["worker -> pod CIDR", { from: { pod: workerA }, to: { ip: "10.244.3.7" }, port: 443 }],
      [
        "worker -> other worker",
        { from: { pod: workerA }, to: { pod: podNamed("meterlink-worker", 1) }, port: 4030 },
      ],
    ];
    for (const [name, connection] of forbidden)
      expect(refusal(plan.cluster, connection), name).not.toBeNull();
  });
});
