// A stream client as the recipient's page would drive it: JSON input messages with seq
// numbers over the real WebSocket, binary frames decoded with the shared helpers.
import {
  decodeFrame,
  type TClientMessageInput,
  type TFrameHeader,
  type TModifiers,
  type TServerMessage,
  ZServerMessage,
} from "@meterlink/shared/stream";
import WebSocket from "ws";

type TWithoutSeq<T> = T extends unknown ? Omit<T, "seq"> : never;

export type TReceivedFrame = { header: TFrameHeader; bytes: number; receivedAt: number };

export class TestClient {
  readonly ws: WebSocket;
  readonly messages: TServerMessage[] = [];
  readonly frames: TReceivedFrame[] = [];
  /** Text messages that were not valid server messages, and binary non-frames. */
  readonly invalid: unknown[] = [];
  /** Ack frames once decoded, as the web client does (end-to-end backpressure). */
  ackFrames = true;
  #seq = 0;
  #waiters = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data, isBinary) => {
      const buffer = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      if (isBinary) {
        try {
          const { header, jpeg } = decodeFrame(new Uint8Array(buffer));
          this.frames.push({ header, bytes: jpeg.byteLength, receivedAt: Date.now() });
          if (this.ackFrames) {
            ws.send(JSON.stringify({ type: "frameAck", frameId: header.frameId }));
          }
        } catch (error) {
          this.invalid.push(error);
        }
      } else {
        const parsed = ZServerMessage.safeParse(JSON.parse(buffer.toString("utf8")));
        if (parsed.success) this.messages.push(parsed.data);
        else this.invalid.push(buffer.toString("utf8"));
      }
      for (const wake of this.#waiters) wake();
    });
    ws.on("close", () => {
      for (const wake of this.#waiters) wake();
    });
  }

  static async connect(
    workerUrl: string,
    sessionId: string,
    token: string,
    options: { viaQuery?: boolean } = {},
  ): Promise<TestClient> {
    const base = workerUrl.replace(/^http/, "ws");
    const ws = options.viaQuery
      ? new WebSocket(`${base}/sessions/${sessionId}/stream?token=${encodeURIComponent(token)}`)
      : new WebSocket(`${base}/sessions/${sessionId}/stream`, {
          headers: { authorization: `Bearer ${token}` },
        });
    // Listen before "open" resolves: the worker speaks first ("ready", first frame).
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`stream refused: ${res.statusCode}`)),
      );
    });
    return client;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  send(message: TWithoutSeq<TClientMessageInput>): number {
    const seq = ++this.#seq;
    this.ws.send(JSON.stringify({ ...message, seq }));
    return seq;
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  click(x: number, y: number): void {
    this.send({ type: "mouse", action: "move", x, y, button: "none" });
    this.send({ type: "mouse", action: "down", x, y, button: "left" });
    this.send({ type: "mouse", action: "up", x, y, button: "left" });
  }

  press(key: string, code = key, modifiers?: TModifiers): void {
    this.send({ type: "key", action: "down", key, code, ...(modifiers ? { modifiers } : {}) });
    this.send({ type: "key", action: "up", key, code, ...(modifiers ? { modifiers } : {}) });
  }

  type(text: string): void {
    for (const char of text) {
      const code = /[a-z]/i.test(char)
        ? `Key${char.toUpperCase()}`
        : /\d/.test(char)
          ? `Digit${char}`
          : char === "-"
            ? "Minus"
            : char === "@"
              ? "Digit2"
              : char === "."
                ? "Period"
                : "";
      this.press(char, code);
    }
  }

  /** Resolves with the first message (already received or future) matching `match`. */
  async waitFor<T extends TServerMessage>(
    match: (message: TServerMessage) => message is T,
    timeoutMs?: number,
  ): Promise<T>;
  async waitFor(
    match: (message: TServerMessage) => boolean,
    timeoutMs?: number,
  ): Promise<TServerMessage>;
  async waitFor(
    match: (message: TServerMessage) => boolean,
    timeoutMs = 15_000,
  ): Promise<TServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`timed out; got ${JSON.stringify(this.messages.slice(-8))}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 100);
        this.#waiters.add(wake);
      });
    }
  }

  /** Waits until the page (url containing `path`) has finished loading. */
  async waitForPage(path: string, timeoutMs?: number): Promise<void> {
    await this.waitFor((m) => m.type === "page" && !m.loading && m.url.includes(path), timeoutMs);
  }

  async waitForOutcome(timeoutMs?: number) {
    const before = this.messages.length;
    return await this.waitFor(
      (m): m is Extract<TServerMessage, { type: "outcome" }> =>
        m.type === "outcome" && this.messages.indexOf(m) >= before,
      timeoutMs,
    );
  }

  async closed(timeoutMs = 10_000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("socket did not close")), timeoutMs);
      this.ws.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}
