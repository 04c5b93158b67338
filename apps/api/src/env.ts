// The API's whole configuration, validated once at start. The only file that reads
// process.env; a bad value stops the process with a message naming the variable.
import { parseEnv } from "@meterlink/shared";
import { z } from "zod";

const ZApiEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.url({ error: "must be a postgres:// URL of the database" }),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The origin people use (links in emails, cookies, CORS); the SPA is served there. */
  PUBLIC_URL: z.url({ error: "must be the public origin, e.g. https://app.example.com" }),
  AUTH_SECRET: z.string().min(32, { error: "must be at least 32 characters of random data" }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Built SPA to serve (apps/web/dist); unset in dev, where Vite serves it. */
  WEB_DIST: z.string().optional(),
  /** Sign-in attempts allowed per client address per minute before answers slow to 429. */
  AUTH_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).default(10),
});

export type TApiEnv = z.infer<typeof ZApiEnv>;

export function loadApiEnv(source: Record<string, string | undefined> = process.env): TApiEnv {
  return parseEnv(ZApiEnv, source, "api");
}
