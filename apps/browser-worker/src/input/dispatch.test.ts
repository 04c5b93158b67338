// Input reaches the page in order without each event waiting for the previous one's
// answer (a busy page answers slowly; a typist's keys must not queue behind that).
import { ZClientMessage } from "@meterlink/shared/stream";
import type { CDPSession } from "puppeteer-core";
import { describe, expect, it } from "vitest";
import { InputDispatcher, MAX_IN_FLIGHT, type TInputMessage } from "./dispatch";

/** A CDP session whose answers the test releases one by one, oldest first. */
function slowPage() {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const answers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const cdp = {
    send(method: string, params: Record<string, unknown>) {
      calls.push({ method, params });
      return new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
    },
  } as unknown as CDPSession;
  return {
    cdp,
    calls,
    answerNext: async (error?: Error) => {
      const next = answers.shift();
      if (error) next?.reject(error);
      else next?.resolve();
      // Let the dispatcher's continuations run.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const key = (seq: number, action: "down" | "up", key = "a"): TInputMessage =>
  ZClientMessage.parse({ type: "key", seq, action, key, code: "KeyA" }) as TInputMessage;
const move = (seq: number, x: number): TInputMessage =>
  ZClientMessage.parse({ type: "mouse", seq, action: "move", x, y: 10 }) as TInputMessage;

function dispatcherOn(cdp: CDPSession) {
  const dispatched: number[] = [];
  const failed: number[] = [];
  const dispatcher = new InputDispatcher({
    getClient: () => cdp,
    onDispatched: (message) => dispatched.push(message.seq),
    onError: (message) => failed.push(message.seq),
  });
  return { dispatcher, dispatched, failed };
}

describe("InputDispatcher", () => {
  it("sends the next key before the page has answered the previous one, in order", async () => {
    const page = slowPage();
    const { dispatcher, dispatched } = dispatcherOn(page.cdp);
    dispatcher.push(key(1, "down"));
    dispatcher.push(key(2, "up"));
    dispatcher.push(key(3, "down", "b"));
    expect(page.calls.map((c) => [c.params.type, c.params.key])).toEqual([
      ["keyDown", "a"],
      ["keyUp", "a"],
      ["keyDown", "b"],
    ]);
    expect(dispatched).toEqual([]);
    await page.answerNext();
    await page.answerNext();
    await page.answerNext();
    expect(dispatched).toEqual([1, 2, 3]);
  });

  it("reports a refused event and goes on with the next", async () => {
    const page = slowPage();
    const { dispatcher, dispatched, failed } = dispatcherOn(page.cdp);
    dispatcher.push(key(1, "down"));
    dispatcher.push(key(2, "up"));
    await page.answerNext(new Error("Target closed"));
    await page.answerNext();
    expect(failed).toEqual([1]);
    expect(dispatched).toEqual([2]);
  });

  it("holds at most MAX_IN_FLIGHT unanswered, coalescing the pointer moves waiting behind", async () => {
    const page = slowPage();
    const { dispatcher, dispatched } = dispatcherOn(page.cdp);
    for (let seq = 1; seq <= MAX_IN_FLIGHT; seq++) dispatcher.push(key(seq, "down"));
    for (let x = 1; x <= 50; x++) dispatcher.push(move(MAX_IN_FLIGHT + x, x));
    expect(page.calls).toHaveLength(MAX_IN_FLIGHT);
    expect(dispatcher.inFlight).toBe(MAX_IN_FLIGHT);
    for (let i = 0; i < MAX_IN_FLIGHT; i++) await page.answerNext();
    // One move, the newest, after the keys.
    expect(page.calls).toHaveLength(MAX_IN_FLIGHT + 1);
    expect(page.calls.at(-1)?.params).toMatchObject({ type: "mouseMoved", x: 50 });
    await page.answerNext();
    expect(dispatched.at(-1)).toBe(MAX_IN_FLIGHT + 50);
  });
});
