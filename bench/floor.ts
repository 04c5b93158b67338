// The reference every stream figure is divided by: the same page in the same Chromium
// build, driven straight through CDP inside this Node process — no WebSocket, no relay,
// no worker. Same viewport, same screencast settings and key events as the worker uses,
// same focus emulation, and frames read by the same rule (painted counter).

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { TViewport } from "@meterlink/shared/stream";
import { type Browser, type BrowserContext, type CDPSession, launch } from "puppeteer-core";
import { keyEventParams } from "../apps/browser-worker/src/input/keys";
import { CHROMIUM_FLAGS, launchBrowser } from "../apps/browser-worker/src/session/browser";
import { newBeginFramePage } from "../apps/browser-worker/src/session/context";
// One beginFrame at a time per browser, as the worker does: concurrent ones kill the
// shell's GPU process, so that queue is the real cost of this mode.
import { serialBeginFrame } from "../apps/browser-worker/src/stream/begin-frames";
import { renderViewport, screencastSettings } from "../apps/browser-worker/src/stream/screencast";
import { readCount } from "./page";
import { VIEWPORT } from "./stack";
import { Typist } from "./typist";

export type TFloorSession = {
  typist: Typist;
  pressKey(): null;
  firstPageFrameAt: number | null;
  frames: number;
  bytes: number;
  /**
   * Stops / restarts its screencast: a naive page's blinking caret costs two full frames
   * a second, which would load the machine while the worker's session is measured.
   */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
};

/**
 * How the floor gets its pictures: the screencast (what the worker uses); one
 * `Page.captureScreenshot` with `optimizeForSpeed` right after each key's dispatch (a
 * screenshot waits for the next painted frame, so it shows the key: "the frame for an
 * input as soon as it is painted"); or, in chromium-headless-shell with begin-frame
 * control, one `HeadlessExperimental.beginFrame` with a screenshot after each key (the
 * page paints only when told to, so an idle page costs nothing at all).
 */
export type TFloorCapture = "screencast" | "screenshot" | "beginFrame";

/** Debian's chromium-headless-shell (the old headless mode, a separate binary). */
export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";

/** Installs Debian's chromium-headless-shell when it is missing (the bench runs as root). */
export function ensureHeadlessShell(log: (line: string) => void): void {
  if (existsSync(HEADLESS_SHELL)) return;
  log("installing chromium-headless-shell (apt-get)…");
  const install = () =>
    execFileSync(
      "apt-get",
      ["install", "-y", "-q", "--no-install-recommends", "chromium-headless-shell"],
      {
        stdio: "ignore",
      },
    );
  try {
    install();
  } catch {
    execFileSync("apt-get", ["update", "-q"], { stdio: "ignore" });
    install();
  }
}

/**
 * chromium-headless-shell with the worker's flags; `beginFrameControl`: pages created with
 * enableBeginFrameControl paint only on HeadlessExperimental.beginFrame.
 */
export async function launchHeadlessShell(
  options: { beginFrameControl?: boolean } = {},
): Promise<Browser> {
  return await launch({
    executablePath: HEADLESS_SHELL,
    headless: "shell",
    pipe: true,
    defaultViewport: null,
    args: [
      ...CHROMIUM_FLAGS,
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      ...(options.beginFrameControl
        ? ["--deterministic-mode", "--enable-begin-frame-control"]
        : []),
    ],
  });
}

export async function launchFloorBrowser(executablePath: string): Promise<Browser> {
  return await launchBrowser(executablePath);
}

/** Opens the page in a new incognito context and streams it; resolves once shown. */
export async function openFloorSession(
  browser: Browser,
  url: string,
  options: { viewport?: TViewport; capture?: TFloorCapture } = {},
): Promise<TFloorSession> {
  const viewport = renderViewport(options.viewport ?? VIEWPORT);
  const settings = screencastSettings(viewport);
  const center = { x: Math.round(viewport.width / 2), y: Math.round(viewport.height / 2) };
  const typist = new Typist();
  const capture = options.capture ?? "screencast";
  let context: BrowserContext | null = await browser.createBrowserContext();
  const page =
    capture === "beginFrame" ? await newBeginFramePage(browser, context) : await context.newPage();
  const cdp: CDPSession = await page.createCDPSession();
  // Screenshot and begin-frame modes: one picture in flight at a time; a key during it
  // asks for one more after.
  let shooting = false;
  let again = false;
  const picture = async (): Promise<string | undefined> => {
    if (capture === "beginFrame") {
      const frame = await serialBeginFrame(browser, () =>
        cdp.send("HeadlessExperimental.beginFrame", {
          screenshot: { format: "jpeg", quality: settings.quality },
        }),
      );
      return frame.screenshotData;
    }
    const shot = await cdp.send("Page.captureScreenshot", {
      format: "jpeg",
      quality: settings.quality,
      optimizeForSpeed: true,
    });
    return shot.data;
  };
  const shoot = async (): Promise<void> => {
    if (shooting) {
      again = true;
      return;
    }
    shooting = true;
    try {
      do {
        again = false;
        const data = await picture();
        if (data) onPicture(Buffer.from(data, "base64"), performance.now());
      } while (again);
    } catch {
      // The page closed under the screenshot.
    } finally {
      shooting = false;
    }
  };
  const session: TFloorSession = {
    typist,
    firstPageFrameAt: null,
    frames: 0,
    bytes: 0,
    pressKey() {
      const params = keyEventParams("a", "KeyA", undefined);
      const { text, ...rest } = params;
      // Not awaited: a person's next key does not wait for the previous one's dispatch.
      const down = cdp.send("Input.dispatchKeyEvent", {
        ...params,
        type: text ? "keyDown" : "rawKeyDown",
      });
      if (capture !== "screencast") void down.then(shoot, () => undefined);
      void down
        .then(() => cdp.send("Input.dispatchKeyEvent", { ...rest, type: "keyUp" }))
        .catch(() => undefined);
      return null;
    },
    async pause() {
      if (capture === "screencast") await cdp.send("Page.stopScreencast").catch(() => undefined);
    },
    async resume() {
      if (capture !== "screencast") return;
      await cdp.send("Page.startScreencast", settings);
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
    async close() {
      await cdp.send("Page.stopScreencast").catch(() => undefined);
      await context?.close().catch(() => undefined);
      context = null;
    },
  };
  function onPicture(jpeg: Buffer, arrivedAt: number) {
    session.frames++;
    session.bytes += jpeg.byteLength;
    if (!typist.waiting) return;
    const count = readCount(jpeg);
    if (count !== null) session.firstPageFrameAt ??= arrivedAt;
    typist.onCount(count, arrivedAt);
  }
  cdp.on("Page.screencastFrame", (frame) => {
    const arrivedAt = performance.now();
    void cdp.send("Page.screencastFrameAck", { sessionId: frame.sessionId }).catch(() => undefined);
    onPicture(Buffer.from(frame.data, "base64"), arrivedAt);
  });
  await Promise.all([
    cdp.send("Page.enable"),
    cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true }),
    page.setViewport(viewport),
  ]);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await cdp.send("Page.bringToFront").catch(() => undefined);
  if (capture === "beginFrame") {
    // Nothing paints until asked: frames until the page shows, then one per key.
    const deadline = performance.now() + 15_000;
    while (typist.shown === null && performance.now() < deadline) {
      await shoot();
      await new Promise((resolve) => setTimeout(resolve, 16));
    }
    if (typist.shown === null) throw new Error("floor: no begun frame showed the bench page");
    await page.mouse.click(center.x, center.y);
    await shoot();
    return session;
  }
  await cdp.send("Page.startScreencast", settings);
  const shown = await typist.waitUntil(() => typist.shown !== null, 15_000);
  if (!shown) {
    // A still page emits no screencast frame: nudge it once with a click.
    await page.mouse.click(center.x, center.y);
    if (!(await typist.waitUntil(() => typist.shown !== null, 5_000)))
      throw new Error("floor: no frame showed the bench page");
  }
  await page.mouse.click(center.x, center.y);
  // Screenshot mode: the screencast only served to show the page; from now on each key
  // gets its own screenshot.
  if (capture === "screenshot") await cdp.send("Page.stopScreencast");
  return session;
}
