// Turns validated client input messages into CDP Input.* calls on the active page, one
// at a time and in order. Mouse moves are coalesced: while a dispatch is in flight only
// the newest pending move is kept, so a fast pointer never builds a queue.
import type { TClientMessage } from "@meterlink/shared/stream";
import type { CDPSession } from "puppeteer-core";
import { keyEventParams, modifierMask } from "./keys";

export type TInputMessage = Extract<
  TClientMessage,
  { type: "mouse" | "wheel" | "key" | "insertText" | "composition" | "paste" | "touch" }
>;

const BUTTON_BIT = { none: 0, left: 1, right: 2, middle: 4 } as const;

export class InputDispatcher {
  #queue: TInputMessage[] = [];
  #running = false;
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
    if (!this.#running) void this.#drain();
  }

  clear(): void {
    this.#queue = [];
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        const client = this.#getClient();
        if (!client) {
          this.#queue = [];
          return;
        }
        try {
          await this.#dispatch(client, next);
          this.#onDispatched(next);
        } catch (error) {
          this.#onError(next, error);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #dispatch(client: CDPSession, message: TInputMessage): Promise<void> {
    switch (message.type) {
      case "mouse": {
        const modifiers = modifierMask(message.modifiers);
        const base = { x: message.x, y: message.y, modifiers };
        const bit = BUTTON_BIT[message.button];
        if (message.action === "move") {
          await client.send("Input.dispatchMouseEvent", {
            ...base,
            type: "mouseMoved",
            button: this.#buttons ? message.button : "none",
            buttons: this.#buttons,
          });
          return;
        }
        const press = async () => {
          this.#buttons |= bit;
          await client.send("Input.dispatchMouseEvent", {
            ...base,
            type: "mousePressed",
            button: message.button,
            buttons: this.#buttons,
            clickCount: message.clickCount,
          });
        };
        const release = async () => {
          this.#buttons &= ~bit;
          await client.send("Input.dispatchMouseEvent", {
            ...base,
            type: "mouseReleased",
            button: message.button,
            buttons: this.#buttons,
            clickCount: message.clickCount,
          });
        };
        if (message.action === "down") await press();
        else if (message.action === "up") await release();
        else {
          await client.send("Input.dispatchMouseEvent", { ...base, type: "mouseMoved" });
          await press();
          await release();
        }
        return;
      }
      case "wheel":
        await client.send("Input.dispatchMouseEvent", {
          type: "mouseWheel",
          x: message.x,
          y: message.y,
          deltaX: message.deltaX,
          deltaY: message.deltaY,
          modifiers: modifierMask(message.modifiers),
        });
        return;
      case "key": {
        const params = keyEventParams(message.key, message.code, message.modifiers);
        const modifiers = modifierMask(message.modifiers);
        if (message.action === "down") {
          await client.send("Input.dispatchKeyEvent", {
            ...params,
            type: params.text ? "keyDown" : "rawKeyDown",
            modifiers,
            autoRepeat: message.repeat ?? false,
          });
        } else {
          const { text: _text, unmodifiedText: _unmodified, ...rest } = params;
          await client.send("Input.dispatchKeyEvent", { ...rest, type: "keyUp", modifiers });
        }
        return;
      }
      case "insertText":
      case "paste":
        // Paste arrives as text (the client's clipboard never reaches the worker as a
        // clipboard); inserting it fires the same beforeinput/input events typing does.
        if (message.text) await client.send("Input.insertText", { text: message.text });
        return;
      case "composition":
        if (message.action === "update") {
          await client.send("Input.imeSetComposition", {
            text: message.text,
            selectionStart: message.text.length,
            selectionEnd: message.text.length,
          });
        } else if (message.action === "commit") {
          await client.send("Input.insertText", { text: message.text });
        } else {
          await client.send("Input.imeSetComposition", {
            text: "",
            selectionStart: 0,
            selectionEnd: 0,
          });
        }
        return;
      case "touch":
        if (message.action === "tap") {
          await client.send("Input.dispatchTouchEvent", {
            type: "touchStart",
            touchPoints: [{ x: message.x, y: message.y }],
          });
          await client.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
        } else {
          // A finger drag scrolls the content the opposite way of the finger's movement.
          await client.send("Input.dispatchMouseEvent", {
            type: "mouseWheel",
            x: message.x,
            y: message.y,
            deltaX: -message.deltaX,
            deltaY: -message.deltaY,
          });
        }
        return;
    }
  }
}
