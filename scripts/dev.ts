// `npm run dev`: the whole product on embedded defaults. A real PostgreSQL (data kept in
// .data/pg so a second run reuses it), migrations, the demo seed, then the utility
// sandbox, the mail sink, a browser worker, the API and the web app as child processes.
// Ctrl-C stops them all and then the database.
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeDb, createDatabase, createDb, databaseExists, migrateDatabase } from "@meterlink/db";
import { startEmbeddedPostgres, withDatabase } from "@meterlink/db/embedded";
import { DEMO_ADMIN, seedDemo, type TProviderSeed } from "../apps/api/src/seed";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = join(root, ".data");
mkdirSync(dataDir, { recursive: true });

const PORTS = {
  api: 3000,
  // The fleet's internal listener (worker registration, outcomes); never proxied by Vite.
  apiInternal: 3001,
  web: 5173,
  sandbox: 4010,
  mail: 4020,
  worker: 4030,
  pg: 54329,
  // Forwarded MFA code emails (the API's inbound SMTP listener).
  smtp: 2525,
};
/** The dev deployment's SMS number recipients are shown (a reserved-for-fiction 555 number). */
const DEV_SMS_NUMBER = "+15550100100";
const host = "127.0.0.1";
const urls = {
  web: `http://localhost:${PORTS.web}`,
  api: `http://${host}:${PORTS.api}`,
  apiInternal: `http://${host}:${PORTS.apiInternal}`,
  sandbox: `http://${host}:${PORTS.sandbox}`,
  mail: `http://${host}:${PORTS.mail}`,
  worker: `http://${host}:${PORTS.worker}`,
};

type TSecrets = {
  authSecret: string;
  fleetToken: string;
  tokenKey: string;
  vaultPublicJwk: string;
  vaultPrivateJwk: string;
  inboundWebhookSecret: string;
  twilioAuthToken: string;
};

/** Dev secrets are generated once and kept with the data, so sessions and links survive restarts. */
function devSecrets(): TSecrets {
  const file = join(dataDir, "dev-secrets.json");
  const kept = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Partial<TSecrets>)
    : null;
  // Secrets added since the file was written are generated and kept alongside the old ones.
  const added = {
    inboundWebhookSecret: `whsec_${randomBytes(24).toString("base64")}`,
    twilioAuthToken: randomBytes(16).toString("hex"),
  };
  if (kept?.authSecret) {
    const merged = { ...added, ...kept } as TSecrets;
    if (Object.keys(added).some((key) => !(key in kept)))
      writeFileSync(file, JSON.stringify(merged, null, 2), { mode: 0o600 });
    return merged;
  }
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const secrets: TSecrets = {
    ...added,
    authSecret: randomBytes(32).toString("base64url"),
    fleetToken: randomBytes(24).toString("base64url"),
    tokenKey: randomBytes(32).toString("base64url"),
    vaultPublicJwk: JSON.stringify(publicKey.export({ format: "jwk" })),
    vaultPrivateJwk: JSON.stringify(privateKey.export({ format: "jwk" })),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const children: { name: string; process: ChildProcess }[] = [];
let stopping = false;
const require = createRequire(import.meta.url);
const tsxLoader = require.resolve("tsx");

function startChild(name: string, entry: string, env: Record<string, string>, args: string[] = []) {
  const path = join(root, entry);
  if (!existsSync(path)) {
    console.log(`  (${name}: ${entry} not built yet, skipped)`);
    return;
  }
  const isTs = entry.endsWith(".ts");
  const child = spawn(process.execPath, [...(isTs ? ["--import", tsxLoader] : []), path, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n"))
        if (line.trim()) console.log(`${prefix} ${line}`);
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping)
      console.log(
        `${prefix} exited (${signal ?? code}); the rest keeps running. Restart with npm run dev.`,
      );
  });
  children.push({ name, process: child });
}

async function loadSandboxProviders(): Promise<TProviderSeed[]> {
  const catalog = join(root, "apps/utility-sandbox/src/catalog.ts");
  if (!existsSync(catalog)) return [];
  const module = (await import(catalog)) as {
    sandboxProviders?: (baseUrl: string) => TProviderSeed[];
    rulelessSandboxProviders?: (baseUrl: string) => TProviderSeed[];
  };
  // With and without collection rules (the latter collected by generic discovery).
  return [
    ...(module.sandboxProviders?.(urls.sandbox) ?? []),
    ...(module.rulelessSandboxProviders?.(urls.sandbox) ?? []),
  ];
}

async function main() {
  const secrets = devSecrets();
  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres = async () => {};
  if (!databaseUrl) {
    console.log("Starting PostgreSQL (embedded, data in .data/pg)…");
    const server = await startEmbeddedPostgres({
      dataDir: join(dataDir, "pg"),
      port: PORTS.pg,
      ownSignals: true,
    });
    stopPostgres = server.stop;
    if (!(await databaseExists(server.url, "meterlink")))
      await createDatabase(server.url, "meterlink");
    databaseUrl = withDatabase(server.url, "meterlink");
  }
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl, { max: 2 });
  const seeded = await seedDemo(db, { providers: await loadSandboxProviders() });
  await closeDb(db);

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await Promise.all(
      children.map(
        ({ process: child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 8000).unref();
          }),
      ),
    );
    await stopPostgres();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());

  const common = { NODE_ENV: "development", LOG_LEVEL: process.env.LOG_LEVEL ?? "info" };
  startChild("sandbox", "apps/utility-sandbox/src/main.ts", {
    ...common,
    SANDBOX_PORT: String(PORTS.sandbox),
    SANDBOX_HOST: host,
    SANDBOX_CONTROL: "true",
  });
  startChild("mail", "apps/mail-sink/src/main.ts", {
    ...common,
    MAIL_SINK_PORT: String(PORTS.mail),
    // The inbox page's "send an SMS" form posts Twilio-signed webhooks to the API.
    MAIL_SINK_SMS_WEBHOOK_URL: `${urls.api}/hooks/twilio/sms`,
    MAIL_SINK_TWILIO_AUTH_TOKEN: secrets.twilioAuthToken,
    MAIL_SINK_SMS_NUMBER: DEV_SMS_NUMBER,
  });
  startChild("worker", "apps/browser-worker/src/main.ts", {
    ...common,
    PORT: String(PORTS.worker),
    HOST: host,
    WORKER_ID: "dev-worker-1",
    FLEET_TOKEN: secrets.fleetToken,
    VAULT_PUBLIC_KEY: secrets.vaultPublicJwk,
    FLEET_API_URL: urls.apiInternal,
    // The sandbox runs on loopback, which the egress guard refuses unless named here; a
    // team adds its own staging portals with EGRESS_ALLOW_PRIVATE=host:port,… in the shell.
    EGRESS_ALLOW_PRIVATE: [`${host}:${PORTS.sandbox}`, process.env.EGRESS_ALLOW_PRIVATE ?? ""]
      .filter(Boolean)
      .join(","),
  });
  // The API web process can seal credentials but never open them: only the jobs process
  // (bill collection) is given the vault's private key, as in production.
  const apiEnv = {
    ...common,
    DATABASE_URL: databaseUrl,
    HOST: host,
    PORT: String(PORTS.api),
    INTERNAL_HOST: host,
    INTERNAL_PORT: String(PORTS.apiInternal),
    // The one worker this script starts: any other process holding the dev fleet token
    // is refused (docs/scaling.md, "Fleet identity").
    FLEET_WORKERS: `${host}:${PORTS.worker}`,
    PUBLIC_URL: urls.web,
    AUTH_SECRET: secrets.authSecret,
    FLEET_TOKEN: secrets.fleetToken,
    TOKEN_ENCRYPTION_KEY: secrets.tokenKey,
    VAULT_PUBLIC_KEY: secrets.vaultPublicJwk,
    RESEND_BASE_URL: process.env.RESEND_API_KEY ? "" : urls.mail,
    STORAGE_DIR: join(dataDir, "bills"),
    // Several people share one dev stack, often all from 127.0.0.1 (port forwards): the
    // per-address limits are for the internet, not for a team on one machine.
    RECIPIENT_RATE_LIMIT_PER_MINUTE: process.env.RECIPIENT_RATE_LIMIT_PER_MINUTE ?? "5000",
    FLEET_MAX_LIVE_PER_CLIENT: process.env.FLEET_MAX_LIVE_PER_CLIENT ?? "50",
    // Forwarded MFA codes: signed webhooks, Twilio's SMS webhook (the mail sink's form plays
    // Twilio), and the SMTP listener that only the web process starts (below).
    INBOUND_WEBHOOK_SECRET: secrets.inboundWebhookSecret,
    INBOUND_SMS_NUMBER: DEV_SMS_NUMBER,
    TWILIO_AUTH_TOKEN: secrets.twilioAuthToken,
    TWILIO_WEBHOOK_URL: `${urls.api}/hooks/twilio/sms`,
  };
  startChild("api", "apps/api/src/main.ts", {
    ...apiEnv,
    API_RUNS_JOBS: "false",
    INBOUND_SMTP_HOST: host,
    INBOUND_SMTP_PORT: String(PORTS.smtp),
  });
  startChild("jobs", "apps/api/src/jobs/main.ts", {
    ...apiEnv,
    VAULT_PRIVATE_KEY: secrets.vaultPrivateJwk,
  });
  startChild("web", "node_modules/vite/bin/vite.js", { METERLINK_API_URL: urls.api }, [
    "--config",
    join(root, "apps/web/vite.config.ts"),
    "--port",
    String(PORTS.web),
    join(root, "apps/web"),
  ]);

  console.log(`
Meterlink is starting${seeded.created ? " (demo company seeded)" : " (existing data reused)"}:
  Web app          ${urls.web}
  API              ${urls.api}   (health: ${urls.api}/healthz)
  Mail inbox       ${urls.mail}
  Utility sandbox  ${urls.sandbox}
  Browser worker   ${urls.worker}
  Inbound SMTP     smtp://${host}:${PORTS.smtp}   (forwarded MFA code emails to c-…@inbound.meterlink.test)
  Inbound SMS      ${DEV_SMS_NUMBER}   (send one from the mail inbox's "Send an SMS" form)
  Database         ${databaseUrl.replace(/:[^:@/]+@/, ":***@")}

  Demo login       ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}

Press Ctrl-C to stop everything.
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
