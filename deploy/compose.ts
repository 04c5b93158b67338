// deploy/compose.yaml as Docker Compose reads it, without Docker: the YAML (anchors and
// merge keys resolved), `${…}` interpolated from the project's .env as the Compose
// Specification's interpolation chapter defines it, validated against the Compose
// Specification's own JSON schema (deploy/compose/compose-spec.json, vendored from
// compose-spec/compose-spec at 170098b), and each service's environment built as Compose
// builds it: `env_file` entries in order, then `environment` on top.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { z } from "zod";
import { DEPLOY_DIR } from "./testkit";

export const COMPOSE_FILE = join(DEPLOY_DIR, "compose.yaml");
export const COMPOSE_DIR = join(DEPLOY_DIR, "compose");

/**
 * Compose interpolation of one value: `$$` is a literal `$`; `$VAR` and `${VAR}`;
 * `${VAR:-default}` (unset or empty) and `${VAR-default}` (unset); `${VAR:?error}` and
 * `${VAR?error}` fail with the message; `${VAR:+alt}` and `${VAR+alt}`. Defaults and
 * messages are interpolated too (nesting). An unset variable without a default is empty,
 * as Compose makes it (with a warning, here collected in `warnings`).
 */
export function interpolate(
  value: string,
  vars: Record<string, string | undefined>,
  warnings: string[] = [],
): string {
  let out = "";
  let i = 0;
  while (i < value.length) {
    const char = value[i];
    if (char !== "$") {
      out += char;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next === "{") {
      // The matching brace, counting nested ${…} in defaults.
      let depth = 1;
      let j = i + 2;
      while (j < value.length && depth > 0) {
        if (value[j] === "{") depth++;
        else if (value[j] === "}") depth--;
        if (depth > 0) j++;
      }
      if (depth > 0) throw new Error(`unclosed \${ in "${value}"`);
      const body = value.slice(i + 2, j);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(body);
      if (!match?.[1]) throw new Error(`invalid interpolation \${${body}} in "${value}"`);
      const [, name, colon, operator, rest = ""] = match;
      const current = vars[name];
      const unset = current === undefined || (colon === ":" && current === "");
      if (operator === "-") out += unset ? interpolate(rest, vars, warnings) : current;
      else if (operator === "?") {
        if (unset) throw new Error(`${name}: ${interpolate(rest, vars, warnings) || "required"}`);
        out += current;
      } else if (operator === "+") out += unset ? "" : interpolate(rest, vars, warnings);
      else {
        if (current === undefined) warnings.push(`${name} is not set: using an empty string`);
        out += current ?? "";
      }
      i = j + 1;
      continue;
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1));
    if (bare) {
      const name = bare[0];
      if (vars[name] === undefined) warnings.push(`${name} is not set: using an empty string`);
      out += vars[name] ?? "";
      i += 1 + name.length;
      continue;
    }
    // Not a variable: Compose keeps the `$`.
    out += "$";
    i++;
  }
  return out;
}

/** Interpolates every string value of a parsed document (never keys, as Compose does). */
function interpolateTree(node: unknown, vars: Record<string, string>, warnings: string[]): unknown {
  if (typeof node === "string") return interpolate(node, vars, warnings);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, vars, warnings));
  if (node && typeof node === "object")
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateTree(value, vars, warnings)]),
    );
  return node;
}

/**
 * An env file in the subset our files use: `KEY=value` lines, blank lines and `#`
 * comments. Anything else (quotes, `$`, `export`) fails, so a file never means one thing
 * here and another to Compose.
 */
export function parseEnvFile(text: string, where: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split("\n").forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'$]*)$/.exec(trimmed);
    if (!match?.[1])
      throw new Error(`${where}:${index + 1}: write KEY=value (no quotes, no $): ${trimmed}`);
    env[match[1]] = match[2] ?? "";
  });
  return env;
}

const ZEnvironment = z
  .union([
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    z.array(z.string()),
  ])
  .optional();
const ZEnvFile = z
  .union([
    z.string(),
    z.array(
      z.union([
        z.string(),
        z.object({ path: z.string(), required: z.boolean().default(true) }).loose(),
      ]),
    ),
  ])
  .optional();
const ZService = z
  .object({
    image: z.string().optional(),
    build: z
      .union([
        z.string(),
        z.object({ context: z.string(), dockerfile: z.string().optional() }).loose(),
      ])
      .optional(),
    command: z.union([z.string(), z.array(z.string())]).optional(),
    environment: ZEnvironment,
    env_file: ZEnvFile,
    expose: z.array(z.union([z.string(), z.number()])).optional(),
    ports: z.array(z.unknown()).optional(),
    networks: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
    volumes: z.array(z.union([z.string(), z.object({ target: z.string() }).loose()])).optional(),
    tmpfs: z.union([z.string(), z.array(z.string())]).optional(),
    read_only: z.boolean().optional(),
    security_opt: z.array(z.string()).optional(),
    depends_on: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
  })
  .loose();
export const ZComposeProject = z
  .object({
    name: z.string().optional(),
    services: z.record(z.string(), ZService),
    networks: z
      .record(z.string(), z.object({ internal: z.boolean().optional() }).loose().nullable())
      .optional(),
    volumes: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type TComposeProject = z.infer<typeof ZComposeProject>;
export type TComposeService = z.infer<typeof ZService>;

/** The Compose Specification schema, compiled once (draft-07; formats are annotations). */
let validator: ReturnType<Ajv["compile"]> | undefined;
export function composeSchemaErrors(document: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(COMPOSE_DIR, "compose-spec.json"), "utf8"));
    // The spec's `$schema` names draft-07, which Ajv implements; it is not fetched.
    delete schema.$schema;
    validator = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  }
  if (validator(document)) return [];
  return (validator.errors ?? []).map(
    (error) =>
      `${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`,
  );
}

/** The raw YAML of a compose file: anchors and `<<` merge keys resolved, nothing else. */
export function readComposeYaml(file = COMPOSE_FILE): Record<string, unknown> {
  const document: unknown = parse(readFileSync(file, "utf8"), { merge: true });
  if (!document || typeof document !== "object") throw new Error(`${file}: not a mapping`);
  return document as Record<string, unknown>;
}

export type TLoadedCompose = {
  file: string;
  project: TComposeProject;
  /** Interpolation warnings (variables used without a value or default). */
  warnings: string[];
};

/**
 * The project as `docker compose config` sees it: interpolated with `vars` (the .env of
 * the project directory), schema-checked (throws with every schema error).
 */
export function loadCompose(vars: Record<string, string>, file = COMPOSE_FILE): TLoadedCompose {
  const warnings: string[] = [];
  const document = interpolateTree(readComposeYaml(file), vars, warnings);
  const errors = composeSchemaErrors(document);
  if (errors.length) throw new Error(`${file} fails the Compose schema:\n${errors.join("\n")}`);
  return { file, project: ZComposeProject.parse(document), warnings };
}

/** One service's container environment: its env_file entries in order, then `environment`. */
export function serviceEnv(loaded: TLoadedCompose, name: string): Record<string, string> {
  const service = loaded.project.services[name];
  if (!service) throw new Error(`no service ${name}`);
  const base = dirname(loaded.file);
  const env: Record<string, string> = {};
  const files =
    service.env_file === undefined
      ? []
      : typeof service.env_file === "string"
        ? [service.env_file]
        : service.env_file;
  for (const entry of files) {
    const path = typeof entry === "string" ? entry : entry.path;
    const required = typeof entry === "string" ? true : entry.required;
    let text: string;
    try {
      text = readFileSync(join(base, path), "utf8");
    } catch (error) {
      if (!required) continue;
      throw new Error(`${name}: env_file ${path} is missing`, { cause: error });
    }
    Object.assign(env, parseEnvFile(text, path));
  }
  const environment = service.environment ?? {};
  const pairs: [string, string | null][] = Array.isArray(environment)
    ? environment.map((item) => {
        const at = item.indexOf("=");
        return at < 0 ? [item, null] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(environment).map(([key, value]) => [
        key,
        value === null ? null : String(value),
      ]);
  for (const [key, value] of pairs) {
    // `KEY` alone takes the value from the shell running compose: nothing here.
    if (value === null)
      throw new Error(`${name}: ${key} has no value (it would come from the shell)`);
    env[key] = value;
  }
  return env;
}

/** The networks a service is attached to (`default` when it names none). */
export function serviceNetworks(service: TComposeService): string[] {
  if (!service.networks) return ["default"];
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks);
}

/** Container paths a service can write to: its volumes' targets and its tmpfs mounts. */
export function writableMounts(service: TComposeService): string[] {
  const volumes = (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume !== "string") return [volume.target];
    const [, target, mode] = volume.split(":");
    return target && mode !== "ro" ? [target] : [];
  });
  const tmpfs = service.tmpfs === undefined ? [] : [service.tmpfs].flat();
  return [...volumes, ...tmpfs.map((entry) => entry.split(":")[0] ?? entry)];
}

/** A service of the project, or the internet (any address outside the host's networks). */
export type TComposePeer = { service: string } | "internet";

/**
 * Why Docker's networking refuses `from` → `to`, or null when it allows it: two
 * containers reach each other only over a network both are attached to; a container
 * reaches the internet only through a network that is not `internal`.
 */
export function composeRefusal(
  project: TComposeProject,
  from: string,
  to: TComposePeer,
): string | null {
  const service = (name: string) => {
    const found = project.services[name];
    if (!found) throw new Error(`no service ${name}`);
    return found;
  };
  const mine = serviceNetworks(service(from));
  if (to === "internet") {
    const open = mine.filter((network) => !project.networks?.[network]?.internal);
    return open.length ? null : `${from} is only on internal networks (${mine.join(", ")})`;
  }
  const theirs = new Set(serviceNetworks(service(to.service)));
  return mine.some((network) => theirs.has(network))
    ? null
    : `${from} (${mine.join(", ")}) shares no network with ${to.service} (${[...theirs].join(", ")})`;
}

/** The upstreams of the Caddyfile's `reverse_proxy` directives (host:port). */
export function caddyUpstreams(file = join(COMPOSE_DIR, "Caddyfile")): string[] {
  return [...readFileSync(file, "utf8").matchAll(/^\s*reverse_proxy\s+(.+)$/gm)].flatMap((match) =>
    (match[1] ?? "").trim().split(/\s+/),
  );
}

/**
 * What the schema cannot see and `docker compose up` refuses: a network, named volume or
 * depends_on target that is not declared, and a file (env_file, bind mount, seccomp
 * profile, build context and Dockerfile) that does not exist. Paths are relative to the
 * compose file's directory, as Compose resolves them.
 */
export function composeReferenceErrors(loaded: TLoadedCompose): string[] {
  const { project } = loaded;
  const base = dirname(loaded.file);
  const errors: string[] = [];
  const networks = new Set(["default", ...Object.keys(project.networks ?? {})]);
  const volumes = new Set(Object.keys(project.volumes ?? {}));
  const services = new Set(Object.keys(project.services));
  const exists = (path: string, what: string, name: string) => {
    if (!existsSync(resolve(base, path))) errors.push(`${name}: ${what} ${path} does not exist`);
  };
  for (const [name, service] of Object.entries(project.services)) {
    for (const network of serviceNetworks(service))
      if (!networks.has(network)) errors.push(`${name}: network ${network} is not declared`);
    for (const volume of service.volumes ?? []) {
      if (typeof volume !== "string") continue;
      const [source = ""] = volume.split(":");
      if (/^[./~]/.test(source)) exists(source, "bind mount", name);
      else if (!volumes.has(source)) errors.push(`${name}: volume ${source} is not declared`);
    }
    const dependsOn = service.depends_on;
    const targets = Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn ?? {});
    for (const target of targets)
      if (!services.has(String(target))) errors.push(`${name}: depends on unknown ${target}`);
    const envFiles = service.env_file === undefined ? [] : [service.env_file].flat();
    for (const entry of envFiles)
      if (typeof entry === "string" || entry.required)
        exists(typeof entry === "string" ? entry : entry.path, "env_file", name);
    for (const option of service.security_opt ?? []) {
      const profile = /^seccomp[=:](.+)$/.exec(option)?.[1];
      if (profile && profile !== "unconfined") exists(profile, "seccomp profile", name);
    }
    if (typeof service.build === "object") {
      exists(service.build.context, "build context", name);
      if (service.build.dockerfile)
        exists(join(service.build.context, service.build.dockerfile), "Dockerfile", name);
    }
  }
  return errors;
}
