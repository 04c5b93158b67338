import { createDb, migrateDatabase } from "@meterlink/db";
import { buildApp, buildInternalApp } from "./app";
import { loadApiEnv } from "./env";
import { startInboundSmtp } from "./inbound/smtp";
import { startJobRunner } from "./jobs/runner";
import { parseKey } from "./lib/tokens";
import { createLogger } from "./logger";
import { inboundConfigOf } from "./services/connections/forwarding";

const env = loadApiEnv();
const log = createLogger({ level: env.LOG_LEVEL });
await migrateDatabase(env.DATABASE_URL);
const db = createDb(env.DATABASE_URL, { max: 20 });
// The API always enqueues; it also works the queue unless a jobs Deployment does.
const runner = await startJobRunner({ db, env, log, work: env.API_RUNS_JOBS });
const app = await buildApp({ env, db, log, jobs: runner.jobs });
const internal = await buildInternalApp({ env, db, log });
await internal?.listen({ host: env.INTERNAL_HOST, port: env.INTERNAL_PORT });
await app.listen({ host: env.HOST, port: env.PORT });
// Forwarded code emails straight from a mail server (dev: nodemailer, a forwarding rule).
const smtp =
  env.INBOUND_SMTP_PORT === undefined
    ? null
    : await startInboundSmtp(
        { db, log, tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY), inbound: inboundConfigOf(env) },
        { host: env.INBOUND_SMTP_HOST, port: env.INBOUND_SMTP_PORT },
      );
if (smtp)
  log.info({ host: smtp.host, port: smtp.port }, "inbound SMTP listening (forwarded MFA codes)");

// Stop taking requests, let running ones and running jobs finish, then close the pools.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "shutting down");
    void app
      .close()
      .then(() => internal?.close())
      .then(() => smtp?.close())
      .then(() => runner.stop())
      .then(() => process.exit(0));
  });
}
