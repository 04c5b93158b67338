// Weekly collection of a utility Meterlink has no collection rules for, end to end: real
// Postgres, a real browser worker and the rule-less sandbox portal. The stored credential
// signs in again with the generic sign-in, generic discovery finds the bills (the
// collection start date applied), the next week finds only the new bill; a password
// changed on the portal puts the connection in error with a reason, and a reconnect
// makes it active again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker, type TWorker } from "@meterlink/browser-worker/server";
import { launchBrowser } from "@meterlink/browser-worker/session/browser";
import { connection, worker as workerTable } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import {
  RULELESS_PASSWORD,
  RULELESS_USERNAME,
  rulelessSandboxProviders,
} from "@meterlink/utility-sandbox/ruleless";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import { eq } from "drizzle-orm";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLog } from "../../test/factories";
import { adminWorld, manualContributor, recipientBrowser, tokenOf } from "../../test/invitations";
import { TEST_TOKEN_KEY, TEST_VAULT_PRIVATE_JWK, TEST_VAULT_PUBLIC_JWK } from "../../test/keys";
import { parseKey } from "../lib/tokens";
import { upsertProviders } from "../seed";
import { runCollection, type TCollectionDeps } from "../services/collection/run";
import { directoryStorage } from "../services/collection/storage";

const FLEET_TOKEN = "ruleless-test-fleet-token";

let database: TTestDatabase;
let browser: Browser;
let sandbox: TSandbox;
let worker: TWorker;
let storageDir: string;
let deps: TCollectionDeps;

beforeAll(async () => {
  [database, browser, sandbox] = await Promise.all([
    createTestDatabase(),
    launchBrowser(process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium"),
    startSandbox({ port: 0, control: true }),
  ]);
  worker = await startWorker({
    fleetToken: FLEET_TOKEN,
    vaultPublicKey: TEST_VAULT_PUBLIC_JWK,
    browser,
    capacity: 1,
    egress: { allowPrivate: [new URL(sandbox.url).host] },
    logger: silentLog,
  });
  await database.db.insert(workerTable).values({
    id: "w-ruleless",
    url: worker.url,
    capacity: 2,
    publicKey: JSON.stringify(worker.publicKey),
  });
  await upsertProviders(database.db, rulelessSandboxProviders(sandbox.url));
  storageDir = mkdtempSync(join(tmpdir(), "meterlink-ruleless-"));
  deps = {
    db: database.db,
    log: silentLog,
    fleet: { token: FLEET_TOKEN, heartbeatTtlMs: 3_600_000 },
    vaultPrivateJwk: TEST_VAULT_PRIVATE_JWK,
    tokenKey: parseKey(TEST_TOKEN_KEY),
    storage: directoryStorage(storageDir),
    mfaWaitMs: 20_000,
    codePollMs: 200,
    workerCallTimeoutMs: 90_000,
  };
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await sandbox?.close();
  await database?.close();
  if (storageDir) rmSync(storageDir, { recursive: true, force: true });
});

const run = (connectionId: string, trigger: "first" | "weekly") =>
  runCollection(deps, { connectionId, trigger, attempt: 1, lastTry: false });

async function control(path: string, body: unknown = {}) {
  const response = await fetch(`${sandbox.url}/_control/ruleless/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe("a utility without collection rules", () => {
  it("is collected weekly: start date, only the new bill, password changed → error → reconnect → active", async () => {
    const world = await adminWorld(database.db);
    const created = await world.caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const recipient = recipientBrowser(database.db);
    await recipient.caller.recipient.open({ token });
    await recipient.caller.recipient.consent({ token });
    const done = await recipient.caller.recipient.complete({
      token,
      provider: { kind: "catalog", providerId: "sandbox-brightwater" },
      credential: { method: "manual", username: RULELESS_USERNAME, password: RULELESS_PASSWORD },
      collectionStartDate: "2026-08-15",
    });
    const id = done.connectionId;

    // August (ends 08-31), September, October; July is before the start date; the
    // scanned bill has no date and is kept for review.
    expect(await run(id, "first")).toMatchObject({ outcome: "succeeded", billsNew: 4 });
    let view = await world.caller.admin.connections.get({ id });
    expect(view.status).toBe("active");
    // What the admin is told will happen for this utility.
    expect(view.collection.kind).toBe("discovery");
    expect(view.bills.map((b) => b.periodEnd)).toEqual(
      expect.arrayContaining(["2026-08-31", "2026-09-30", "2026-10-31", null]),
    );
    expect(view.bills.filter((b) => b.needsReview)).toHaveLength(1);
    expect(view.runs[0]?.message).toMatch(
      /annual-summary\.pdf \(too large\).*bill-guide\.pdf \(not a bill document\)/,
    );

    await control("brightwater/next-bill");
    expect(await run(id, "weekly")).toMatchObject({ outcome: "succeeded", billsNew: 1 });
    view = await world.caller.admin.connections.get({ id });
    expect(view.bills.map((b) => b.periodEnd)).toContain("2026-11-30");
    expect(view.bills).toHaveLength(5);

    await control("brightwater/password", { password: "a-new-password-2" });
    expect(await run(id, "weekly")).toMatchObject({ outcome: "failed", reason: "wrong_password" });
    view = await world.caller.admin.connections.get({ id });
    expect(view.status).toBe("error");
    expect(view.statusReason).toMatch(/did not accept the saved password/);

    const reconnect = await world.caller.admin.invitations.create({
      kind: "reconnect",
      targetConnectionId: id,
      delivery: { kind: "manual" },
    });
    const again = recipientBrowser(database.db);
    await again.caller.recipient.open({ token: tokenOf(reconnect.url) });
    await again.caller.recipient.consent({ token: tokenOf(reconnect.url) });
    await again.caller.recipient.complete({
      token: tokenOf(reconnect.url),
      provider: { kind: "catalog", providerId: "sandbox-brightwater" },
      credential: { method: "manual", username: RULELESS_USERNAME, password: "a-new-password-2" },
    });
    expect(await run(id, "first")).toMatchObject({ outcome: "succeeded", billsNew: 0 });
    const [row] = await database.db.select().from(connection).where(eq(connection.id, id));
    expect(row?.status).toBe("active");
  });
});
