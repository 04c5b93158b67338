// The reference every stream figure is divided by: the same page in the same Chromium
// build, driven straight through CDP inside this Node process — no WebSocket, no relay,
// no worker. Same viewport, same screencast settings and key events as the worker uses,
// same focus emulation, and frames read by the same rule (painted counter).

import type { Browser, BrowserContext, CDPSession } from "puppeteer-core";
import { keyEventParams } from "../apps/browser-worker/src/input/keys";
import { launchBrowser } from "../apps/browser-worker/src/session/browser";
import { screencastSettings } from "../apps/browser-worker/src/stream/screencast";
import { readCount } from "./page";
import { VIEWPORT } from "./stack";
import { Typist } from "./typist";

export type TFloorSession = {
  typist: Typist;
  pressKey(): null;
  firstPageFrameAt: number | null;
  close(): Promise<void>;
};

export async function launchFloorBrowser(executablePath: string): Promise<Browser> {
  return await launchBrowser(executablePath);
}

/** Opens the page in a new incognito context and streams it; resolves once shown. */
export async function openFloorSession(browser: Browser, url: string): Promise<TFloorSession> {
  const typist = new Typist();
  let context: BrowserContext | null = await browser.createBrowserContext();
  const page = await context.newPage();
  const cdp: CDPSession = await page.createCDPSession();
  const session: TFloorSession = {
    typist,
    firstPageFrameAt: null,
    pressKey() {
      const params = keyEventParams("a", "KeyA", undefined);
      const { text, ...rest } = params;
      // Not awaited: a person's next key does not wait for the previous one's dispatch.
      void cdp
        .send("Input.dispatchKeyEvent", { ...params, type: text ? "keyDown" : "rawKeyDown" })
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
  cdp.on("Page.screencastFrame", (frame) => {
    const arrivedAt = performance.now();
    void cdp.send("Page.screencastFrameAck", { sessionId: frame.sessionId }).catch(() => undefined);
    if (!typist.waiting) return;
    const count = readCount(Buffer.from(frame.data, "base64"));
    if (count !== null) session.firstPageFrameAt ??= arrivedAt;
    typist.onCount(count, arrivedAt);
  });
  await Promise.all([
    cdp.send("Page.enable"),
    cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true }),
    page.setViewport(VIEWPORT),
  ]);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await cdp.send("Page.bringToFront").catch(() => undefined);
  await cdp.send("Page.startScreencast", screencastSettings(VIEWPORT));
  const shown = await typist.waitUntil(() => typist.shown !== null, 15_000);
  if (!shown) {
    // A still page emits no screencast frame: nudge it once with a click.
    await page.mouse.click(640, 400);
    if (!(await typist.waitUntil(() => typist.shown !== null, 5_000)))
      throw new Error("floor: no frame showed the bench page");
  }
  await page.mouse.click(640, 400);
  return session;
}
