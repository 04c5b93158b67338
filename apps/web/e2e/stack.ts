// The product assembled for e2e tests: a fresh database, the API serving the built SPA
// on a random loopback port, and (when present) the mail sink and utility sandbox.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "@meterlink/db/testing";
import { buildApp } from "../../api/src/app";
import { loadApiEnv } from "../../api/src/env";
import { createLogger } from "../../api/src/logger";
import { DEMO_ADMIN, seedDemo } from "../../api/src/seed";
import { TEST_ENV } from "../../api/test/keys";

const webDist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

export async function startStack() {
  const database = await createTestDatabase();
  const logLines: string[] = [];
  // Bound first, so PUBLIC_URL (cookies, links) names the real port.
  const { createServer } = await import("node:net");
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
  const publicUrl = `http://127.0.0.1:${port}`;
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: publicUrl,
    AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-0001",
    WEB_DIST: webDist,
    LOG_LEVEL: "info",
    ...TEST_ENV,
  });
  const app = await buildApp({
    env,
    db: database.db,
    log: createLogger({
      level: "info",
      destination: { write: (line: string) => void logLines.push(line) },
    }),
  });
  await app.listen({ host: "127.0.0.1", port });
  const seeded = await seedDemo(database.db, { providers: [] });
  return {
    url: publicUrl,
    db: database.db,
    admin: DEMO_ADMIN,
    company: seeded.company,
    logLines,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
