// A worker on the headless shell runs two browsers by default (each renders its begin
// frames one at a time, so one browser would leave a core idle): sessions spread over
// both, each one streams, and losing either browser is the worker's crash.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADLESS_SHELL_PATH, WORKER_DEFAULTS } from "../src/env";
import { startWorker, type TWorker } from "../src/server";
import { TestClient } from "./client";
import { startFixtures, type TFixtures } from "./fixtures";
import { api, createVault, FLEET_TOKEN, sessionBody, until } from "./harness";

let fixtures: TFixtures;
let vault: Awaited<ReturnType<typeof createVault>>;
let worker: TWorker | undefined;

beforeAll(async () => {
  [fixtures, vault] = await Promise.all([startFixtures(), createVault()]);
});

afterAll(async () => {
  await worker?.close();
  await fixtures?.close();
});

describe("a worker's browsers", () => {
  it("spreads sessions over its browsers, streams from each, and ends all when one dies", async () => {
    worker = await startWorker({
      fleetToken: FLEET_TOKEN,
      vaultPublicKey: vault.publicJwk,
      executablePath: HEADLESS_SHELL_PATH,
      capacity: 4,
      egress: "off",
      logger: pino({ level: "silent" }),
    });
    const w = worker;
    expect(w.browsers).toHaveLength(WORKER_DEFAULTS.shellBrowsers);

    const opened: { sessionId: string; client: TestClient }[] = [];
    for (let i = 0; i < 4; i++) {
      const body = sessionBody(`${fixtures.url}/plain`);
      expect((await api(w, "POST", "/sessions", body)).status).toBe(201);
      const client = await TestClient.connect(w.url, body.sessionId, FLEET_TOKEN);
      opened.push({ sessionId: body.sessionId, client });
    }
    // Every session shows its page, whichever browser it runs in.
    for (const { client } of opened) {
      await client.waitForPage("/plain");
      await until("a frame", () => client.frames.length > 0);
    }
    const perBrowser = w.browsers.map(
      (browser) =>
        opened.filter(({ sessionId }) => w.inspect(sessionId)?.context?.browser() === browser)
          .length,
    );
    expect(perBrowser).toEqual([2, 2]);

    // One browser lost: every session ends (the fleet moves recipients elsewhere) and the
    // worker stops taking new ones.
    // (Browser.crash: the package's binary is a shell script, so a signal to the process
    // puppeteer started would miss Chromium itself.)
    const doomed = await w.browsers[1]?.target().createCDPSession();
    void doomed?.send("Browser.crash").catch(() => undefined);
    for (const { client } of opened) await client.closed(15_000);
    const ready = await fetch(`${w.url}/readyz`);
    expect(ready.status).toBe(503);
    const refused = await api(w, "POST", "/sessions", sessionBody(`${fixtures.url}/plain`));
    expect(refused.status).toBe(503);
  });
});
