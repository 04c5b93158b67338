// The only place the browser worker reads process.env. A bad value stops the process at
// start with a message naming the variable.
import { parseEnv } from "@meterlink/shared";
import { z } from "zod";

const ZIntMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Debian's chromium-headless-shell package installs it here (scripts/bootstrap.mjs). */
export const HEADLESS_SHELL_PATH = "/usr/bin/chromium-headless-shell";

/** The worker's defaults, here once: the env schema and startWorker's options use them. */
export const WORKER_DEFAULTS = {
  capacity: 4,
  headlessCapacity: 1,
  idleTimeoutMs: 5 * 60_000,
  maxSessionMs: 20 * 60_000,
  reconnectGraceMs: 15_000,
  attachTimeoutMs: 30_000,
  drainGraceMs: 5 * 60_000,
  heartbeatIntervalMs: 2_000,
  // On the headless shell each browser renders its begin frames one at a time
  // (stream/begin-frames.ts), so one browser uses about one core however many the worker
  // has; a second one lets ten typing sessions use both of a 2-core worker's cores
  // (docs/performance.md). A full Chromium's screencast has no such queue: one browser.
  shellBrowsers: 2,
  // Begin frames on the shell beat full Chromium's screencast on every figure measured
  // (docs/performance.md); PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium runs a full
  // Chromium instead (new headless mode, screencast), for a portal that refuses the shell.
  executablePath: HEADLESS_SHELL_PATH,
};

export const ZWorkerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4100),
  HOST: z.string().default("0.0.0.0"),
  FLEET_TOKEN: z.string().min(16, "must be at least 16 characters"),
  /** Recipients' live browsers at once. */
  WORKER_CAPACITY: z.coerce.number().int().positive().default(WORKER_DEFAULTS.capacity),
  /** Headless bill collections at once, on top of WORKER_CAPACITY (0: this worker collects none). */
  WORKER_HEADLESS_CAPACITY: z.coerce
    .number()
    .int()
    .min(0)
    .default(WORKER_DEFAULTS.headlessCapacity),
  /**
   * Chromium processes the worker spreads its sessions over (about one per core); default
   * WORKER_DEFAULTS.shellBrowsers on the headless shell, 1 on a full Chromium.
   */
  WORKER_BROWSERS: z.coerce.number().int().min(1).max(16).optional(),
  SESSION_IDLE_TIMEOUT_MS: ZIntMs(WORKER_DEFAULTS.idleTimeoutMs),
  SESSION_MAX_MS: ZIntMs(WORKER_DEFAULTS.maxSessionMs),
  SESSION_RECONNECT_GRACE_MS: ZIntMs(WORKER_DEFAULTS.reconnectGraceMs),
  /** A recipient's browser whose stream is not opened within this ends. */
  SESSION_ATTACH_TIMEOUT_MS: ZIntMs(WORKER_DEFAULTS.attachTimeoutMs),
  DRAIN_GRACE_MS: ZIntMs(WORKER_DEFAULTS.drainGraceMs),
  VAULT_PUBLIC_KEY: z.string().min(1, "must be an EC P-256 public JWK as JSON"),
  /**
   * The API's internal listener this worker registers with (heartbeats) and reports
   * outcomes and endings to; unset = standalone worker.
   */
  FLEET_API_URL: z.url().optional(),
  /** How the API reaches this worker, e.g. http://10.1.2.3:4100 (the pod IP). */
  ADVERTISE_URL: z.url().optional(),
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/)
    .optional(),
  HEARTBEAT_INTERVAL_MS: ZIntMs(WORKER_DEFAULTS.heartbeatIntervalMs),
  /** Reported to the fleet, e.g. the image tag. */
  WORKER_VERSION: z.string().max(100).default("dev"),
  EGRESS_PROXY: z.enum(["on", "off"]).default("on"),
  /** Comma-separated host:port the egress proxy may reach despite being private (sandbox). */
  EGRESS_ALLOW_PRIVATE: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  PUPPETEER_EXECUTABLE_PATH: z.string().default(WORKER_DEFAULTS.executablePath),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env): TWorkerEnv {
  return parseEnv(ZWorkerEnv, source, "browser-worker");
}
