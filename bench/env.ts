// The only place the benchmark harness reads process.env.

import { parseEnv } from "@meterlink/shared";
import { z } from "zod";
import { WORKER_DEFAULTS } from "../apps/browser-worker/src/env";

const ZFlag = z
  .enum(["0", "1", "true", "false", ""])
  .default("0")
  .transform((value) => value === "1" || value === "true");
const ZOptionalInt = z.coerce.number().int().positive().optional();

const ZBenchEnv = z.object({
  /** ~1-minute smoke run: short rounds, fewer samples, smaller sweeps. */
  BENCH_QUICK: ZFlag,
  /** Rounds per figure (medians are taken over rounds; at least 3 for published figures). */
  BENCH_ROUNDS: ZOptionalInt,
  /** Seconds of typing per latency measurement. */
  BENCH_TYPING_SECONDS: ZOptionalInt,
  /** Seconds per HTTP load measurement. */
  BENCH_HTTP_SECONDS: ZOptionalInt,
  /** Concurrent-session levels of the capacity sweep, e.g. "10,15,20,25". */
  BENCH_SWEEP: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  /** Only these phases, e.g. "ttff,one,ten,sweep,http" (all when unset). */
  BENCH_PHASES: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional(),
  /** Use this PostgreSQL server (a fresh database is created in it) instead of an embedded one. */
  DATABASE_URL: z.url().optional(),
  PUPPETEER_EXECUTABLE_PATH: z.string().default("/usr/bin/chromium"),
  /** The worker's browser (default: the worker's own, chromium-headless-shell on begin frames). */
  BENCH_WORKER_CHROMIUM: z.string().optional(),
});
export type TBenchEnv = z.infer<typeof ZBenchEnv>;

export function loadBenchEnv(source: Record<string, string | undefined> = process.env) {
  const env = parseEnv(ZBenchEnv, source, "bench");
  const quick = env.BENCH_QUICK;
  return {
    quick,
    rounds: env.BENCH_ROUNDS ?? 3,
    typingSeconds: env.BENCH_TYPING_SECONDS ?? (quick ? 3 : 12),
    httpSeconds: env.BENCH_HTTP_SECONDS ?? (quick ? 2 : 8),
    ttffSamples: quick ? 4 : 8,
    sweep:
      env.BENCH_SWEEP?.split(",").map(Number) ?? (quick ? [5, 10, 20] : [2, 4, 6, 8, 10, 15, 20]),
    phases: new Set(
      env.BENCH_PHASES?.split(",") ?? [
        "ttff",
        "views",
        "shell",
        "one",
        "ten",
        "sweep",
        "cold",
        "http",
      ],
    ),
    databaseUrl: env.DATABASE_URL,
    chromium: env.PUPPETEER_EXECUTABLE_PATH,
    workerChromium: env.BENCH_WORKER_CHROMIUM ?? WORKER_DEFAULTS.executablePath,
  };
}
export type TBenchConfig = ReturnType<typeof loadBenchEnv>;
