// Where the remote page's focused text field is, for the recipient's page: a phone puts
// its hidden input (the one the on-screen keyboard types into) over that box, so the
// browser keeps the field in view when the keyboard opens. Looked up after input and
// loads (never polled per frame), sent only when it changed. After a resize (the keyboard
// shrank the stage) the field is first scrolled into the smaller viewport.
import type { TFocusBox } from "@meterlink/shared/stream";
import type { CDPSession } from "puppeteer-core";

/** Settles a burst of input (typing, a drag) into one lookup. */
const SETTLE_MS = 120;

/**
 * Page-side lookup: the focused editable element, through open shadow roots and
 * same-origin iframes, as a box in the top document's viewport. `reveal` scrolls it into
 * view first. A plain JS string so no transpiler helper reaches the page.
 */
export function focusExpression(reveal: boolean): string {
  return `(() => {
  let doc = document, dx = 0, dy = 0, el = document.activeElement;
  for (let depth = 0; el && depth < 8; depth++) {
    if (el.shadowRoot && el.shadowRoot.activeElement) { el = el.shadowRoot.activeElement; continue; }
    if (el.tagName === "IFRAME" || el.tagName === "FRAME") {
      let inner = null;
      try { inner = el.contentDocument; } catch (e) {}
      if (!inner || !inner.activeElement) return null;
      const frameBox = el.getBoundingClientRect();
      dx += frameBox.left + el.clientLeft; dy += frameBox.top + el.clientTop;
      doc = inner; el = inner.activeElement; continue;
    }
    break;
  }
  if (!el || el === doc.body || el === doc.documentElement) return null;
  const SKIP = { button: 1, submit: 1, reset: 1, checkbox: 1, radio: 1, file: 1, image: 1, range: 1, color: 1, hidden: 1 };
  const editable = el.isContentEditable || el.tagName === "TEXTAREA" ||
    (el.tagName === "INPUT" && !SKIP[(el.type || "text").toLowerCase()]);
  if (!editable) return null;
  if (${reveal ? "true" : "false"}) { try { el.scrollIntoView({ block: "nearest", inline: "nearest" }); } catch (e) {} }
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return null;
  return { x: box.left + dx, y: box.top + dy, width: box.width, height: box.height };
})()`;
}

const sameBox = (a: TFocusBox | null, b: TFocusBox | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    Math.round(a.x) === Math.round(b.x) &&
    Math.round(a.y) === Math.round(b.y) &&
    Math.round(a.width) === Math.round(b.width) &&
    Math.round(a.height) === Math.round(b.height));

export class FocusTracker {
  #cdp: () => CDPSession | null;
  #publish: (box: TFocusBox | null) => void;
  #timer: NodeJS.Timeout | undefined;
  #reveal = false;
  #sent: TFocusBox | null | undefined;

  constructor(options: {
    cdp: () => CDPSession | null;
    publish: (box: TFocusBox | null) => void;
  }) {
    this.#cdp = options.cdp;
    this.#publish = options.publish;
  }

  /** Looks again shortly; `reveal`: scroll the field into view first (after a resize). */
  poke(reveal = false): void {
    this.#reveal ||= reveal;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#look();
    }, SETTLE_MS);
  }

  /** A new viewer gets the current box even if it did not change. */
  resend(): void {
    this.#sent = undefined;
    this.poke();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #look(): Promise<void> {
    const cdp = this.#cdp();
    if (!cdp) return;
    const reveal = this.#reveal;
    this.#reveal = false;
    let box: TFocusBox | null = null;
    try {
      const result = await cdp.send("Runtime.evaluate", {
        expression: focusExpression(reveal),
        returnByValue: true,
      });
      const value = result.result.value as TFocusBox | null | undefined;
      box = value && typeof value.x === "number" ? value : null;
    } catch {
      return; // mid-navigation: the next load or input looks again
    }
    if (this.#sent !== undefined && sameBox(this.#sent, box)) return;
    this.#sent = box;
    this.#publish(box);
  }
}
