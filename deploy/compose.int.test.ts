// deploy/compose.yaml, run. What `docker compose up` would start on one host (API, jobs,
// two workers; PostgreSQL is the test database, Caddy is checked from its Caddyfile), each
// with exactly the environment Compose builds for it (env_file, environment, ${…} from
// the project's .env filled as compose/env.example tells an operator), rewritten only
// for loopback: a service's DNS name and container port become the loopback port its
// process listens on, container paths of its volumes a scratch directory. Then, in
// docs/scaling.md's order: API (migrations), jobs, workers registering, one live sign-in
// through the public port, the first collection on a worker. Every connection a process
// opened must be one Docker's networks allow, and the forbidden ones must be refused.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { worker } from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertProviders } from "../apps/api/src/seed";
import { eventually } from "../apps/api/test/processes";
import { operatorSecrets } from "./cluster";
import {
  COMPOSE_DIR,
  COMPOSE_FILE,
  caddyUpstreams,
  composeReferenceErrors,
  composeRefusal,
  composeSchemaErrors,
  loadCompose,
  parseEnvFile,
  readComposeYaml,
  serviceEnv,
  type TComposePeer,
  type TLoadedCompose,
  writableMounts,
} from "./compose";
import {
  createRun,
  dockerfileOf,
  entryOf,
  signInAndCollect,
  type TRun,
  unmountedWrites,
} from "./run";
import { imageHome } from "./testkit";

/** The services the test runs as processes (postgres is the test database). */
const PROCESSES = ["api", "jobs", "worker-1", "worker-2"] as const;

let loaded: TLoadedCompose;
let database: TTestDatabase;
let sandbox: TSandbox;
let run: TRun;
/** service -> container port -> loopback port. */
const listens = new Map<string, Map<number, number>>();
const envs = new Map<string, Record<string, string>>();

/** The project's .env as an operator fills compose/env.example (every REPLACE_ME). */
function operatorDotEnv(databaseUrl: string): Record<string, string> {
  const example = parseEnvFile(
    readFileSync(join(COMPOSE_DIR, "env.example"), "utf8"),
    "env.example",
  );
  const url = new URL(databaseUrl);
  const secrets = operatorSecrets(databaseUrl);
  const filled: Record<string, string> = {
    ...secrets,
    METERLINK_HOST: "meterlink.example.com",
    EMAIL_FROM: "Meterlink <invitations@meterlink.example.com>",
    // The postgres image's own variables; the test database stands for that container.
    POSTGRES_USER: decodeURIComponent(url.username),
    POSTGRES_PASSWORD: decodeURIComponent(url.password),
    POSTGRES_DB: url.pathname.slice(1),
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(example)) {
    const real = /REPLACE_?ME/.test(value) ? filled[key] : value;
    if (real === undefined) throw new Error(`env.example: nobody can fill ${key}`);
    env[key] = real;
  }
  for (const key of ["POSTGRES_USER", "POSTGRES_DB"]) env[key] ??= filled[key] ?? "";
  return env;
}

/**
 * A service's environment rewritten for loopback: `<service>:<port>` to where that
 * service's process listens (postgres: the test database), listening ports and 0.0.0.0 to
 * loopback, paths under the service's writable mounts to a scratch directory.
 */
function loopbackEnv(name: string, env: Record<string, string>, databaseUrl: string) {
  const services = Object.keys(loaded.project.services).join("|");
  const db = new URL(databaseUrl);
  const mounts = writableMounts(loaded.project.services[name] ?? {});
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    let next = value.replace(
      new RegExp(`(?<![\\w.-])(${services}):(\\d+)\\b`, "g"),
      (all, service: string, port: string) => {
        if (service === "postgres" && port === "5432") return db.host;
        const loopback = listens.get(service)?.get(Number(port));
        if (!loopback) throw new Error(`${name}: ${key} names ${all}, where nothing listens`);
        return `127.0.0.1:${loopback}`;
      },
    );
    const own = listens.get(name);
    if (/(^|_)PORT$/.test(key) && own?.has(Number(next))) next = String(own.get(Number(next)));
    if (/(^|_)HOST$/.test(key) && next === "0.0.0.0") next = "127.0.0.1";
    for (const mount of mounts)
      if (next === mount || next.startsWith(`${mount}/`)) next = run.hostPath(name, next);
    out[key] = next;
  }
  return out;
}

beforeAll(async () => {
  run = createRun("meterlink-compose-");
  [database, sandbox] = await Promise.all([
    createTestDatabase(),
    startSandbox({ port: 0, control: true }),
  ]);
  await upsertProviders(database.db, sandboxProviders(sandbox.url));
  loaded = loadCompose(operatorDotEnv(database.url));
  // Each process listens on the ports its environment names (PORT, INTERNAL_PORT).
  for (const name of PROCESSES) {
    const env = serviceEnv(loaded, name);
    const ports = new Map<number, number>();
    for (const [key, value] of Object.entries(env))
      if (/(^|_)PORT$/.test(key)) ports.set(Number(value), await freePort());
    listens.set(name, ports);
  }
  for (const name of PROCESSES) {
    const env = loopbackEnv(name, serviceEnv(loaded, name), database.url);
    // As for the cluster: the portals are on the internet in production, on loopback here.
    if (name.startsWith("worker-")) env.EGRESS_ALLOW_PRIVATE = new URL(sandbox.url).host;
    envs.set(name, env);
  }
  const start = (name: string) => {
    const service = loaded.project.services[name];
    const command =
      typeof service?.command === "string" ? service.command.split(" ") : service?.command;
    run.start(name, entryOf(service?.image ?? "", command), envs.get(name) ?? {});
  };
  // docs/scaling.md order (compose's depends_on): API (migrations), jobs, workers.
  start("api");
  await run.waitReady("api", `${publicUrl()}/readyz`);
  start("jobs");
  start("worker-1");
  start("worker-2");
  await Promise.all(
    ["worker-1", "worker-2"].map((name) =>
      run.waitReady(name, `http://127.0.0.1:${listens.get(name)?.get(4030)}/readyz`),
    ),
  );
}, 120_000);

afterAll(async () => {
  await run?.stop();
  await Promise.all([database?.close(), sandbox?.close()]);
});

const publicUrl = () => `http://127.0.0.1:${listens.get("api")?.get(3000)}`;

describe("deploy/compose.yaml", () => {
  it("passes the Compose Specification schema, which refuses a broken file", () => {
    const raw = readComposeYaml();
    expect(composeSchemaErrors(raw)).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    // The schema really checks: a misspelt key and a wrong type are refused.
    const broken = structuredClone(raw) as { services: Record<string, Record<string, unknown>> };
    const api = broken.services.api ?? {};
    api.enviroment = {};
    api.expose = "3000";
    const errors = composeSchemaErrors(broken).join("\n");
    expect(errors).toMatch(/additionalProperty":"enviroment"/);
    expect(errors).toMatch(/\/services\/api\/expose must be array/);
  });

  it("names only networks, volumes, services and files that exist", () => {
    expect(composeReferenceErrors(loaded)).toEqual([]);
    // The check really looks: a typo in each kind of reference is named.
    const broken = structuredClone(loaded);
    const jobs = broken.project.services.jobs ?? {};
    jobs.networks = ["data", "fleeet"];
    jobs.volumes = ["bils:/var/lib/meterlink/bills"];
    jobs.env_file = ["compose/apii.env"];
    jobs.depends_on = { apii: { condition: "service_healthy" } };
    expect(composeReferenceErrors(broken)).toEqual([
      "jobs: network fleeet is not declared",
      "jobs: volume bils is not declared",
      "jobs: depends on unknown apii",
      "jobs: env_file compose/apii.env does not exist",
    ]);
  });

  it("names each missing secret when the .env lacks it", () => {
    const env = operatorDotEnv(database.url);
    delete env.AUTH_SECRET;
    expect(() => loadCompose(env)).toThrow(/AUTH_SECRET: set AUTH_SECRET in deploy\/.env/);
  });

  it("builds the database URL the postgres service is created with", () => {
    const api = envs.get("api") ?? {};
    const jobs = envs.get("jobs") ?? {};
    const url = (value: string | undefined) => {
      const parsed = new URL(value ?? "");
      return `${parsed.username}:${parsed.password}@${parsed.host}${parsed.pathname}`;
    };
    expect(url(api.DATABASE_URL)).toBe(url(database.url));
    expect(jobs.DATABASE_URL).toBe(api.DATABASE_URL);
    // Only jobs holds the vault's private key; workers hold no database URL.
    expect(api.VAULT_PRIVATE_KEY).toBeUndefined();
    expect(jobs.VAULT_PRIVATE_KEY).toBeDefined();
    for (const name of ["worker-1", "worker-2"]) {
      expect(envs.get(name)?.DATABASE_URL).toBeUndefined();
      expect(envs.get(name)?.VAULT_PRIVATE_KEY).toBeUndefined();
    }
  });

  it("workers register through the internal listener at the address the API lists", async () => {
    await eventually(async () => {
      const rows = await database.db.select().from(worker);
      expect(rows.map((row) => row.id).sort()).toEqual(["worker-1", "worker-2"]);
      for (const name of ["worker-1", "worker-2"])
        expect(rows.find((row) => row.id === name)?.url).toBe(
          `http://127.0.0.1:${listens.get(name)?.get(4030)}`,
        );
    });
  });

  it("Caddy proxies only the API's public port, which has no /internal", async () => {
    const upstreams = caddyUpstreams();
    expect(upstreams).toEqual(["api:3000"]);
    const api = serviceEnv(loaded, "api");
    expect(api.PORT).toBe("3000");
    expect(api.INTERNAL_PORT).not.toBe("3000");
    // Caddy is the only service the host's ports reach.
    const published = Object.entries(loaded.project.services)
      .filter(([, service]) => service.ports?.length)
      .map(([name]) => name);
    expect(published).toEqual(["proxy"]);
    const probe = await fetch(`${publicUrl()}/internal/fleet/heartbeat`, {
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
      api: publicUrl(),
      sandboxUrl: sandbox.url,
    });
  }, 120_000);

  it("writes only to its volumes and tmpfs (the containers' root filesystems are read-only)", () => {
    const service = (name: string) => loaded.project.services[name] ?? {};
    for (const name of PROCESSES) expect(service(name).read_only, name).toBe(true);
    const problems = unmountedWrites(
      run,
      (name) => writableMounts(service(name)),
      (name) => imageHome(dockerfileOf(service(name).image ?? "")),
    );
    expect(problems).toEqual([]);
    const writers = new Set(run.writes(() => "/home").map((write) => write.from));
    expect([...writers]).toEqual(expect.arrayContaining(["jobs", "worker-1"]));
  });

  it("keeps Chromium's sandbox on in the workers, with the repository's seccomp profile", () => {
    for (const name of ["worker-1", "worker-2"]) {
      const service = loaded.project.services[name] ?? {};
      const seccomp = (service.security_opt ?? [])
        .filter((option) => option.startsWith("seccomp="))
        .map((option) => option.slice("seccomp=".length));
      expect(seccomp, name).toEqual(["./docker/chromium-seccomp.json"]);
      expect(existsSync(join(dirname(COMPOSE_FILE), seccomp[0] ?? "")), name).toBe(true);
      expect(service.privileged, name).toBeUndefined();
      expect(JSON.stringify(service), name).not.toMatch(/no-sandbox|SYS_ADMIN|unconfined/);
    }
  });

  it("every connection the run opened is one Docker's networks allow", () => {
    const owner = new Map<number, TComposePeer>();
    for (const [name, ports] of listens)
      for (const loopback of ports.values()) owner.set(loopback, { service: name });
    owner.set(Number(new URL(database.url).port), { service: "postgres" });
    owner.set(Number(new URL(sandbox.url).port), "internet");
    const seen = new Map<string, [string, TComposePeer]>();
    const unknown: string[] = [];
    for (const { from, host, port } of run.connections()) {
      const to = owner.get(port);
      if (!/^(127\.|localhost|::1)/.test(host) || !to) {
        unknown.push(`${from} -> ${host}:${port}`);
        continue;
      }
      // Inside one container (a worker's own egress proxy) no network is crossed.
      if (to !== "internet" && to.service === from) continue;
      seen.set(`${from} -> ${to === "internet" ? "internet" : to.service}`, [from, to]);
    }
    expect(unknown).toEqual([]);
    // The recipient's requests come through Caddy.
    seen.set("proxy -> api", ["proxy", { service: "api" }]);
    const edges = [...seen.keys()].map((edge) => edge.replace(/worker-\d/g, "worker"));
    for (const needed of [
      "api -> postgres",
      "jobs -> postgres",
      "worker -> api",
      "api -> worker",
      "jobs -> worker",
      "worker -> internet",
    ])
      expect(edges).toContain(needed);
    const refused = [...seen.entries()]
      .map(([edge, [from, to]]) => [edge, composeRefusal(loaded.project, from, to)])
      .filter(([, reason]) => reason !== null);
    expect(refused).toEqual([]);
  });

  it("refuses what must never happen", () => {
    const forbidden: [string, string, TComposePeer][] = [
      ["worker -> Postgres", "worker-1", { service: "postgres" }],
      ["Caddy -> Postgres", "proxy", { service: "postgres" }],
      ["Caddy -> worker", "proxy", { service: "worker-1" }],
      ["Caddy -> jobs", "proxy", { service: "jobs" }],
      ["Postgres -> internet", "postgres", "internet"],
    ];
    for (const [name, from, to] of forbidden)
      expect(composeRefusal(loaded.project, from, to), name).not.toBeNull();
  });
});
