#!/usr/bin/env node
// Installs what `npm run dev` and `npm test` need on a fresh machine, so a new user
// runs nothing by hand. Plain JavaScript on purpose: it runs under whatever Node the
// machine ships (20 on these machines) before the project-local Node 24 from the `node`
// package exists; every later `npm run …` step then runs on that Node 24.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "node_modules", ".meterlink-install-stamp");

function log(message) {
  process.stdout.write(`[bootstrap] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
  }
}

function lockFingerprint() {
  const lock = join(root, "package-lock.json");
  return existsSync(lock) ? `${statSync(lock).size}:${readFileSync(lock, "utf8").length}` : "none";
}

function ensureNodeModules() {
  const fingerprint = lockFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) return;
  log("installing npm packages…");
  // `npm ci` would refuse a lock that is out of date with a package.json edit; install
  // keeps the lock honest and is just as quick from the local cache.
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeFileSync(stamp, lockFingerprint());
}

function chromiumPath() {
  if (process.env.PUPPETEER_EXECUTABLE_PATH) return process.env.PUPPETEER_EXECUTABLE_PATH;
  return "/usr/bin/chromium";
}

/** The browser worker's default browser (apps/browser-worker/src/env.ts). */
const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";

function ensureChromium() {
  const path = chromiumPath();
  if (existsSync(path) && existsSync(HEADLESS_SHELL)) return;
  if (process.env.PUPPETEER_EXECUTABLE_PATH && !existsSync(path)) {
    throw new Error(
      `PUPPETEER_EXECUTABLE_PATH points at ${path}, which does not exist. Fix the path or unset it to use Debian's chromium.`,
    );
  }
  log("installing Chromium from Debian's packages (apt-get)…");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (...args) =>
    run(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", ...args] : args, {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  apt("update", "-qq");
  apt(
    "install",
    "-y",
    "-qq",
    "--no-install-recommends",
    "chromium",
    "chromium-headless-shell",
    "fonts-liberation",
  );
  for (const installed of [path, HEADLESS_SHELL]) {
    if (!existsSync(installed))
      throw new Error(`Chromium was installed but ${installed} is missing.`);
  }
}

try {
  ensureNodeModules();
  ensureChromium();
  const version = execFileSync(join(root, "node_modules", ".bin", "node"), ["--version"], {
    encoding: "utf8",
  }).trim();
  log(`ready (project Node ${version})`);
} catch (error) {
  process.stderr.write(`[bootstrap] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
