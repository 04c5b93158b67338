// The stream under overload: while the pacer holds frames back, Chromium drops the
// pictures of further changes and, once acked, does not send the newest state by itself.
// Whatever the recipient typed last must still reach their screen.
import { decodeFrame } from "@meterlink/shared/stream";
import jpeg from "jpeg-js";
import type { Browser, CDPSession, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADLESS_SHELL_PATH } from "../src/env";
import { keyEventParams } from "../src/input/keys";
import { launchBrowser, usesBeginFrames } from "../src/session/browser";
import { newTab } from "../src/session/context";
import { BeginFrameDriver, BeginFrameStream } from "../src/stream/begin-frames";
import { PACE_LEVELS } from "../src/stream/pacer";
import { Screencast } from "../src/stream/screencast";
import { launchTestBrowser, until } from "./harness";

let browser: Browser;
/** chromium-headless-shell, whose tabs render on begin frames (the scripts install it). */
let shell: Browser;

beforeAll(async () => {
  [browser, shell] = await Promise.all([launchTestBrowser(), launchBrowser(HEADLESS_SHELL_PATH)]);
});

afterAll(async () => {
  await browser?.close();
  await shell?.close();
});

/** Each key makes the whole page redder by 40 (no caret: nothing else ever repaints). */
const KEY_COUNTER_PAGE = `<!doctype html><html><body style="margin:0;height:100vh;background:rgb(0,0,0)">
<script>
  let keys = 0;
  document.addEventListener("keydown", () => {
    keys += 1;
    document.body.style.background = "rgb(" + keys * 40 + ",0,0)";
  });
</script></body></html>`;

/** Red channel at the middle of a streamed frame. */
function redAtCentre(data: Uint8Array): number {
  const image = jpeg.decode(decodeFrame(data).jpeg, { useTArray: true });
  const offset = (Math.floor(image.height / 2) * image.width + Math.floor(image.width / 2)) * 4;
  return image.data[offset] ?? -1;
}

async function openPage(on: Browser): Promise<{ page: Page; cdp: CDPSession }> {
  const context = await on.createBrowserContext();
  const page = await newTab(on, context);
  await page.setViewport({ width: 640, height: 400 });
  await page.setContent(KEY_COUNTER_PAGE);
  const cdp = await page.createCDPSession();
  await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true });
  return { page, cdp };
}

/** Five keys well inside one hold (400 ms), then what the stream shows in the end. */
async function typeFiveKeysUnderTheSlowestLevel(
  cdp: CDPSession,
  stream: { inputDispatched(): void },
  frames: Uint8Array[],
  setSeq: (seq: number) => void,
): Promise<number[]> {
  await until("a first frame", () => frames.length > 0);
  const params = keyEventParams("a", "KeyA", undefined);
  for (let key = 1; key <= 5; key++) {
    await cdp.send("Input.dispatchKeyEvent", { ...params, type: "keyDown" });
    setSeq(key);
    stream.inputDispatched();
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const showsFifth = () => {
    const last = frames.at(-1);
    return last !== undefined && Math.abs(redAtCentre(last) - FIFTH_KEY) <= 12;
  };
  await until("a frame showing the fifth key", showsFifth, 5_000).catch(() => undefined);
  return frames.map(redAtCentre);
}

const FIFTH_KEY = 5 * 40;
const SLOWEST = PACE_LEVELS[PACE_LEVELS.length - 1] ?? PACE_LEVELS[0];

function streamOptions(frames: Uint8Array[], seq: () => number) {
  let id = 0;
  return {
    client: {
      sendFrame: async (data: Uint8Array) => {
        frames.push(data);
      },
    },
    viewport: { width: 640, height: 400, deviceScaleFactor: 1 },
    nextFrameId: () => ++id,
    lastSeq: seq,
    onSent: () => undefined,
    pacer: { limits: SLOWEST },
  };
}

describe("the stream under the pacer's slowest level", () => {
  it("screencast: shows the last key typed while frames were held back", async (test) => {
    // A begin-frame browser streams its tabs without a screencast (the next test).
    if (usesBeginFrames(browser)) test.skip();
    const { page, cdp } = await openPage(browser);
    const frames: Uint8Array[] = [];
    let seq = 0;
    const screencast = new Screencast(streamOptions(frames, () => seq));
    try {
      await screencast.attach(cdp);
      // Chromium keeps only a few pictures while its frames are unacked, then drops the rest.
      const reds = await typeFiveKeysUnderTheSlowestLevel(cdp, screencast, frames, (key) => {
        seq = key;
      });
      expect(
        Math.abs((reds.at(-1) ?? 0) - FIFTH_KEY),
        `red by frame: ${reds.join(", ")}`,
      ).toBeLessThanOrEqual(12);
    } finally {
      await screencast.detach();
      await page.browserContext().close();
    }
  });

  it("begin frames (headless shell): shows the last key, and paints nothing more once still", async () => {
    const { page, cdp } = await openPage(shell);
    const frames: Uint8Array[] = [];
    let seq = 0;
    // The tab's own driver, as the worker gives every begin-frame tab.
    const tab = new BeginFrameDriver(shell, cdp);
    const stream = new BeginFrameStream({ ...streamOptions(frames, () => seq), driver: tab });
    try {
      await stream.attach(cdp);
      const reds = await typeFiveKeysUnderTheSlowestLevel(cdp, stream, frames, (key) => {
        seq = key;
      });
      expect(
        Math.abs((reds.at(-1) ?? 0) - FIFTH_KEY),
        `red by frame: ${reds.join(", ")}`,
      ).toBeLessThanOrEqual(12);
      // Still page: after the settle picture, not one frame more.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const still = frames.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(frames.length - still).toBe(0);
    } finally {
      await stream.detach();
      tab.close();
      await page.browserContext().close();
    }
  });
});
