import { createDb, migrateDatabase } from "@meterlink/db";
import { buildApp } from "./app";
import { loadApiEnv } from "./env";
import { createLogger } from "./logger";

const env = loadApiEnv();
const log = createLogger({ level: env.LOG_LEVEL });
await migrateDatabase(env.DATABASE_URL);
const db = createDb(env.DATABASE_URL, { max: 20 });
const app = await buildApp({ env, db, log });
await app.listen({ host: env.HOST, port: env.PORT });

// Stop taking requests, let running ones finish, then close the pool.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "shutting down");
    void app.close().then(() => process.exit(0));
  });
}
