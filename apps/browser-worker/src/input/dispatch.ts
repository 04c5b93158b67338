// Turns validated client input messages into CDP Input.* calls on the active page, in
// order. Calls are pipelined, not sent one after another's answer: Chromium answers an
// input call only once the page has handled the event, and on a busy worker that round
// trip outgrew the time between a typist's keys — each key waited for the one before, and
// the wait grew without bound (10 sessions typing: p95 3.4 s, against 1.4 s for the same
// keys sent straight through CDP). A session's CDP calls are carried and answered in
// order, so pipelining keeps the order of events. At most MAX_IN_FLIGHT messages are in
// flight; mouse moves waiting behind them are coalesced (only the newest is kept), so a
// fast pointer never builds a queue.
import type { TClientMessage } from "@meterlink/shared/stream";
import type { CDPSession } from "puppeteer-core";
import { keyEventParams, modifierMask } from "./keys";

export type TInputMessage = Extract<
  TClientMessage,
  { type: "mouse" | "wheel" | "key" | "insertText" | "composition" | "paste" | "touch" }
>;

const BUTTON_BIT = { none: 0, left: 1, right: 2, middle: 4 } as const;

/** Messages sent but not yet answered; beyond this, input waits (and moves coalesce). */
export const MAX_IN_FLIGHT = 8;

type TSend = (client: CDPSession) => Promise<unknown>;

export class InputDispatcher {
  #queue: TInputMessage[] = [];
  #inFlight = 0;
  /** Completions are reported in dispatch order: each waits for the one before. */
  #reported: Promise<void> = Promise.resolve();
  #buttons = 0;
  #getClient: () => CDPSession | null;
  #onDispatched: (message: TInputMessage) => void;
  #onError: (message: TInputMessage, error: unknown) => void;

  constructor(options: {
    getClient: () => CDPSession | null;
    onDispatched: (message: TInputMessage) => void;
    onError: (message: TInputMessage, error: unknown) => void;
  }) {
    this.#getClient = options.getClient;
    this.#onDispatched = options.onDispatched;
    this.#onError = options.onError;
  }

  push(message: TInputMessage): void {
    const last = this.#queue.at(-1);
    if (
      message.type === "mouse" &&
      message.action === "move" &&
      last?.type === "mouse" &&
      last.action === "move"
    ) {
      this.#queue[this.#queue.length - 1] = message;
    } else {
      this.#queue.push(message);
    }
    this.#pump();
  }

  clear(): void {
    this.#queue = [];
  }

  /** Messages sent and not yet answered (for tests and metrics). */
  get inFlight(): number {
    return this.#inFlight;
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT) {
      const next = this.#queue.shift();
      if (!next) return;
      const client = this.#getClient();
      if (!client) {
        this.#queue = [];
        return;
      }
      this.#inFlight++;
      // Every call of the message is written now, in order; the outcome is caught at
      // once so that a refused call is never an unhandled rejection while it waits its turn.
      const outcome = Promise.all(this.#calls(next).map((send) => send(client))).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      this.#reported = this.#reported
        .then(() => outcome)
        .then((result) => {
          if (result.ok) this.#onDispatched(next);
          else this.#onError(next, result.error);
        })
        .catch(() => undefined)
        .finally(() => {
          this.#inFlight--;
          this.#pump();
        });
    }
  }

  /** The CDP calls one message becomes, in order (the button state follows at once). */
  #calls(message: TInputMessage): TSend[] {
    switch (message.type) {
      case "mouse": {
        const modifiers = modifierMask(message.modifiers);
        const base = { x: message.x, y: message.y, modifiers };
        const bit = BUTTON_BIT[message.button];
        if (message.action === "move") {
          const buttons = this.#buttons;
          return [
            (client) =>
              client.send("Input.dispatchMouseEvent", {
                ...base,
                type: "mouseMoved",
                button: buttons ? message.button : "none",
                buttons,
              }),
          ];
        }
        const press = (): TSend => {
          this.#buttons |= bit;
          const buttons = this.#buttons;
          return (client) =>
            client.send("Input.dispatchMouseEvent", {
              ...base,
              type: "mousePressed",
              button: message.button,
              buttons,
              clickCount: message.clickCount,
            });
        };
        const release = (): TSend => {
          this.#buttons &= ~bit;
          const buttons = this.#buttons;
          return (client) =>
            client.send("Input.dispatchMouseEvent", {
              ...base,
              type: "mouseReleased",
              button: message.button,
              buttons,
              clickCount: message.clickCount,
            });
        };
        if (message.action === "down") return [press()];
        if (message.action === "up") return [release()];
        return [
          (client) => client.send("Input.dispatchMouseEvent", { ...base, type: "mouseMoved" }),
          press(),
          release(),
        ];
      }
      case "wheel":
        return [
          (client) =>
            client.send("Input.dispatchMouseEvent", {
              type: "mouseWheel",
              x: message.x,
              y: message.y,
              deltaX: message.deltaX,
              deltaY: message.deltaY,
              modifiers: modifierMask(message.modifiers),
            }),
        ];
      case "key": {
        const params = keyEventParams(message.key, message.code, message.modifiers);
        const modifiers = modifierMask(message.modifiers);
        if (message.action === "down") {
          return [
            (client) =>
              client.send("Input.dispatchKeyEvent", {
                ...params,
                type: params.text ? "keyDown" : "rawKeyDown",
                modifiers,
                autoRepeat: message.repeat ?? false,
              }),
          ];
        }
        const { text: _text, unmodifiedText: _unmodified, ...rest } = params;
        return [
          (client) => client.send("Input.dispatchKeyEvent", { ...rest, type: "keyUp", modifiers }),
        ];
      }
      case "insertText":
      case "paste":
        // Paste arrives as text (the client's clipboard never reaches the worker as a
        // clipboard); inserting it fires the same beforeinput/input events typing does.
        return message.text
          ? [(client) => client.send("Input.insertText", { text: message.text })]
          : [];
      case "composition":
        if (message.action === "update") {
          return [
            (client) =>
              client.send("Input.imeSetComposition", {
                text: message.text,
                selectionStart: message.text.length,
                selectionEnd: message.text.length,
              }),
          ];
        }
        if (message.action === "commit") {
          return [(client) => client.send("Input.insertText", { text: message.text })];
        }
        return [
          (client) =>
            client.send("Input.imeSetComposition", {
              text: "",
              selectionStart: 0,
              selectionEnd: 0,
            }),
        ];
      case "touch":
        if (message.action === "tap") {
          return [
            (client) =>
              client.send("Input.dispatchTouchEvent", {
                type: "touchStart",
                touchPoints: [{ x: message.x, y: message.y }],
              }),
            (client) =>
              client.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] }),
          ];
        }
        // A finger drag scrolls the content the opposite way of the finger's movement.
        return [
          (client) =>
            client.send("Input.dispatchMouseEvent", {
              type: "mouseWheel",
              x: message.x,
              y: message.y,
              deltaX: -message.deltaX,
              deltaY: -message.deltaY,
            }),
        ];
    }
  }
}
