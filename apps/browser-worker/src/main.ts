// Runnable worker: `tsx apps/browser-worker/src/main.ts`. SIGTERM drains (no new
// sessions, running ones may finish within DRAIN_GRACE_MS) and exits 0.
import { hostname } from "node:os";
import pino from "pino";
import { loadEnv } from "./env";
import { registerWithFleet } from "./fleet/register";
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
  idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_MS,
  maxSessionMs: env.SESSION_MAX_MS,
  reconnectGraceMs: env.SESSION_RECONNECT_GRACE_MS,
  drainGraceMs: env.DRAIN_GRACE_MS,
  executablePath: env.PUPPETEER_EXECUTABLE_PATH,
  egress: env.EGRESS_PROXY === "off" ? "off" : { allowPrivate: env.EGRESS_ALLOW_PRIVATE },
  ...(env.FLEET_RESULT_URL ? { fleetResultUrl: env.FLEET_RESULT_URL } : {}),
  logger,
});

let draining = false;
const advertiseUrl =
  env.ADVERTISE_URL ?? `http://${env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST}:${worker.port}`;
const fleet = env.FLEET_API_URL
  ? registerWithFleet({
      apiUrl: env.FLEET_API_URL,
      fleetToken: env.FLEET_TOKEN,
      workerId: env.WORKER_ID ?? `${hostname()}-${worker.port}`,
      advertiseUrl,
      publicKey: worker.publicKey,
      version: env.WORKER_VERSION,
      intervalMs: env.HEARTBEAT_INTERVAL_MS,
      status: () => ({
        capacity: env.WORKER_CAPACITY,
        activeSessions: worker.activeSessions(),
        draining,
      }),
      logger,
    })
  : null;
logger.info({ url: advertiseUrl, fleet: Boolean(fleet) }, "browser worker ready");

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "draining");
  draining = true;
  // Tell the fleet at once so no new session is routed here while we drain.
  void fleet?.beat();
  worker.drain(env.DRAIN_GRACE_MS).then(
    async () => {
      await fleet?.stop();
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, "drain failed");
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
