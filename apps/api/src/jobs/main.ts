// A jobs-only process (its own Deployment): the same runner as the API's, without HTTP.
// Run API replicas with API_RUNS_JOBS=false when this one does the work.
import { closeDb, createDb, migrateDatabase } from "@meterlink/db";
import { loadApiEnv } from "../env";
import { createLogger } from "../logger";
import { startJobRunner } from "./runner";

const env = loadApiEnv();
const log = createLogger({ level: env.LOG_LEVEL });
await migrateDatabase(env.DATABASE_URL);
const db = createDb(env.DATABASE_URL, { max: 10 });
const runner = await startJobRunner({ db, env, log });
log.info("job runner started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "draining jobs");
    void runner
      .stop()
      .then(() => closeDb(db))
      .then(() => process.exit(0));
  });
}
