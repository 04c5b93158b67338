// A small evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1), for TCP, as the
// API reference defines it: a pod selected by no policy of a given type is open in that
// direction; a selected pod allows a connection only if some rule of some selecting
// policy allows it (policies add up). A connection needs the source's egress AND the
// destination's ingress. Peers: podSelector (policy's namespace), namespaceSelector,
// both (pods matching in matching namespaces), ipBlock (cidr minus except, applied to
// any address, pods included, as most CNIs do). Ports: number, named container port,
// endPort; no `ports` = every port; no `to`/`from` = every peer.
import { BlockList, isIPv4 } from "node:net";
import type { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";

export type TSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

export type TPod = {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  /** containerPort by port name, for named ports in policies. */
  namedPorts?: Record<string, number>;
};

/** A pod of the cluster, or an address outside it (Postgres, the internet, metadata). */
export type TEndpoint = { pod: TPod } | { ip: string };

export type TConnection = { from: TEndpoint; to: TEndpoint; port: number };

export type TCluster = {
  policies: NetworkPolicy[];
  /** Labels of every namespace (kubernetes.io/metadata.name is added automatically). */
  namespaces: Record<string, Record<string, string>>;
};

export function matches(selector: TSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === "In"
        ? has && values.includes(value ?? "")
        : expression.operator === "NotIn"
          ? !has || !values.includes(value ?? "")
          : expression.operator === "Exists"
            ? has
            : expression.operator === "DoesNotExist"
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

const ipOf = (endpoint: TEndpoint) => ("pod" in endpoint ? endpoint.pod.ip : endpoint.ip);

function inBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const family = isIPv4(ip) ? "ipv4" : "ipv6";
  const cidr = (text: string) => {
    const [address = "", prefix = ""] = text.split("/");
    const list = new BlockList();
    if (isIPv4(address) !== (family === "ipv4")) return null;
    list.addSubnet(address, Number(prefix), family);
    return list;
  };
  if (!cidr(block.cidr)?.check(ip, family)) return false;
  return !(block.except ?? []).some((except) => cidr(except)?.check(ip, family));
}

type TPeer = {
  podSelector?: TSelector;
  namespaceSelector?: TSelector;
  ipBlock?: { cidr: string; except?: string[] };
};

function peerMatches(
  cluster: TCluster,
  policyNamespace: string,
  peer: TPeer,
  endpoint: TEndpoint,
): boolean {
  if (peer.ipBlock) return inBlock(ipOf(endpoint), peer.ipBlock);
  if (!("pod" in endpoint)) return false;
  const { pod } = endpoint;
  const namespaceLabels = {
    ...(cluster.namespaces[pod.namespace] ?? {}),
    "kubernetes.io/metadata.name": pod.namespace,
  };
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, namespaceLabels)
    : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? matches(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

type TPortRule = { port?: number | string; endPort?: number; protocol?: string };

function portMatches(ports: TPortRule[] | undefined, port: number, target: TEndpoint): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? "TCP") !== "TCP") return false;
    if (rule.port === undefined) return true;
    const number =
      typeof rule.port === "number"
        ? rule.port
        : "pod" in target
          ? target.pod.namedPorts?.[rule.port]
          : undefined;
    if (number === undefined) return false;
    return rule.endPort ? port >= number && port <= rule.endPort : port === number;
  });
}

function selecting(cluster: TCluster, pod: TPod, type: "Ingress" | "Egress") {
  return cluster.policies.filter((policy) => {
    const namespace = policy.metadata?.namespace ?? "default";
    if (namespace !== pod.namespace) return false;
    const selector = policy.spec?.podSelector ?? {};
    const empty =
      Object.keys(selector.matchLabels ?? {}).length === 0 &&
      (selector.matchExpressions ?? []).length === 0;
    if (!empty && !matches(selector, pod.labels)) return false;
    const types =
      policy.spec?.policyTypes ?? (policy.spec?.egress ? ["Ingress", "Egress"] : ["Ingress"]);
    return types.includes(type);
  });
}

/** Why a connection is refused, or null when the policies allow it. */
export function refusal(cluster: TCluster, connection: TConnection): string | null {
  const { from, to, port } = connection;
  if ("pod" in from) {
    const policies = selecting(cluster, from.pod, "Egress");
    const allowed =
      policies.length === 0 ||
      policies.some((policy) =>
        (policy.spec?.egress ?? []).some(
          (rule) =>
            (!rule.to ||
              rule.to.length === 0 ||
              rule.to.some((peer) =>
                peerMatches(cluster, policy.metadata?.namespace ?? "default", peer as TPeer, to),
              )) &&
            portMatches(rule.ports as TPortRule[] | undefined, port, to),
        ),
      );
    if (!allowed) return `egress of ${from.pod.name} refuses ${endpointName(to)}:${port}`;
  }
  if ("pod" in to) {
    const policies = selecting(cluster, to.pod, "Ingress");
    const allowed =
      policies.length === 0 ||
      policies.some((policy) =>
        (policy.spec?.ingress ?? []).some(
          (rule) =>
            (!rule.from ||
              rule.from.length === 0 ||
              rule.from.some((peer) =>
                peerMatches(cluster, policy.metadata?.namespace ?? "default", peer as TPeer, from),
              )) &&
            portMatches(rule.ports as TPortRule[] | undefined, port, to),
        ),
      );
    if (!allowed) return `ingress of ${to.pod.name} refuses ${endpointName(from)} on ${port}`;
  }
  return null;
}

export function endpointName(endpoint: TEndpoint): string {
  return "pod" in endpoint ? endpoint.pod.name : endpoint.ip;
}
