// A world to collect bills in: a test database, the utility sandbox (with its control
// routes, so a test can read the code a portal sent), one real Chromium behind a real
// browser worker registered on the fleet, the sandbox's providers in the catalogue, and
// the collection deps a runner would use. For integration tests of collection jobs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker } from "@meterlink/browser-worker/server";
import { launchBrowser } from "@meterlink/browser-worker/session/browser";
import { worker as workerTable } from "@meterlink/db";
import { createTestDatabase } from "@meterlink/db/testing";
import { sandboxProviders } from "@meterlink/utility-sandbox/catalog";
import { startSandbox } from "@meterlink/utility-sandbox/server";
import { parseKey } from "../src/lib/tokens";
import { upsertProviders } from "../src/seed";
import type { TCollectionDeps } from "../src/services/collection/run";
import { directoryStorage } from "../src/services/collection/storage";
import { silentLog } from "./factories";
import { adminWorld, manualContributor, recipientBrowser, tokenOf } from "./invitations";
import { TEST_TOKEN_KEY, TEST_VAULT_PRIVATE_JWK, TEST_VAULT_PUBLIC_JWK } from "./keys";

export async function startCollectionWorld(options: {
  fleetToken: string;
  capacity?: number;
  /** Collections at once (a worker's headless slots are separate from recipients'). */
  headlessCapacity?: number;
}) {
  const capacity = options.capacity ?? 2;
  const headlessCapacity = options.headlessCapacity ?? 1;
  const [database, browser, sandbox] = await Promise.all([
    createTestDatabase(),
    launchBrowser(process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium"),
    startSandbox({ port: 0, control: true }),
  ]);
  const worker = await startWorker({
    fleetToken: options.fleetToken,
    vaultPublicKey: TEST_VAULT_PUBLIC_JWK,
    browser,
    capacity,
    headlessCapacity,
    egress: { allowPrivate: [new URL(sandbox.url).host] },
    logger: silentLog,
  });
  await database.db.insert(workerTable).values({
    id: "w-collect",
    url: worker.url,
    capacity,
    headlessCapacity,
    publicKey: JSON.stringify(worker.publicKey),
  });
  await upsertProviders(
    database.db,
    sandboxProviders(sandbox.url).map((p) => ({
      id: p.id,
      name: p.name,
      country: p.country,
      loginUrl: p.loginUrl,
      allowedHostnames: p.allowedHostnames,
      utilityTypes: p.utilityTypes,
      mfa: p.mfa,
      isSandbox: true,
      rules: p.rules,
    })),
  );
  const storageDir = mkdtempSync(join(tmpdir(), "meterlink-bills-"));
  const deps: TCollectionDeps = {
    db: database.db,
    log: silentLog,
    fleet: { token: options.fleetToken, heartbeatTtlMs: 3_600_000 },
    vaultPrivateJwk: TEST_VAULT_PRIVATE_JWK,
    tokenKey: parseKey(TEST_TOKEN_KEY),
    storage: directoryStorage(storageDir),
    mfaWaitMs: 20_000,
    codePollMs: 200,
    workerCallTimeoutMs: 60_000,
  };

  /** The last code the sandbox portal sent this account (its SMS or email text), once sent. */
  async function sentCode(portal: string, username: string) {
    const response = await fetch(
      `${sandbox.url}/_control/codes/${portal}/${encodeURIComponent(username)}`,
    );
    return response.ok ? ((await response.json()) as { code: string; text: string }) : null;
  }

  /** An admin invites, the recipient completes with a typed credential: a new connection. */
  async function connect(providerId: string, username: string, password: string) {
    const world = await adminWorld(database.db);
    const created = await world.caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const recipient = recipientBrowser(database.db);
    await recipient.caller.recipient.open({ token });
    await recipient.caller.recipient.consent({ token });
    const done = await recipient.caller.recipient.complete({
      token,
      provider: { kind: "catalog", providerId },
      credential: { method: "manual", username, password },
    });
    return { ...world, connectionId: done.connectionId };
  }

  return {
    database,
    connect,
    sandbox,
    deps,
    storageDir,
    sentCode,
    async close() {
      await worker.close();
      await browser.close();
      await sandbox.close();
      await database.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

export type TCollectionWorld = Awaited<ReturnType<typeof startCollectionWorld>>;
