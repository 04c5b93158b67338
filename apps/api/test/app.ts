import { createDb, type TDb } from "@meterlink/db";
import type { DestinationStream } from "pino";
import { buildApp } from "../src/app";
import { loadApiEnv } from "../src/env";
import { createLogger } from "../src/logger";
import { TEST_ENV } from "./keys";

/** A real API instance (no listen) on a test database, with its log lines captured. */
export async function createTestApp(databaseUrl: string, overrides: Record<string, string> = {}) {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => void lines.push(line) };
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: "http://localhost:3000",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "debug",
    ...TEST_ENV,
    ...overrides,
  });
  const db: TDb = createDb(databaseUrl);
  const app = await buildApp({ env, db, log: createLogger({ level: env.LOG_LEVEL, destination }) });
  await app.ready();
  return { app, db, env, logLines: lines };
}

export function cookieFrom(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((cookie) => cookie.split(";")[0]).join("; ");
}
