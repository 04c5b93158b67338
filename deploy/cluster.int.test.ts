// The manifests, run. Each pod of deploy/k8s (one API, one jobs, two workers) is started
// with exactly the environment Kubernetes would give it, rewritten only for loopback
// (deploy/cluster.ts). Then, in docs/scaling.md's order: the workers register through the
// internal Service, a recipient signs in live through the public Service, completes, and
// the jobs collect bills on a worker. Every TCP connection a process opened is checked
// against the NetworkPolicies, and the forbidden ones are checked to be refused.
import { worker } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertProviders } from "../apps/api/src/seed";
import { eventually } from "../apps/api/test/processes";
import {
  clusterEndpoint,
  INTERNET_IP,
  operatorSecrets,
  POSTGRES_IP,
  planCluster,
  podContainer,
  podEnv,
  podMounts,
  type TPodPlan,
  type TRendered,
} from "./cluster";
import { endpointName, refusal, type TConnection, type TEndpoint } from "./netpol";
import {
  createRun,
  dockerfileOf,
  entryOf,
  signInAndCollect,
  type TRun,
  unmountedWrites,
} from "./run";
import { imageHome } from "./testkit";

let plan: TRendered;
let database: TTestDatabase;
let sandbox: TSandbox;
let run: TRun;
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

/** A pod's process: its container's command (or its image's), with that environment. */
function startPod(pod: TPodPlan, env: Record<string, string>) {
  const container = podContainer(plan, pod);
  run.start(pod.name, entryOf(container.image ?? "", container.command), env);
}

beforeAll(async () => {
  run = createRun("meterlink-cluster-");
  [plan, database, sandbox] = await Promise.all([
    planCluster(process.env.METERLINK_K8S_DIR),
    createTestDatabase(),
    startSandbox({ port: 0, control: true }),
  ]);
  await upsertProviders(database.db, sandboxProviders(sandbox.url));
  const secrets = operatorSecrets(database.url);
  const envs = new Map(
    plan.pods.map((pod) => [
      pod,
      podEnv(plan, pod, secrets, (path) => run.hostPath(pod.name, path)).env,
    ]),
  );
  for (const [pod, env] of envs) {
    if (pod.deployment === "meterlink-worker") {
      // The one addition: the utility portals are on the internet in production and on
      // loopback here, which the worker's egress guard refuses unless named.
      env.EGRESS_ALLOW_PRIVATE = new URL(sandbox.url).host;
    }
  }
  // docs/scaling.md order: API (migrations), jobs, then workers.
  const api = podNamed("meterlink-api");
  startPod(api, envs.get(api) ?? {});
  await run.waitReady(api.name, `${loopback(api, 3000)}/readyz`);
  const jobs = podNamed("meterlink-jobs");
  startPod(jobs, envs.get(jobs) ?? {});
  for (const index of [0, 1]) {
    const pod = podNamed("meterlink-worker", index);
    startPod(pod, envs.get(pod) ?? {});
  }
  await Promise.all(
    [0, 1].map((index) => {
      const pod = podNamed("meterlink-worker", index);
      return run.waitReady(pod.name, `${loopback(pod, 4030)}/readyz`);
    }),
  );
}, 120_000);

afterAll(async () => {
  await run?.stop();
  await Promise.all([database?.close(), sandbox?.close()]);
});

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

  it("a recipient signs in live, completes, and the jobs collect bills on a worker", async () => {
    await signInAndCollect({
      db: database.db,
      databaseUrl: database.url,
      api: loopback(podNamed("meterlink-api"), 3000),
      sandboxUrl: sandbox.url,
    });
  }, 120_000);

  it("writes only to the volumes the pods mount (the root filesystem is read-only)", () => {
    const pod = (name: string) => {
      const found = plan.pods.find((p) => p.name === name);
      if (!found) throw new Error(`no pod ${name}`);
      return found;
    };
    const problems = unmountedWrites(
      run,
      (name) => podMounts(plan, pod(name)),
      (name) => imageHome(dockerfileOf(podContainer(plan, pod(name)).image ?? "")),
    );
    expect(problems).toEqual([]);
    // The run wrote where it matters: the jobs stored bills, workers their profiles.
    const writers = new Set(run.writes(() => "/home").map((write) => write.from));
    expect([...writers].map((name) => name.replace(/-[0-9a-f]{5}-[ab]$/, "")).sort()).toEqual(
      expect.arrayContaining(["meterlink-jobs", "meterlink-worker"]),
    );
  });

  it("every connection the run opened is allowed by the NetworkPolicies", () => {
    const outside = new Map<number, TEndpoint & { port: number }>([
      [
        new URL(database.url).port ? Number(new URL(database.url).port) : 5432,
        { ip: POSTGRES_IP, port: 5432 },
      ],
      [Number(new URL(sandbox.url).port), { ip: INTERNET_IP, port: 443 }],
    ]);
    const seen = new Map<string, TConnection>();
    const unknown: string[] = [];
    for (const { from, host, port } of run.connections()) {
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
