// The product assembled for e2e tests: a fresh database, the API serving the built SPA
// on a random loopback port, the mail sink and the utility sandbox.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase } from "@meterlink/db/testing";
import { createMailSinkClient, startMailSink } from "@meterlink/mail-sink";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox } from "@meterlink/utility-sandbox/server";
import { buildApp, buildInternalApp } from "../../api/src/app";
import { loadApiEnv } from "../../api/src/env";
import { startInboundSmtp } from "../../api/src/inbound/smtp";
import { startJobRunner } from "../../api/src/jobs/runner";
import { parseKey } from "../../api/src/lib/tokens";
import { createLogger } from "../../api/src/logger";
import { DEMO_ADMIN, seedDemo } from "../../api/src/seed";
import { inboundConfigOf } from "../../api/src/services/connections/forwarding";
import { TEST_ENV } from "../../api/test/keys";

const webDist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** `seed: false`: an empty database, as a new deployment starts (first-run setup). */
export async function startStack(options: { env?: Record<string, string>; seed?: boolean } = {}) {
  const [database, mailSink, sandbox, port] = await Promise.all([
    createTestDatabase(),
    startMailSink({ port: 0 }),
    startSandbox({ port: 0, control: true }),
    freePort(),
  ]);
  const logLines: string[] = [];
  // PUBLIC_URL (cookies, links in emails) must name the port the API will listen on.
  const publicUrl = `http://127.0.0.1:${port}`;
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: publicUrl,
    AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-0001",
    WEB_DIST: webDist,
    LOG_LEVEL: "info",
    RESEND_BASE_URL: mailSink.url,
    RESEND_API_KEY: "re_test_e2e",
    // Every page of a whole e2e file comes from one address within a minute; the limit
    // itself is tested in security.int.test.ts.
    RECIPIENT_RATE_LIMIT_PER_MINUTE: "100000",
    ...TEST_ENV,
    ...options.env,
  });
  const log = createLogger({
    level: "info",
    destination: { write: (line: string) => void logLines.push(line) },
  });
  // Real emails: the job runner sends to the mail sink, polling often so tests wait little.
  const runner = await startJobRunner({
    db: database.db,
    env,
    log,
    timing: { pollingIntervalSeconds: 0.5, emailRetryDelaySeconds: 1, emailRetryBackoff: false },
  });
  const app = await buildApp({ env, db: database.db, log, jobs: runner.jobs });
  await app.listen({ host: "127.0.0.1", port });
  // The fleet's own listener (worker heartbeats, outcomes), as in production: never `url`.
  const internal = await buildInternalApp({ env, db: database.db, log });
  const internalUrl = internal ? await internal.listen({ host: "127.0.0.1", port: 0 }) : null;
  // Forwarded MFA code emails, as `npm run dev` receives them (nodemailer in tests).
  const smtp = await startInboundSmtp(
    {
      db: database.db,
      log,
      tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY),
      inbound: inboundConfigOf(env),
    },
    { host: "127.0.0.1", port: 0 },
  );
  const seeded =
    options.seed === false
      ? null
      : await seedDemo(database.db, { providers: sandboxProviders(sandbox.url) });
  return {
    url: publicUrl,
    /** Where workers register and report (set when FLEET_TOKEN is). */
    internalUrl,
    db: database.db,
    env,
    admin: DEMO_ADMIN,
    // Typed as always present for the seeded stack most tests use.
    company: seeded?.company as NonNullable<typeof seeded>["company"],
    mail: createMailSinkClient(mailSink.url),
    /** The running job queue, for callers (`callerFor(..., { jobs })`) that should send email. */
    jobs: runner.jobs,
    sandboxUrl: sandbox.url,
    /** The inbound SMTP listener's port (forwarded code emails). */
    smtpPort: smtp.port,
    logLines,
    async close() {
      await app.close();
      await internal?.close();
      await smtp.close();
      await runner.stop();
      await Promise.all([database.close(), mailSink.close(), sandbox.close()]);
    },
  };
}
