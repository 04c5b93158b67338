// The stream under overload: while the pacer holds frames back, Chromium drops the
// pictures of further changes and, once acked, does not send the newest state by itself.
// Whatever the recipient typed last must still reach their screen.
import { decodeFrame } from "@meterlink/shared/stream";
import jpeg from "jpeg-js";
import type { Browser, CDPSession, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyEventParams } from "../src/input/keys";
import { PACE_LEVELS } from "../src/stream/pacer";
import { Screencast } from "../src/stream/screencast";
import { launchTestBrowser, until } from "./harness";

let browser: Browser;

beforeAll(async () => {
  browser = await launchTestBrowser();
});

afterAll(async () => {
  await browser?.close();
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

async function openPage(): Promise<{ page: Page; cdp: CDPSession }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 640, height: 400 });
  await page.setContent(KEY_COUNTER_PAGE);
  const cdp = await page.createCDPSession();
  await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true });
  return { page, cdp };
}

describe("screencast under the pacer's slowest level", () => {
  it("shows the last key typed while frames were held back", async () => {
    const { page, cdp } = await openPage();
    const frames: Uint8Array[] = [];
    let seq = 0;
    const screencast = new Screencast({
      client: {
        sendFrame: async (data) => {
          frames.push(data);
        },
      },
      viewport: { width: 640, height: 400, deviceScaleFactor: 1 },
      nextFrameId: (() => {
        let id = 0;
        return () => ++id;
      })(),
      lastSeq: () => seq,
      onSent: () => undefined,
      pacer: { limits: PACE_LEVELS[PACE_LEVELS.length - 1] ?? PACE_LEVELS[0] },
    });
    try {
      await screencast.attach(cdp);
      await until("a first frame", () => frames.length > 0);
      // Five keys well inside one hold (400 ms): Chromium keeps only a few pictures
      // while its frames are unacked, then drops the rest.
      const params = keyEventParams("a", "KeyA", undefined);
      for (let key = 1; key <= 5; key++) {
        await cdp.send("Input.dispatchKeyEvent", { ...params, type: "keyDown" });
        seq = key;
        screencast.inputDispatched();
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      const fifthKey = 5 * 40;
      const showsFifth = () => {
        const last = frames.at(-1);
        return last !== undefined && Math.abs(redAtCentre(last) - fifthKey) <= 12;
      };
      await until("a frame showing the fifth key", showsFifth, 5_000).catch(() => undefined);
      const reds = frames.map(redAtCentre);
      expect(
        Math.abs((reds.at(-1) ?? 0) - fifthKey),
        `red by frame: ${reds.join(", ")}`,
      ).toBeLessThanOrEqual(12);
    } finally {
      await screencast.detach();
      await page.browserContext().close();
    }
  });
});
