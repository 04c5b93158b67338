// A worker's Chromium processes (launchBrowsers: about one per core on the headless
// shell). Sessions never share one at the context level: each gets its own incognito
// BrowserContext (see context.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Browser, launch } from "puppeteer-core";
import { WORKER_DEFAULTS } from "../env";

/**
 * A fresh profile whose preferences every session's (incognito) context inherits.
 * WebRTC would otherwise gather the machine's addresses and send UDP straight out,
 * around the egress proxy (which only carries TCP): only proxied UDP, i.e. none.
 */
function prepareProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), "meterlink-chromium-"));
  mkdirSync(join(dir, "Default"), { recursive: true });
  const preferences = {
    webrtc: {
      ip_handling_policy: "disable_non_proxied_udp",
      multiple_routes_enabled: false,
      nonproxied_udp_enabled: false,
    },
  };
  writeFileSync(join(dir, "Default", "Preferences"), JSON.stringify(preferences));
  return dir;
}

export const CHROMIUM_FLAGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  // Loopback is normally never proxied; sessions must not reach the worker's own
  // loopback services, so loopback goes through the egress proxy like everything else.
  "--proxy-bypass-list=<-loopback>",
];

/**
 * The headless shell has no profile preferences (prepareProfile's WebRTC policy does not
 * reach it): its own switch says the same.
 */
const SHELL_FLAGS = [
  "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
  // Pages render when the worker asks (stream/begin-frames.ts); the second switch is
  // what HeadlessExperimental.beginFrame requires.
  "--enable-begin-frame-control",
  "--run-all-compositor-stages-before-draw",
];

/** Browsers whose pages are created with begin-frame control (the headless shell). */
const beginFrameBrowsers = new WeakSet<Browser>();

export function usesBeginFrames(browser: Browser): boolean {
  return beginFrameBrowsers.has(browser);
}

/**
 * Debian's chromium-headless-shell (the old headless mode as its own binary) runs in
 * puppeteer's "shell" mode; anything else is a full Chromium in the new headless mode.
 * The shell is lighter per page (docs/performance.md, bench phase `shell`).
 */
export function headlessModeFor(executablePath: string): true | "shell" {
  return basename(executablePath).includes("headless-shell") ? "shell" : true;
}

export async function launchBrowser(
  executablePath: string,
  options: { trustedCertificateSpki?: string[] } = {},
): Promise<Browser> {
  const root = process.getuid?.() === 0;
  const profile = prepareProfile();
  const browser = await launch({
    executablePath,
    userDataDir: profile,
    headless: headlessModeFor(executablePath),
    args: [
      ...CHROMIUM_FLAGS,
      ...(headlessModeFor(executablePath) === "shell" ? SHELL_FLAGS : []),
      ...(root ? ["--no-sandbox"] : []),
      // Tests' self-signed portals (see TWorkerOptions.trustedCertificateSpki).
      ...(options.trustedCertificateSpki?.length
        ? [`--ignore-certificate-errors-spki-list=${options.trustedCertificateSpki.join(",")}`]
        : []),
    ],
    defaultViewport: null,
    // CDP over a pipe, not a port: when the worker dies (even SIGKILL, OOM) the pipe
    // closes and Chromium exits with it, instead of living on as an orphan.
    pipe: true,
    // The worker handles SIGTERM itself (drain first), Chromium must not die before.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  if (headlessModeFor(executablePath) === "shell") beginFrameBrowsers.add(browser);
  // Chromium may still be writing into the profile as it goes: retry, and never let a
  // leftover folder in /tmp throw out of an event handler.
  browser.once("disconnected", () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {}
  });
  return browser;
}

/**
 * The worker's browsers: `count` of them (default: WORKER_DEFAULTS.shellBrowsers on the
 * headless shell, one on a full Chromium). All or none: a browser that fails to launch
 * closes the others.
 */
export async function launchBrowsers(
  executablePath: string,
  options: { count?: number | undefined; trustedCertificateSpki?: string[] | undefined } = {},
): Promise<Browser[]> {
  const count =
    options.count ??
    (headlessModeFor(executablePath) === "shell" ? WORKER_DEFAULTS.shellBrowsers : 1);
  const launched = await Promise.allSettled(
    Array.from({ length: count }, () =>
      launchBrowser(executablePath, {
        ...(options.trustedCertificateSpki
          ? { trustedCertificateSpki: options.trustedCertificateSpki }
          : {}),
      }),
    ),
  );
  const browsers = launched.flatMap((each) => (each.status === "fulfilled" ? [each.value] : []));
  const failed = launched.find((each) => each.status === "rejected");
  if (failed) {
    await Promise.all(browsers.map((each) => each.close().catch(() => undefined)));
    throw failed.reason;
  }
  return browsers;
}

/** The browser a new context goes to: the connected one with the fewest contexts. */
export function leastBusy(browsers: Browser[]): Browser | null {
  let best: Browser | null = null;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const browser of browsers) {
    if (!browser.connected) continue;
    const count = browser.browserContexts().length;
    if (count < bestCount) {
      best = browser;
      bestCount = count;
    }
  }
  return best;
}
