// The worker's end of one viewer's stream socket (the API relay, or a test). Frames are sent as binary
// messages; `sendFrame` resolves only once the socket has drained, which is when the
// screencast frame gets acked, so a slow client holds back Chromium instead of queueing.
import type { TServerMessage } from "@meterlink/shared/stream";
import WebSocket from "ws";

export class ViewerSocket {
  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendJson(message: TServerMessage): void {
    if (this.open) this.ws.send(JSON.stringify(message));
  }

  /** Resolves once the frame and everything before it left the process (or the socket died). */
  sendFrame(data: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      if (!this.open) {
        resolve();
        return;
      }
      this.ws.send(data, { binary: true }, () => {
        void this.#waitDrained().then(resolve);
      });
    });
  }

  async #waitDrained(): Promise<void> {
    // The send callback means "written to the socket"; other messages may still be
    // buffered behind it. Poll briefly until nothing is left, bounded by the socket life.
    while (this.open && this.ws.bufferedAmount > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }
}
