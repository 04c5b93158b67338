// What the recipe, first-bills and discovery integration tests share: the API's fleet
// listener as far as reports go, the recipient's clicks at an element's centre, and a
// headless collection started with a credential sealed to the worker for that session,
// and the recipe tests' world (a browser, the sandbox, that listener and a worker on it).
import { createServer } from "node:http";
import { startSandbox } from "@meterlink/utility-sandbox/server";
import { EncryptJWT, importJWK } from "jose";
import type { Page } from "puppeteer-core";
import { expect } from "vitest";
import type { TWorker, TWorkerOptions } from "../src/server";
import { api, createVault, launchTestBrowser, startTestWorker } from "./harness";

/** The API's internal listener: keeps every report, in order; answers "nothing to end". */
export async function startFleetListener() {
  const reports: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/internal/fleet/report")
        reports.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, end: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    reports,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Where the recipient would click to reach `selector`. */
export async function centre(page: Page, selector: string) {
  return await page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
}

export type TTestProvider = { id: string; loginUrl: string; allowedHostnames: string[] };

let counter = 0;
/** A headless session for `provider` and its collection's first answer. */
export async function startCollection(
  worker: TWorker,
  provider: TTestProvider,
  credential: { username: string; password: string },
  body: Record<string, unknown> = {},
) {
  const sessionId = `collect-${provider.id}-${++counter}-${Date.now()}`;
  const created = await api(worker, "POST", "/sessions", {
    sessionId,
    provider,
    viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
    mode: "headless",
  });
  expect(created.status).toBe(201);
  const sealedCredential = await new EncryptJWT(credential)
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM" })
    .setSubject(sessionId)
    .setExpirationTime("5m")
    .encrypt(await importJWK(worker.publicKey, "ECDH-ES+A256KW"));
  const answer = await api(worker, "POST", `/sessions/${sessionId}/collect`, {
    sealedCredential,
    // No rules: the generic sign-in loop (or the learned recipe) and generic discovery.
    recipe: {},
    ...body,
  });
  expect(answer.status).toBe(200);
  return { sessionId, answer: answer.json };
}

/**
 * The recipe tests' world: one Chromium, the sandbox with its control routes, the fleet
 * listener and a worker joined to it (2 live and 2 headless slots). A step a recipe does
 * not know (or a portal that changed) is told by a step that never shows: the step
 * timeout is short.
 */
export async function startRecipeWorld(workerId: string, logger: TWorkerOptions["logger"]) {
  const [browser, sandbox, vault, fleet] = await Promise.all([
    launchTestBrowser(),
    startSandbox({ port: 0, control: true }),
    createVault(),
    startFleetListener(),
  ]);
  const worker = await startTestWorker(browser, {
    vaultPublicKey: vault.publicJwk,
    egress: { allowPrivate: [new URL(sandbox.url).host] },
    logger,
    capacity: 2,
    headlessCapacity: 2,
    collectLimits: { stepTimeoutMs: 5_000 },
    fleet: { apiUrl: fleet.apiUrl, workerId, heartbeatIntervalMs: 60_000 },
  });
  return {
    browser,
    sandbox,
    fleet,
    worker,
    async close() {
      await worker.close();
      await browser.close();
      await sandbox.close();
      await fleet.close();
    },
  };
}
