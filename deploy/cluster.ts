// The rendered kustomization as a cluster would run it, on loopback: each pod of the test
// topology gets the environment Kubernetes would build from the manifests (testkit
// `containerEnv`), then only cluster DNS names, pod IPs and listening ports are rewritten
// to loopback. What a deployment adds out of band (the Secrets' real values, the
// database) is filled in the way docs/scaling.md tells an operator to.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { freePort } from "@meterlink/db/embedded";
import type { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import type { TCluster, TEndpoint, TPod } from "./netpol";
import { containerEnv, loadKustomization, loadManifests, type TManifests } from "./testkit";

export const NAMESPACE = "meterlink";
/** The managed Postgres of networkpolicies.yaml (its placeholder address). */
export const POSTGRES_IP = "192.0.2.10";
/** A public address (RFC 5737) standing for the utility portals on the internet. */
export const INTERNET_IP = "203.0.113.10";

export type TPodPlan = TPod & {
  deployment: string;
  /** containerPort -> loopback port the process really listens on. */
  listens: Map<number, number>;
};

export type TRendered = {
  manifests: TManifests;
  /** Objects of the files kustomization.yaml lists (what `kubectl apply -k` applies). */
  rendered: { kind: string; name: string; body: Record<string, unknown> }[];
  policies: NetworkPolicy[];
  cluster: TCluster;
  pods: TPodPlan[];
};

/** The pods the test runs: one API, one jobs, two workers (labels from the Deployments). */
export async function planCluster(dir?: string): Promise<TRendered> {
  const manifests = loadManifests(dir);
  const kustomization = loadKustomization(dir);
  const files = new Set(kustomization.resources);
  const rendered = manifests.docs
    .filter((doc) => files.has(doc.file))
    .map((doc) => ({
      kind: String(doc.body.kind),
      name: String((doc.body.metadata as { name?: string } | undefined)?.name),
      body: doc.body,
    }));
  const policies = manifests
    .of("networking.k8s.io/v1/NetworkPolicy")
    .filter((entry) => files.has(entry.file))
    .map((entry) => entry.model);
  const namespace = manifests.one("v1/Namespace", NAMESPACE);
  const plan: [string, string, string][] = [
    ["meterlink-api", "meterlink-api-5d9c7-a", "10.244.1.10"],
    ["meterlink-jobs", "meterlink-jobs-6f8b4-a", "10.244.1.20"],
    ["meterlink-worker", "meterlink-worker-7c6d5-a", "10.244.2.10"],
    ["meterlink-worker", "meterlink-worker-7c6d5-b", "10.244.2.11"],
  ];
  const pods: TPodPlan[] = [];
  for (const [deployment, name, ip] of plan) {
    const template = manifests.one("apps/v1/Deployment", deployment).spec?.template;
    const container = template?.spec?.containers[0];
    const namedPorts: Record<string, number> = {};
    const listens = new Map<number, number>();
    for (const port of container?.ports ?? []) {
      if (port.name) namedPorts[port.name] = port.containerPort;
      listens.set(port.containerPort, await freePort());
    }
    pods.push({
      deployment,
      name,
      ip,
      namespace: NAMESPACE,
      labels: template?.metadata?.labels ?? {},
      namedPorts,
      listens,
    });
  }
  return {
    manifests,
    rendered,
    policies,
    cluster: {
      policies,
      namespaces: {
        [NAMESPACE]: namespace.metadata?.labels ?? {},
        "ingress-nginx": {},
        "kube-system": {},
        monitoring: {},
      },
    },
    pods,
  };
}

/** Pods a Service selects, and the container port its `port` targets on them. */
function serviceEndpoints(plan: TRendered, serviceName: string, port: number) {
  const service = plan.manifests.one("v1/Service", serviceName);
  const selector = service.spec?.selector ?? {};
  const spec = service.spec?.ports?.find((p) => p.port === port);
  if (!spec) return null;
  const pods = plan.pods.filter((pod) =>
    Object.entries(selector).every(([key, value]) => pod.labels[key] === value),
  );
  return pods.flatMap((pod) => {
    const target = spec.targetPort ?? spec.port;
    const containerPort = typeof target === "number" ? target : pod.namedPorts?.[target];
    const loopback = containerPort === undefined ? undefined : pod.listens.get(containerPort);
    return loopback === undefined ? [] : [`127.0.0.1:${loopback}`];
  });
}

/** Real values for the example Secrets' and ConfigMap's REPLACE_ME placeholders. */
export function operatorSecrets(databaseUrl: string) {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(48).toString("base64"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
    FLEET_TOKEN: randomBytes(24).toString("hex"),
    VAULT_PUBLIC_KEY: JSON.stringify(publicKey.export({ format: "jwk" })),
    VAULT_PRIVATE_KEY: JSON.stringify(privateKey.export({ format: "jwk" })),
    RESEND_API_KEY: `re_${randomBytes(12).toString("hex")}`,
    INBOUND_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
  } as Record<string, string>;
}

export function podContainer(plan: TRendered, pod: TPodPlan) {
  const deployment = plan.manifests.one("apps/v1/Deployment", pod.deployment);
  const container = deployment.spec?.template.spec?.containers[0];
  if (!container) throw new Error(`${pod.deployment} has no container`);
  return container;
}

/** Paths the pod's container may write to: its volumeMounts that are not read-only. */
export function podMounts(plan: TRendered, pod: TPodPlan): string[] {
  return (podContainer(plan, pod).volumeMounts ?? [])
    .filter((mount) => !mount.readOnly)
    .map((mount) => mount.mountPath);
}

/**
 * The pod's environment as Kubernetes builds it, then rewritten for loopback: cluster DNS
 * names to the loopback address of their Service's endpoints (a headless name lists every
 * pod, as its DNS answer does), pod IP:port to loopback, listening ports and addresses to
 * the loopback ones. Returns the rewrites too, so a test can show what changed.
 */
export function podEnv(
  plan: TRendered,
  pod: TPodPlan,
  secrets: Record<string, string>,
  /** Where a path of the pod's writable mounts is on this machine. */
  hostPath: (containerPath: string) => string = (path) => path,
) {
  const container = podContainer(plan, pod);
  const mounts = podMounts(plan, pod);
  const env = containerEnv(plan.manifests, container, pod);
  for (const [key, value] of Object.entries(env))
    if (/REPLACE_?ME/.test(value) && key in secrets) env[key] = secrets[key] ?? value;
  const rewritten: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    let next = value.replace(
      /([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)/g,
      (all, service: string, namespace: string, port: string) => {
        if (namespace !== NAMESPACE) return all;
        const endpoints = serviceEndpoints(plan, service, Number(port));
        if (!endpoints?.length) throw new Error(`${key}: ${all} names no Service port with pods`);
        return endpoints.join(",");
      },
    );
    for (const other of plan.pods)
      for (const [containerPort, loopback] of other.listens)
        next = next.replaceAll(`${other.ip}:${containerPort}`, `127.0.0.1:${loopback}`);
    if (/(^|_)PORT$/.test(key) && pod.listens.has(Number(next)))
      next = String(pod.listens.get(Number(next)));
    if (/(^|_)HOST$/.test(key) && next === "0.0.0.0") next = "127.0.0.1";
    if (mounts.some((mount) => next === mount || next.startsWith(`${mount}/`)))
      next = hostPath(next);
    if (next !== value) rewritten[key] = next;
    env[key] = next;
  }
  return { env, rewritten };
}

/** Where a loopback port really is in the cluster: which pod and container port. */
export function clusterEndpoint(
  plan: TRendered,
  loopbackPort: number,
  outside: Map<number, TEndpoint & { port: number }>,
): (TEndpoint & { port: number }) | null {
  for (const pod of plan.pods)
    for (const [containerPort, loopback] of pod.listens)
      if (loopback === loopbackPort) return { pod, port: containerPort };
  return outside.get(loopbackPort) ?? null;
}
