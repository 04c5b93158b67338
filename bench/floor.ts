// The reference every stream figure is divided by: the same page in the same Chromium
// build, driven straight through CDP inside this Node process — no WebSocket, no relay,
// no worker. Same viewport, same screencast settings and key events as the worker uses,
// same focus emulation, and frames read by the same rule (painted counter).

import type { TViewport } from "@meterlink/shared/stream";
import type { Browser, BrowserContext, CDPSession } from "puppeteer-core";
import { keyEventParams } from "../apps/browser-worker/src/input/keys";
import { launchBrowser } from "../apps/browser-worker/src/session/browser";
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
  close(): Promise<void>;
};

/**
 * How the floor gets its pictures: the screencast (what the worker uses), or one
 * `Page.captureScreenshot` with `optimizeForSpeed` right after each key's dispatch (a
 * screenshot waits for the next painted frame, so it shows the key: "the frame for an
 * input as soon as it is painted").
 */
export type TFloorCapture = "screencast" | "screenshot";

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
  let context: BrowserContext | null = await browser.createBrowserContext();
  const page = await context.newPage();
  const cdp: CDPSession = await page.createCDPSession();
  // Screenshot mode: one in flight at a time; a key during it asks for one more after.
  let shooting = false;
  let again = false;
  const shoot = async (): Promise<void> => {
    if (shooting) {
      again = true;
      return;
    }
    shooting = true;
    try {
      do {
        again = false;
        const shot = await cdp.send("Page.captureScreenshot", {
          format: "jpeg",
          quality: settings.quality,
          optimizeForSpeed: true,
        });
        onPicture(Buffer.from(shot.data, "base64"), performance.now());
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
      if (options.capture === "screenshot") void down.then(shoot, () => undefined);
      void down
        .then(() => cdp.send("Input.dispatchKeyEvent", { ...rest, type: "keyUp" }))
        .catch(() => undefined);
      return null;
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
  if (options.capture === "screenshot") await cdp.send("Page.stopScreencast");
  return session;
}
