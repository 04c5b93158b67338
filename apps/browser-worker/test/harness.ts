// Shared setup for the worker's integration tests: one Chromium per test file, shared by
// the workers the file starts; a vault key pair to open sealed credentials; pino output
// captured so tests can assert no secret was logged.
import { Writable } from "node:stream";
import { compactDecrypt, exportJWK, generateKeyPair } from "jose";
import pino from "pino";
import type { Browser } from "puppeteer-core";
import { startWorker, type TWorker, type TWorkerOptions } from "../src/server";
import { launchBrowser } from "../src/session/browser";

export const FLEET_TOKEN = "test-fleet-token-0123456789";

export async function createVault() {
  const { publicKey, privateKey } = await generateKeyPair("ECDH-ES+A256KW", {
    crv: "P-256",
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  return {
    publicJwk,
    async open(jwe: string): Promise<unknown> {
      const { plaintext } = await compactDecrypt(jwe, privateKey);
      return JSON.parse(new TextDecoder().decode(plaintext));
    },
  };
}

export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, logger: pino({ level: "debug" }, stream) };
}

export async function launchTestBrowser(): Promise<Browser> {
  return await launchBrowser(process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium");
}

export async function startTestWorker(
  browser: Browser,
  options: Partial<TWorkerOptions> & Pick<TWorkerOptions, "vaultPublicKey">,
): Promise<TWorker> {
  return await startWorker({
    fleetToken: FLEET_TOKEN,
    browser,
    egress: "off",
    logger: pino({ level: "silent" }),
    ...options,
  });
}

export async function api(
  worker: TWorker,
  method: string,
  path: string,
  body?: unknown,
  token = FLEET_TOKEN,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${worker.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

let counter = 0;
export function sessionBody(
  loginUrl: string,
  overrides: { allowedHostnames?: string[]; rules?: unknown; mode?: string } = {},
) {
  const host = new URL(loginUrl).hostname;
  return {
    sessionId: `test-session-${process.pid}-${++counter}-${Date.now()}`,
    provider: {
      id: "fixture",
      loginUrl,
      allowedHostnames: overrides.allowedHostnames ?? [host],
      ...(overrides.rules ? { rules: overrides.rules } : {}),
    },
    viewport: { width: 800, height: 600, deviceScaleFactor: 1 },
    mode: overrides.mode ?? "interactive",
  };
}

/** Polls `check` until it returns true (bounded); fails with `what` otherwise. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
