// Real Chromium behind the egress proxy, loopback only. A sandbox page (its host:port is in
// allowPrivate) loads, while everything it tries against another local server (standing
// in for any internal service) and the metadata address is refused by the proxy.

import http from "node:http";
import type net from "node:net";
import puppeteer, { type Browser, type BrowserContext } from "puppeteer-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installLoopbackOnly } from "./loopback-only.testkit";
import {
  browserContextProxyOptions,
  PROXY_BYPASS_ARG,
  startEgressProxy,
  type TEgressProxy,
  type TEgressRefusal,
} from "./proxy";

type TServer = { port: number; connections: number; requests: string[]; close(): Promise<void> };

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const server = http.createServer(handler);
  const info: TServer = {
    port: 0,
    connections: 0,
    requests: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on("connection", () => {
    info.connections += 1;
  });
  server.on("request", (req: http.IncomingMessage) =>
    info.requests.push(`${req.method} ${req.url}`),
  );
  server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket) => {
    info.requests.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  info.port = address.port;
  return info;
}

function sandboxPage(forbiddenPort: number): string {
  const forbidden = `127.0.0.1:${forbiddenPort}`;
  return `<!doctype html><title>Sandbox utility</title>
<img id="pixel" src="http://${forbidden}/pixel.png">
<script>
  const img = document.getElementById("pixel");
  const imgDone = new Promise((resolve) => {
    img.onload = () => resolve("loaded");
    img.onerror = () => resolve("error");
    if (img.complete) resolve(img.naturalWidth > 0 ? "loaded" : "error");
  });
  const fetchDone = fetch("http://${forbidden}/api").then((r) => "status " + r.status, () => "error");
  const wsDone = new Promise((resolve) => {
    const ws = new WebSocket("ws://${forbidden}/socket");
    ws.onopen = () => resolve("open");
    ws.onerror = () => resolve("error");
  });
  const sameOrigin = fetch("/data").then((r) => r.text(), () => "error");
  window.egressResults = Promise.all([imgDone, fetchDone, wsDone, sameOrigin]).then(
    ([img, fetch, ws, same]) => ({ img, fetch, ws, same }),
  );
</script>`;
}

// Test files may read the environment directly: this mirrors puppeteer's own override.
const executablePath = process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium";

const network = installLoopbackOnly();
const refusals: TEgressRefusal[] = [];
let sandbox: TServer;
let forbidden: TServer;
let proxy: TEgressProxy;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  forbidden = await serve((_req, res) => res.end("internal service"));
  sandbox = await serve((req, res) => {
    if (req.url === "/data") {
      res.end("sandbox data");
      return;
    }
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(sandboxPage(forbidden.port));
  });
  proxy = await startEgressProxy({
    allowPrivate: [`127.0.0.1:${sandbox.port}`],
    lookup: async (hostname) => {
      const table: Record<string, string> = {
        "rebind.test": "127.0.0.1",
        "metadata.google.internal": "169.254.169.254",
      };
      const address = table[hostname];
      if (!address) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      return [{ address, family: 4 }];
    },
    onRefused: (event) => refusals.push(event),
  });
  const session = await proxy.openSession();
  browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--disable-gpu",
      PROXY_BYPASS_ARG,
    ],
  });
  context = await browser.createBrowserContext(browserContextProxyOptions(session.proxyServer));
}, 60_000);

afterEach(() => {
  expect(forbidden.connections).toBe(0);
  expect(forbidden.requests).toEqual([]);
  expect(network.blocked).toEqual([]);
});

afterAll(async () => {
  network.restore();
  await browser?.close();
  await proxy?.close();
  await sandbox?.close();
  await forbidden?.close();
}, 30_000);

describe("Chromium behind the egress proxy", () => {
  it("loads the sandbox page while its img, fetch and WebSocket to a forbidden port fail", async () => {
    const page = await context.newPage();
    const response = await page.goto(`http://127.0.0.1:${sandbox.port}/`, { timeout: 15_000 });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe("Sandbox utility");
    const results = await page.evaluate(
      () =>
        (globalThis as unknown as { egressResults: Promise<Record<string, string>> }).egressResults,
    );
    expect(results).toEqual({ img: "error", fetch: "error", ws: "error", same: "sandbox data" });
    // The refusals came from the proxy, i.e. Chromium did send loopback through it.
    const refusedPorts = refusals.filter((r) => r.port === forbidden.port).length;
    expect(refusedPorts).toBeGreaterThanOrEqual(3);
    await page.close();
  }, 30_000);

  it("refuses navigations to forbidden loopback, rebinding names and the metadata address", async () => {
    const page = await context.newPage();
    // Loopback first: if Chromium were bypassing the proxy this would reach the forbidden
    // server and fail here, before anything below could try a link-local address directly.
    const loopback = await page.goto(`http://127.0.0.1:${forbidden.port}/`, { timeout: 15_000 });
    expect(loopback?.status()).toBe(403);
    expect(await page.content()).toContain("loopback address");

    const rebound = await page.goto(`http://rebind.test:${forbidden.port}/`, { timeout: 15_000 });
    expect(rebound?.status()).toBe(403);

    const metadata = await page.goto("http://169.254.169.254/latest/meta-data/", {
      timeout: 15_000,
    });
    expect(metadata?.status()).toBe(403);
    expect(await page.content()).toContain("cloud metadata address");
    expect(refusals).toContainEqual({
      host: "169.254.169.254",
      port: 80,
      reason: "cloud metadata address",
    });

    // Chromium may first try https for a plain name; either way the proxy refuses it.
    const named = await page
      .goto("http://metadata.google.internal/computeMetadata/v1/", { timeout: 15_000 })
      .catch(() => null);
    expect(named === null || named.status() === 403).toBe(true);
    expect(refusals.some((r) => r.host === "metadata.google.internal")).toBe(true);
    await page.close();
  }, 60_000);
});
