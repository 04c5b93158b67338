// Loads the deployment files the way the tests need them: every YAML document under
// deploy/k8s with its file, each validated against the Kubernetes (or KEDA) schema of
// its apiVersion/kind before any test reads a field, so the typed views below describe
// objects a cluster would accept.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { parseAllDocuments } from "yaml";
import { z } from "zod";

export const DEPLOY_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(DEPLOY_DIR, "..");
export const K8S_DIR = join(DEPLOY_DIR, "k8s");
export const DOCKER_DIR = join(DEPLOY_DIR, "docker");

/** Schema-checked model classes by `apiVersion/kind`; a kind missing here fails the suite. */
export const MODELS = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
} as const;
type TModels = typeof MODELS;
export type TKindKey = keyof TModels;

export type TRawDoc = { file: string; index: number; body: Record<string, unknown> };

/** Every YAML file under dir, recursively, as paths relative to dir. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

/** Every non-empty YAML document of every file under deploy/k8s. YAML errors throw. */
export function loadRawDocs(dir = K8S_DIR): TRawDoc[] {
  const docs: TRawDoc[] = [];
  for (const file of yamlFiles(dir)) {
    const parsed = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
    if (!Array.isArray(parsed)) throw new Error(`${file}: not a YAML stream`);
    parsed.forEach((document, index) => {
      if (document.errors.length > 0)
        throw new Error(`${file}#${index}: ${document.errors.map((e) => e.message).join("; ")}`);
      const body: unknown = document.toJS();
      if (body === null || body === undefined) return;
      if (typeof body !== "object" || Array.isArray(body))
        throw new Error(`${file}#${index}: a manifest must be a mapping`);
      docs.push({ file, index, body: body as Record<string, unknown> });
    });
  }
  return docs;
}

export function kindKey(body: Record<string, unknown>): string {
  return `${String(body.apiVersion)}/${String(body.kind)}`;
}

export function isKnownKind(key: string): key is TKindKey {
  return Object.hasOwn(MODELS, key);
}

/** Builds the model for a document and validates it; throws with the schema's errors. */
export function validateDoc(doc: TRawDoc): InstanceType<TModels[TKindKey]> {
  const key = kindKey(doc.body);
  if (!isKnownKind(key)) throw new Error(`${doc.file}#${doc.index}: no schema for ${key}`);
  // The constructor only copies fields; validate() checks them against the schema.
  const Model = MODELS[key] as unknown as new (data: unknown) => InstanceType<TModels[TKindKey]>;
  const model = new Model(doc.body);
  model.validate();
  return model;
}

export type TManifests = {
  docs: TRawDoc[];
  of<K extends TKindKey>(key: K): { file: string; model: InstanceType<TModels[K]> }[];
  one<K extends TKindKey>(key: K, name: string): InstanceType<TModels[K]>;
};

/** All documents under deploy/k8s, validated, with typed look-ups by kind and name. */
export function loadManifests(dir = K8S_DIR): TManifests {
  const docs = loadRawDocs(dir).filter((doc) => kindKey(doc.body) !== KUSTOMIZATION_KEY);
  const models = docs.map((doc) => ({
    file: doc.file,
    key: kindKey(doc.body),
    model: validateDoc(doc),
  }));
  const of = <K extends TKindKey>(key: K) =>
    models
      .filter((entry) => entry.key === key)
      .map((entry) => ({ file: entry.file, model: entry.model as InstanceType<TModels[K]> }));
  return {
    docs,
    of,
    one(key, name) {
      const found = of(key).filter((entry) => entry.model.metadata?.name === name);
      if (found.length !== 1)
        throw new Error(`expected one ${key} named ${name}, found ${found.length}`);
      const [entry] = found;
      if (!entry) throw new Error(`no ${key} named ${name}`);
      return entry.model;
    },
  };
}

const KUSTOMIZATION_KEY = "kustomize.config.k8s.io/v1beta1/Kustomization";

export const ZKustomization = z.object({
  apiVersion: z.literal("kustomize.config.k8s.io/v1beta1"),
  kind: z.literal("Kustomization"),
  namespace: z.string().optional(),
  resources: z.array(z.string()),
  images: z
    .array(
      z.object({
        name: z.string(),
        newName: z.string().optional(),
        newTag: z.string().optional(),
        digest: z.string().optional(),
      }),
    )
    .default([]),
});
export type TKustomization = z.infer<typeof ZKustomization>;

export function loadKustomization(dir = K8S_DIR): TKustomization {
  const docs = loadRawDocs(dir).filter((doc) => kindKey(doc.body) === KUSTOMIZATION_KEY);
  const [only, ...rest] = docs;
  if (!only || rest.length > 0) throw new Error("expected exactly one Kustomization");
  if (only.file !== "kustomization.yaml") throw new Error(`Kustomization in ${only.file}`);
  return ZKustomization.parse(only.body);
}

/** Kubernetes quantities (cpu "250m"/"1", memory "640Mi"/"1Gi") as plain numbers. */
export function quantity(value: string | number | undefined): number {
  if (value === undefined) return Number.NaN;
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value);
  if (!match) return Number.NaN;
  const units: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (match[2] ? (units[match[2]] ?? Number.NaN) : 1);
}

export const MiB = 2 ** 20;

/** Where a pod runs, for the downward API (`fieldRef`). */
export type TPodFacts = { name: string; namespace: string; ip: string };

/**
 * The environment Kubernetes gives a container: `envFrom` sources in order (later ones
 * win, `prefix` applied), then `env` in order, each `value` expanding `$(VAR)` from what
 * is defined so far (`$$` escapes), `valueFrom` reading ConfigMaps, Secrets (stringData
 * or base64 data) and the downward API. A missing key fails, as it fails the pod.
 */
export function containerEnv(
  manifests: TManifests,
  container: {
    envFrom?: {
      prefix?: string;
      configMapRef?: { name?: string };
      secretRef?: { name?: string };
    }[];
    env?: {
      name: string;
      value?: string;
      valueFrom?: {
        secretKeyRef?: { name?: string; key: string };
        configMapKeyRef?: { name?: string; key: string };
        fieldRef?: { fieldPath: string };
      };
    }[];
  },
  pod: TPodFacts,
): Record<string, string> {
  const secretData = (name: string): Record<string, string> => {
    const secret = manifests.one("v1/Secret", name);
    const decoded = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
    );
    return { ...decoded, ...(secret.stringData ?? {}) };
  };
  const configData = (name: string) => manifests.one("v1/ConfigMap", name).data ?? {};
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef
      ? configData(source.configMapRef.name ?? "")
      : source.secretRef
        ? secretData(source.secretRef.name ?? "")
        : {};
    for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ""}${key}`] = value;
  }
  const fields: Record<string, string> = {
    "metadata.name": pod.name,
    "metadata.namespace": pod.namespace,
    "status.podIP": pod.ip,
  };
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const lookup = (data: Record<string, string>, key: string, where: string) => {
      const value = data[key];
      if (value === undefined) throw new Error(`${variable.name}: no key ${key} in ${where}`);
      return value;
    };
    if (variable.value !== undefined)
      env[variable.name] = variable.value.replace(
        /\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
        (all, name) => (all === "$$" ? "$" : (env[name] ?? all)),
      );
    else if (from?.secretKeyRef)
      env[variable.name] = lookup(
        secretData(from.secretKeyRef.name ?? ""),
        from.secretKeyRef.key,
        `Secret ${from.secretKeyRef.name}`,
      );
    else if (from?.configMapKeyRef)
      env[variable.name] = lookup(
        configData(from.configMapKeyRef.name ?? ""),
        from.configMapKeyRef.key,
        `ConfigMap ${from.configMapKeyRef.name}`,
      );
    else if (from?.fieldRef)
      env[variable.name] = lookup(fields, from.fieldRef.fieldPath, "the downward API");
  }
  return env;
}

export type TStage = { image: string; name: string | null; instructions: Instruction[] };

/** A Dockerfile of deploy/docker split into its stages, each with the instructions after its FROM. */
export function dockerfileStages(file: string): TStage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(join(DOCKER_DIR, file), "utf8"));
  const out: TStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const [image = "", , name = null] = instruction.getArguments().map((arg) => arg.getValue());
      out.push({ image, name, instructions: [] });
    } else out.at(-1)?.instructions.push(instruction);
  }
  return out;
}

/** The JSON-form CMD (or ENTRYPOINT) of a Dockerfile's final stage; [] when it has none. */
export function imageCommand(file: string, word: "CMD" | "ENTRYPOINT" = "CMD"): string[] {
  const last = dockerfileStages(file).at(-1);
  const instruction = last?.instructions.filter((i) => i.getKeyword() === word).at(-1);
  if (!instruction) return [];
  return z.array(z.string()).parse(JSON.parse(instruction.getArgumentsContent() ?? "[]"));
}

/** HOME in a container of the image: the final stage's ENV HOME, else its user's home. */
export function imageHome(file: string): string {
  const last = dockerfileStages(file).at(-1);
  for (const instruction of [...(last?.instructions ?? [])].reverse()) {
    const text = instruction.getArgumentsContent() ?? "";
    const env = instruction.getKeyword() === "ENV" ? /\bHOME=(\S+)/.exec(text) : null;
    if (env?.[1]) return env[1];
    const user = instruction.getKeyword() === "RUN" ? /--home-dir\s+(\S+)/.exec(text) : null;
    if (user?.[1]) return user[1];
  }
  return "/root";
}
