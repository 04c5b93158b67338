// Runnable worker: `tsx apps/browser-worker/src/main.ts`. SIGTERM drains (out of routing
// at once, running sessions may finish within DRAIN_GRACE_MS) and exits 0.
import { hostname } from "node:os";
import pino from "pino";
import { loadEnv } from "./env";
import { startWorker } from "./server";

const env = loadEnv();
const logger = pino({
  name: "browser-worker",
  level: env.LOG_LEVEL,
  redact: { paths: ["req.headers.authorization", "*.password", "*.token"], censor: "[redacted]" },
});

const worker = await startWorker({
  fleetToken: env.FLEET_TOKEN,
  vaultPublicKey: env.VAULT_PUBLIC_KEY,
  port: env.PORT,
  host: env.HOST,
  capacity: env.WORKER_CAPACITY,
  headlessCapacity: env.WORKER_HEADLESS_CAPACITY,
  idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_MS,
  maxSessionMs: env.SESSION_MAX_MS,
  reconnectGraceMs: env.SESSION_RECONNECT_GRACE_MS,
  attachTimeoutMs: env.SESSION_ATTACH_TIMEOUT_MS,
  drainGraceMs: env.DRAIN_GRACE_MS,
  executablePath: env.PUPPETEER_EXECUTABLE_PATH,
  ...(env.WORKER_BROWSERS ? { browsers: env.WORKER_BROWSERS } : {}),
  egress: env.EGRESS_PROXY === "off" ? "off" : { allowPrivate: env.EGRESS_ALLOW_PRIVATE },
  ...(env.FLEET_API_URL
    ? {
        fleet: {
          apiUrl: env.FLEET_API_URL,
          workerId: env.WORKER_ID ?? `${hostname()}-${env.PORT}`,
          ...(env.ADVERTISE_URL ? { advertiseUrl: env.ADVERTISE_URL } : {}),
          version: env.WORKER_VERSION,
          heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
        },
      }
    : {}),
  logger,
});
logger.info({ url: worker.url, fleet: Boolean(env.FLEET_API_URL) }, "browser worker ready");

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "draining");
  worker.drain(env.DRAIN_GRACE_MS).then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "drain failed");
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
