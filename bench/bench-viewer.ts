// A recipient's page reduced to what the benchmark needs: the stream WebSocket, binary
// frames read (painted counter) and acked as the SPA acks them, and key input with `seq`.
// The same client connects through the API relay or straight to a worker.

import { writeFileSync } from "node:fs";
import { decodeFrame, type TClientMessageInput } from "@meterlink/shared/stream";
import WebSocket from "ws";
import { readCount } from "./page";
import { Typist } from "./typist";

const FAILED_FRAME = "/tmp/meterlink-bench-unreadable-frame.jpg";

export class BenchViewer {
  readonly typist = new Typist();
  frames = 0;
  bytes = 0;
  openedAt = 0;
  firstFrameAt: number | null = null;
  firstPageFrameAt: number | null = null;
  lastJpeg: Uint8Array | null = null;
  /** The page showed nothing for 3 s and had to be clicked. */
  nudged = false;
  messages: string[] = [];
  private seq = 0;
  private closed = false;

  private constructor(private readonly socket: WebSocket) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<BenchViewer> {
    const socket = new WebSocket(url, { perMessageDeflate: false, headers });
    const client = new BenchViewer(socket);
    socket.binaryType = "nodebuffer";
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) client.onFrame(data);
      else client.messages.push(data.toString().slice(0, 300));
    });
    socket.on("close", () => {
      client.closed = true;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("unexpected-response", (_req, res) =>
        reject(new Error(`stream refused: ${res.statusCode}`)),
      );
      socket.once("error", reject);
    });
    client.openedAt = performance.now();
    return client;
  }

  private onFrame(data: Buffer): void {
    const arrivedAt = performance.now();
    this.frames++;
    this.bytes += data.byteLength;
    this.firstFrameAt ??= arrivedAt;
    const { header, jpeg } = decodeFrame(data);
    this.lastJpeg = jpeg;
    // lastInputSeq only narrows the search: a frame captured before the oldest pending
    // key was dispatched cannot show it, so its picture is not read. A frame captured
    // after may still not show it (dispatched is not painted): the picture decides.
    const oldest = this.typist.oldestPendingSeq;
    const mayShow =
      this.typist.shown === null ||
      (this.typist.waiting &&
        (oldest === null || (header.lastInputSeq !== null && header.lastInputSeq >= oldest)));
    if (mayShow) {
      const count = readCount(jpeg);
      if (count !== null) this.firstPageFrameAt ??= arrivedAt;
      this.typist.onCount(count, arrivedAt);
    }
    this.send({ type: "frameAck", frameId: header.frameId });
  }

  send(message: TClientMessageInput): void {
    if (!this.closed) this.socket.send(JSON.stringify(message));
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Clicks into the textarea (focus) at `click`, then waits until a frame shows the bench page. */
  async ready(timeoutMs = 15_000, click = { x: 640, y: 400 }): Promise<void> {
    let shown = await this.typist.waitUntil(() => this.typist.shown !== null, 3_000);
    if (!shown) {
      // The worker sends nothing while a page is still and its seed screenshot failed; a
      // person would click into the page by now, which repaints it (caret). Counted in
      // the time to first frame, as the person would have waited that long.
      this.nudged = true;
      this.send({ type: "mouse", seq: this.nextSeq(), action: "click", ...click });
      shown = await this.typist.waitUntil(() => this.typist.shown !== null, timeoutMs);
    }
    if (!shown) {
      if (this.lastJpeg) writeFileSync(FAILED_FRAME, this.lastJpeg);
      throw new Error(
        `no frame showed the bench page (${this.frames} frames${this.lastJpeg ? `, last one in ${FAILED_FRAME}` : ""}; messages: ${this.messages.join(" ")})`,
      );
    }
    this.send({ type: "mouse", seq: this.nextSeq(), action: "click", ...click });
  }

  /** Sends one key press; returns the seq of its keydown. */
  pressKey(): number {
    const seq = this.nextSeq();
    this.send({ type: "key", seq, action: "down", key: "a", code: "KeyA" });
    this.send({ type: "key", seq: this.nextSeq(), action: "up", key: "a", code: "KeyA" });
    return seq;
  }

  close(): void {
    this.closed = true;
    this.socket.terminate();
  }
}
