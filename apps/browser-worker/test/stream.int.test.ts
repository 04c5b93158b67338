// What a stream costs the worker: a still page (even with a focused field) sends nothing.
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "../src/server";
import { TestClient } from "./client";
import { POS, startFixtures, type TFixtures } from "./fixtures";
import {
  api,
  createVault,
  FLEET_TOKEN,
  launchTestBrowser,
  sessionBody,
  startTestWorker,
  until,
} from "./harness";

let browser: Browser;
let fixtures: TFixtures;
let worker: TWorker;

beforeAll(async () => {
  let vault: Awaited<ReturnType<typeof createVault>>;
  [browser, fixtures, vault] = await Promise.all([
    launchTestBrowser(),
    startFixtures(),
    createVault(),
  ]);
  worker = await startTestWorker(browser, { vaultPublicKey: vault.publicJwk });
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await fixtures?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("stream cost", () => {
  it("sends no frames while the recipient types nothing, even with the caret in a field", async () => {
    const body = sessionBody(`${fixtures.url}/plain`);
    expect((await api(worker, "POST", "/sessions", body)).status).toBe(201);
    const client = await TestClient.connect(worker.url, body.sessionId, FLEET_TOKEN);
    await client.waitForPage("/plain");
    await until("a first frame", () => client.frames.length > 0);
    client.click(POS.first.x, POS.first.y);
    client.type("ab");
    const framesBefore = client.frames.length;
    await until("a frame after the typing", () => client.frames.length > framesBefore);
    // Let the page settle (no frame for 700 ms, bounded); a blinking caret never would:
    // it repaints every 500 ms, a frame each.
    const settleBy = Date.now() + 10_000;
    for (let seen = -1; seen !== client.frames.length && Date.now() < settleBy; ) {
      seen = client.frames.length;
      await sleep(700);
    }
    const idleFrom = client.frames.length;
    await sleep(2_000);
    expect(client.frames.length - idleFrom).toBe(0);
    // Still live: the next key is shown at once.
    client.type("c");
    await until("a frame for the next key", () => client.frames.length > idleFrom);
    client.close();
  });
});
