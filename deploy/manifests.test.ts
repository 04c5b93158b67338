// What a platform engineer relies on when applying deploy/k8s: every object is valid for
// its API, nothing runs as root or without limits and probes, workers outlive their
// drain, cannot reach anything private, are scaled on utilisation, and no secret value
// lives in the repository.
import { readdirSync, readFileSync } from "node:fs";
import { BlockList, isIPv4 } from "node:net";
import { basename, join } from "node:path";
import { loadApiEnv } from "@meterlink/api/env";
import {
  loadEnv as loadWorkerEnv,
  WORKER_DEFAULTS,
  ZWorkerEnv,
} from "@meterlink/browser-worker/env";
import { createMetrics } from "@meterlink/browser-worker/metrics/metrics";
import type { IIoK8sApiCoreV1Container } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1PodSpec } from "kubernetes-models/v1/PodSpec";
import { describe, expect, it } from "vitest";
import { COMPOSE_DIR, COMPOSE_FILE } from "./compose";
import {
  containerEnv,
  DOCKER_DIR,
  K8S_DIR,
  kindKey,
  loadKustomization,
  loadManifests,
  loadRawDocs,
  MiB,
  quantity,
  validateDoc,
  yamlFiles,
} from "./testkit";

const manifests = loadManifests();
const kustomization = loadKustomization();
const deployments = manifests.of("apps/v1/Deployment");
const api = manifests.one("apps/v1/Deployment", "meterlink-api");
const worker = manifests.one("apps/v1/Deployment", "meterlink-worker");
const jobs = manifests.one("apps/v1/Deployment", "meterlink-jobs");

function podSpec(name: string): IIoK8sApiCoreV1PodSpec {
  const spec = manifests.one("apps/v1/Deployment", name).spec?.template.spec;
  if (!spec) throw new Error(`${name} has no pod spec`);
  return spec;
}

function onlyContainer(name: string): IIoK8sApiCoreV1Container {
  const [container, ...more] = podSpec(name).containers;
  if (!container || more.length > 0) throw new Error(`${name} should have one container`);
  return container;
}

const podLabels = (name: string) =>
  manifests.one("apps/v1/Deployment", name).spec?.template.metadata?.labels ?? {};

/** A selector matches a pod when each of its labels is on the pod. */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const POD = { name: "meterlink-pod", namespace: "meterlink", ip: "10.1.2.3" };
const envOf = (container: IIoK8sApiCoreV1Container) => containerEnv(manifests, container, POD);

/** The worker's configuration as the worker itself parses it (defaults included). */
const workerEnv = loadWorkerEnv(envOf(onlyContainer("meterlink-worker")));

/** Secret names a container can read, through envFrom or env. */
function secretsReadBy(container: IIoK8sApiCoreV1Container): string[] {
  const names = new Set<string>();
  for (const source of container.envFrom ?? [])
    if (source.secretRef?.name) names.add(source.secretRef.name);
  for (const variable of container.env ?? [])
    if (variable.valueFrom?.secretKeyRef?.name) names.add(variable.valueFrom.secretKeyRef.name);
  return [...names].sort();
}

describe("every manifest", () => {
  const raw = loadRawDocs();

  it.each(
    raw
      .filter((doc) => doc.body.kind !== "Kustomization")
      .map((doc) => [`${doc.file}#${doc.index} ${kindKey(doc.body)}`, doc] as const),
  )("%s is valid against its API schema", (_name, doc) => {
    expect(() => validateDoc(doc)).not.toThrow();
  });

  it("rejects an invalid object (the validation is not a no-op)", () => {
    const broken = structuredClone(raw.find((doc) => doc.body.kind === "Deployment"));
    if (!broken) throw new Error("no Deployment");
    (broken.body.spec as Record<string, unknown>).replicas = "two";
    expect(() => validateDoc(broken)).toThrow();
  });

  it("lives in the meterlink namespace", () => {
    for (const doc of manifests.docs) {
      if (doc.body.kind === "Namespace") continue;
      const metadata = doc.body.metadata as { namespace?: string } | undefined;
      expect(metadata?.namespace, `${doc.file}#${doc.index}`).toBe("meterlink");
    }
    expect(kustomization.namespace).toBe("meterlink");
  });

  it("never disables Chromium's sandbox", () => {
    for (const file of yamlFiles(K8S_DIR))
      expect(readFileSync(join(K8S_DIR, file), "utf8"), file).not.toMatch(/no-sandbox/);
  });
});

describe("kustomization.yaml", () => {
  const topLevel = readdirSync(K8S_DIR).filter(
    (name) => /\.ya?ml$/.test(name) && name !== "kustomization.yaml",
  );

  it("lists every manifest of the base, and only files that exist", () => {
    const expected = topLevel.filter((name) => !name.endsWith(".example.yaml")).sort();
    expect([...kustomization.resources].sort()).toEqual(expected);
  });

  it("never applies the example Secrets", () => {
    expect(kustomization.resources.some((name) => name.includes("example"))).toBe(false);
    for (const file of kustomization.resources) {
      const kinds = loadRawDocs()
        .filter((doc) => doc.file === file)
        .map((doc) => doc.body.kind);
      expect(kinds, file).not.toContain("Secret");
    }
  });

  it("pins every container image to a tag (never :latest) through `images`", () => {
    for (const { model } of deployments) {
      for (const container of model.spec?.template.spec?.containers ?? []) {
        const image = container.image ?? "";
        const override = kustomization.images.find((entry) => entry.name === image);
        expect(override, `${image} has no kustomize images entry`).toBeDefined();
        const tag = override?.digest ?? override?.newTag ?? "";
        expect(tag).toMatch(/^(sha256:[0-9a-f]{64}|\d+\.\d+\.\d+.*)$/);
      }
    }
  });
});

describe("every workload", () => {
  it.each(deployments.map(({ model }) => [model.metadata?.name ?? "?", model] as const))(
    "%s runs as a numeric non-root user, confined, without a service account token",
    (name) => {
      const spec = podSpec(name);
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(["RuntimeDefault", "Localhost"]).toContain(spec.securityContext?.seccompProfile?.type);
      for (const container of spec.containers) {
        const context = container.securityContext;
        expect(context?.runAsUser ?? spec.securityContext?.runAsUser).not.toBe(0);
        expect(context?.allowPrivilegeEscalation, container.name).toBe(false);
        expect(context?.readOnlyRootFilesystem, container.name).toBe(true);
        expect(context?.capabilities?.drop, container.name).toEqual(["ALL"]);
        expect(context?.capabilities?.add ?? []).toEqual([]);
        expect(context?.privileged ?? false).toBe(false);
      }
    },
  );

  it.each(deployments.map(({ model }) => [model.metadata?.name ?? "?", model] as const))(
    "%s has requests, a memory limit above them, and probes on each port it serves",
    (name) => {
      for (const container of podSpec(name).containers) {
        const { requests, limits } = container.resources ?? {};
        expect(quantity(requests?.cpu)).toBeGreaterThan(0);
        expect(quantity(requests?.memory)).toBeGreaterThan(0);
        expect(quantity(limits?.memory)).toBeGreaterThanOrEqual(quantity(requests?.memory));
        const portNames = (container.ports ?? []).map((port) => port.name);
        // A process that serves no HTTP (jobs) has nothing to probe; see jobs below.
        if (portNames.length === 0) continue;
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
          expect(probe?.httpGet, `${container.name} probe`).toBeDefined();
          expect(portNames).toContain(probe?.httpGet?.port);
        }
        // /tmp is the only writable place with a read-only root filesystem.
        expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain("/tmp");
      }
    },
  );

  it("reads only the Secrets it needs: the vault private key only in jobs", () => {
    expect(secretsReadBy(onlyContainer("meterlink-worker"))).toEqual(["meterlink-fleet"]);
    expect(secretsReadBy(onlyContainer("meterlink-api"))).toEqual([
      "meterlink-api",
      "meterlink-fleet",
    ]);
    expect(secretsReadBy(onlyContainer("meterlink-jobs"))).toContain("meterlink-vault");
    for (const name of ["meterlink-api", "meterlink-worker"])
      expect(envOf(onlyContainer(name))).not.toHaveProperty("VAULT_PRIVATE_KEY");
  });
});

describe("api", () => {
  const container = onlyContainer("meterlink-api");
  const env = envOf(container);

  it("runs at least two replicas, ready on /readyz, alive on /healthz", () => {
    expect(api.spec?.replicas).toBeGreaterThanOrEqual(2);
    expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(container.livenessProbe?.httpGet?.path).toBe("/healthz");
  });

  it("gets a configuration the API's own env validation accepts", () => {
    expect(() => loadApiEnv(env)).not.toThrow();
    const parsed = loadApiEnv(env);
    // Jobs run in their own Deployment, not in every API replica.
    expect(parsed).toMatchObject({ NODE_ENV: "production", API_RUNS_JOBS: false });
    expect(container.ports?.map((port) => port.containerPort)).toContain(parsed.PORT);
    for (const name of [
      "FLEET_TOKEN",
      "TOKEN_ENCRYPTION_KEY",
      "VAULT_PUBLIC_KEY",
      "RESEND_API_KEY",
    ])
      expect(env, name).toHaveProperty(name);
  });

  it("is exposed by its Service and the Ingress, on the container's port", () => {
    const service = manifests.one("v1/Service", "meterlink-api");
    expect(selects(service.spec?.selector, podLabels("meterlink-api"))).toBe(true);
    const portNames = container.ports?.map((port) => port.name);
    for (const port of service.spec?.ports ?? []) expect(portNames).toContain(port.targetPort);
    const [ingress] = manifests.of("networking.k8s.io/v1/Ingress");
    const backends = (ingress?.model.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((path) => path.backend.service),
    );
    expect(backends.length).toBeGreaterThan(0);
    for (const backend of backends) {
      expect(backend?.name).toBe("meterlink-api");
      expect(service.spec?.ports?.map((port) => port.name)).toContain(backend?.port?.name);
    }
  });

  it("keeps one replica through voluntary disruptions without blocking node drains", () => {
    const pdb = manifests.one("policy/v1/PodDisruptionBudget", "meterlink-api");
    expect(selects(pdb.spec?.selector?.matchLabels, podLabels("meterlink-api"))).toBe(true);
    expect(Number(pdb.spec?.minAvailable)).toBeGreaterThanOrEqual(1);
    expect(Number(pdb.spec?.minAvailable)).toBeLessThan(api.spec?.replicas ?? 0);
  });
});

describe("jobs", () => {
  it("runs the jobs entry point of the API image with a configuration the API accepts", () => {
    const container = onlyContainer("meterlink-jobs");
    expect(container.image).toBe(onlyContainer("meterlink-api").image);
    expect(container.command?.join(" ")).toContain("apps/api/src/jobs/main.ts");
    const env = envOf(container);
    expect(env.VAULT_PRIVATE_KEY).toBeDefined();
    expect(loadApiEnv(env)).toMatchObject({ API_RUNS_JOBS: true });
    expect(jobs.spec?.replicas).toBeGreaterThanOrEqual(1);
  });

  it("serves nothing: no port, no probe, behind no Service", () => {
    const container = onlyContainer("meterlink-jobs");
    expect(container.ports ?? []).toEqual([]);
    expect(container.livenessProbe).toBeUndefined();
    for (const { model } of manifests.of("v1/Service"))
      expect(selects(model.spec?.selector, podLabels("meterlink-jobs"))).toBe(false);
  });
});

describe("worker", () => {
  const container = onlyContainer("meterlink-worker");
  const spec = podSpec("meterlink-worker");
  const port = workerEnv.PORT;

  it("gets only variables the worker reads, accepted by its env validation", () => {
    // POD_IP only feeds ADVERTISE_URL's $(POD_IP) expansion.
    const known = new Set([...Object.keys(ZWorkerEnv.shape), "NODE_ENV", "POD_IP"]);
    for (const name of Object.keys(envOf(container))) expect(known, name).toContain(name);
    expect(workerEnv.HOST).toBe("0.0.0.0");
  });

  it("is ready on /readyz and alive on /healthz, on the port it listens on", () => {
    expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(container.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(container.ports?.map((p) => p.containerPort)).toEqual([port]);
    const annotations = worker.spec?.template.metadata?.annotations ?? {};
    expect(Number(annotations["prometheus.io/port"])).toBe(port);
    expect(annotations["prometheus.io/path"]).toBe("/metrics");
  });

  it("is given longer to stop than it takes to drain its sessions", () => {
    // The effective value: the worker's default applies when the ConfigMap omits it.
    const drainSeconds = workerEnv.DRAIN_GRACE_MS / 1000;
    expect(drainSeconds).toBeGreaterThanOrEqual(60);
    // 15 s at least to close contexts, report outcomes and stop Chromium after the drain.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drainSeconds + 15);
  });

  it("requests memory for its capacity: ~80 MiB a session and a browser over a 256 MiB base", () => {
    const capacity = workerEnv.WORKER_CAPACITY;
    expect(capacity).toBeGreaterThan(0);
    // The image runs the headless shell (dockerfiles.test.ts), so its default applies.
    const browsers = workerEnv.WORKER_BROWSERS ?? WORKER_DEFAULTS.shellBrowsers;
    const request = quantity(container.resources?.requests?.memory);
    expect(request).toBeGreaterThanOrEqual(256 * MiB + (browsers - 1 + capacity) * 80 * MiB);
    expect(quantity(container.resources?.limits?.memory)).toBeGreaterThan(request);
  });

  it("keeps Chromium's sandbox with the repository's seccomp profile", () => {
    const profile = spec.securityContext?.seccompProfile;
    expect(profile?.type).toBe("Localhost");
    expect(basename(profile?.localhostProfile ?? "")).toBe("chromium-seccomp.json");
    expect(readdirSync(DOCKER_DIR)).toContain("chromium-seccomp.json");
    expect(container.securityContext?.seccompProfile?.type ?? "Localhost").toBe("Localhost");
  });

  it("leaves the replica count to the autoscaler", () => {
    expect(worker.spec).not.toHaveProperty("replicas");
  });

  it("registers and reports through the API's internal Service, never the public one", () => {
    const service = manifests.one("v1/Service", "meterlink-api-internal");
    const url = new URL(workerEnv.FLEET_API_URL ?? "");
    expect(url.hostname.split(".")[0]).toBe(service.metadata?.name);
    expect(Number(url.port)).toBe(service.spec?.ports?.[0]?.port);
    expect(url.protocol).toBe("http:");
    // The routes themselves are checked by running them: deploy/cluster.int.test.ts.
  });

  it("has a headless Service and a disruption budget of one pod", () => {
    const service = manifests.one("v1/Service", "meterlink-worker");
    expect(service.spec?.clusterIP).toBe("None");
    expect(selects(service.spec?.selector, podLabels("meterlink-worker"))).toBe(true);
    const pdb = manifests.one("policy/v1/PodDisruptionBudget", "meterlink-worker");
    expect(selects(pdb.spec?.selector?.matchLabels, podLabels("meterlink-worker"))).toBe(true);
    expect(pdb.spec?.maxUnavailable).toBe(1);
  });
});

describe("worker autoscaling", () => {
  const scaled = manifests.one("keda.sh/v1alpha1/ScaledObject", "meterlink-worker");

  it("targets the worker Deployment with bounds", () => {
    expect(scaled.spec.scaleTargetRef.name).toBe(worker.metadata?.name);
    expect(scaled.spec.scaleTargetRef.kind ?? "Deployment").toBe("Deployment");
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount ?? 0);
  });

  it("scales on fleet utilisation (active sessions / capacity) below 1", () => {
    const [trigger, ...others] = scaled.spec.triggers;
    expect(others).toEqual([]);
    expect(trigger?.type).toBe("prometheus");
    expect(trigger?.metricType).toBe("Value");
    // The gauges the worker really exports, so a renamed metric fails here and not
    // silently in production (KEDA would read "no data" and never scale up).
    const names = createMetrics(1)
      .registry.getMetricsAsArray()
      .map((metric) => metric.name);
    const active = names.find((name) => name.endsWith("_sessions_active"));
    const capacity = names.find((name) => name.endsWith("_capacity"));
    expect(active && capacity).toBeTruthy();
    const match = /^sum\((\w+)\{[^}]*\}\)\s*\/\s*sum\((\w+)\{[^}]*\}\)$/.exec(
      trigger?.metadata.query ?? "",
    );
    expect(match?.slice(1)).toEqual([active, capacity]);
    const threshold = Number(trigger?.metadata.threshold);
    expect(threshold).toBeGreaterThan(0);
    expect(threshold).toBeLessThan(1);
  });

  it("scales down more slowly than a worker drains", () => {
    const down = scaled.spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleDown;
    const drainSeconds = workerEnv.DRAIN_GRACE_MS / 1000;
    expect(down?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(drainSeconds);
  });

  it("has an HPA alternative with the same target, bounds and threshold", () => {
    const hpa = manifests.one("autoscaling/v2/HorizontalPodAutoscaler", "meterlink-worker");
    expect(hpa.spec?.scaleTargetRef.name).toBe(worker.metadata?.name);
    expect(hpa.spec?.minReplicas).toBe(scaled.spec.minReplicaCount);
    expect(hpa.spec?.maxReplicas).toBe(scaled.spec.maxReplicaCount);
    const target = hpa.spec?.metrics?.[0]?.external?.target;
    expect(target?.type).toBe("Value");
    expect(quantity(target?.value)).toBeCloseTo(
      Number(scaled.spec.triggers[0]?.metadata.threshold),
    );
    expect(kustomization.resources.some((file) => file.includes("hpa"))).toBe(false);
  });
});

describe("network policies", () => {
  const policies = manifests.of("networking.k8s.io/v1/NetworkPolicy").map(({ model }) => model);
  const forPods = (name: string) =>
    policies.filter(
      (policy) =>
        Object.keys(policy.spec?.podSelector?.matchLabels ?? {}).length === 0 ||
        selects(policy.spec?.podSelector?.matchLabels, podLabels(name)),
    );
  const apiLabels = podLabels("meterlink-api");

  it("deny everything by default", () => {
    const deny = policies.find((policy) => policy.metadata?.name === "default-deny");
    expect(deny?.spec?.podSelector).toEqual({});
    expect(deny?.spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(deny?.spec?.ingress).toBeUndefined();
    expect(deny?.spec?.egress).toBeUndefined();
  });

  it("let workers be reached only by api and jobs pods and Prometheus", () => {
    const rules = forPods("meterlink-worker").flatMap((policy) => policy.spec?.ingress ?? []);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      // A rule without `from` admits every source.
      expect(rule.from?.length).toBeGreaterThan(0);
      for (const peer of rule.from ?? []) {
        expect(peer.ipBlock).toBeUndefined();
        const fromApi =
          !peer.namespaceSelector &&
          (selects(peer.podSelector?.matchLabels, apiLabels) ||
            selects(peer.podSelector?.matchLabels, podLabels("meterlink-jobs")));
        const fromPrometheus =
          peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring" &&
          peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "prometheus";
        expect(fromApi || fromPrometheus, JSON.stringify(peer)).toBe(true);
      }
      for (const port of rule.ports ?? []) expect(port.port).toBe(workerEnv.PORT);
      expect(rule.ports?.length).toBeGreaterThan(0);
    }
  });

  const PRIVATE_V4 = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.169.254/32",
    "127.0.0.0/8",
  ];

  /** Whether the except list excludes all of `cidr` (a CIDR is inside one that contains its base at a shorter or equal prefix). */
  function excluded(except: string[], cidr: string): boolean {
    const [base = "", prefix = ""] = cidr.split("/");
    return except.some((entry) => {
      const [entryBase = "", entryPrefix = ""] = entry.split("/");
      if (isIPv4(entryBase) !== isIPv4(base) || Number(entryPrefix) > Number(prefix)) return false;
      const list = new BlockList();
      list.addSubnet(entryBase, Number(entryPrefix), isIPv4(base) ? "ipv4" : "ipv6");
      return list.check(base, isIPv4(base) ? "ipv4" : "ipv6");
    });
  }

  it("let workers out to the public internet only: no private range, no metadata", () => {
    const rules = forPods("meterlink-worker").flatMap((policy) => policy.spec?.egress ?? []);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.to?.length, "a rule without `to` admits every destination").toBeGreaterThan(0);
      for (const peer of rule.to ?? []) {
        if (peer.ipBlock) {
          const except = peer.ipBlock.except ?? [];
          const v4 = isIPv4(peer.ipBlock.cidr.split("/")[0] ?? "");
          const required = v4 ? PRIVATE_V4 : ["fc00::/7", "fe80::/10", "::1/128", "::ffff:0:0/96"];
          for (const cidr of required) expect(excluded(except, cidr), cidr).toBe(true);
          // ...while the public internet stays reachable (and `excluded` is not always true).
          expect(excluded(except, v4 ? "8.8.8.8/32" : "2001:4860:4860::8888/128")).toBe(false);
          continue;
        }
        const toDns =
          peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "kube-system" &&
          peer.podSelector?.matchLabels?.["k8s-app"] === "kube-dns";
        const toApi = !peer.namespaceSelector && selects(peer.podSelector?.matchLabels, apiLabels);
        expect(toDns || toApi, JSON.stringify(peer)).toBe(true);
        if (toDns) expect(rule.ports?.every((port) => port.port === 53)).toBe(true);
        if (toApi)
          // The internal listener only: never the public port.
          expect(rule.ports?.map((port) => port.port)).toEqual([
            api.spec?.template.spec?.containers[0]?.ports?.find((p) => p.name === "internal")
              ?.containerPort,
          ]);
      }
    }
  });

  it("let the API reach Postgres, the workers and the internet, and be reached by workers", () => {
    const rules = forPods("meterlink-api");
    const egressPorts = rules.flatMap((policy) =>
      (policy.spec?.egress ?? []).flatMap((rule) => (rule.ports ?? []).map((port) => port.port)),
    );
    expect(egressPorts).toEqual(expect.arrayContaining([53, 5432, 443, workerEnv.PORT]));
    const ingressPeers = rules.flatMap((policy) =>
      (policy.spec?.ingress ?? []).flatMap((rule) => rule.from ?? []),
    );
    expect(
      ingressPeers.some((peer) =>
        selects(peer.podSelector?.matchLabels, podLabels("meterlink-worker")),
      ),
    ).toBe(true);
  });

  it("admit nothing to the jobs pods, which hold the vault private key", () => {
    const ingress = forPods("meterlink-jobs").flatMap((policy) => policy.spec?.ingress ?? []);
    expect(ingress).toEqual([]);
  });
});

describe("secrets", () => {
  const secretDocs = loadRawDocs().filter((doc) => doc.body.kind === "Secret");

  it("exist only as examples, with placeholder values", () => {
    expect(secretDocs.length).toBeGreaterThan(0);
    for (const doc of secretDocs) {
      expect(doc.file).toMatch(/\.example\.yaml$/);
      // base64 `data` would hide whether a value is a placeholder.
      expect(doc.body).not.toHaveProperty("data");
      const values = Object.values((doc.body.stringData ?? {}) as Record<string, string>);
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(value).toMatch(/REPLACE_?ME/);
    }
  });

  it("cover every Secret key a workload reads", () => {
    for (const { model } of deployments)
      for (const container of model.spec?.template.spec?.containers ?? [])
        expect(() => envOf(container)).not.toThrow();
  });

  it("leave no key material anywhere in deploy/", () => {
    const files = [
      ...yamlFiles(K8S_DIR).map((file) => join(K8S_DIR, file)),
      ...readdirSync(DOCKER_DIR).map((file) => join(DOCKER_DIR, file)),
      ...readdirSync(COMPOSE_DIR).map((file) => join(COMPOSE_DIR, file)),
      COMPOSE_FILE,
    ];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      expect(text, file).not.toMatch(/\bre_[A-Za-z0-9]{16,}/); // Resend API key
      expect(text, file).not.toMatch(/"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/); // JWK private part
      expect(text, file).not.toMatch(/postgres(ql)?:\/\/[^:\s]+:(?!REPLACE_ME|\$\{)[^@\s]+@/);
    }
  });
});
