// One Chromium per worker. Sessions never share it at the context level: each gets its
// own incognito BrowserContext (see context.ts).
import { type Browser, launch } from "puppeteer-core";

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

export async function launchBrowser(executablePath: string): Promise<Browser> {
  const root = process.getuid?.() === 0;
  return await launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(root ? ["--no-sandbox"] : [])],
    defaultViewport: null,
    // CDP over a pipe, not a port: when the worker dies (even SIGKILL, OOM) the pipe
    // closes and Chromium exits with it, instead of living on as an orphan.
    pipe: true,
    // The worker handles SIGTERM itself (drain first), Chromium must not die before.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
