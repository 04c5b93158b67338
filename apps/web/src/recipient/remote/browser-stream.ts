// The recipient page's end of one live stream to a remote browser session. Owns the
// WebSocket, reconnects to the same session with backoff when the socket drops (a phone
// switching networks, a relay restart) but never after a close code that says the
// session is over (STREAM_CLOSE), decodes binary frames off the main thread with createImageBitmap, and acks
// every frame so the worker's backpressure window keeps moving. Only the newest frame
// is decoded: a slow device skips frames instead of falling behind.
import {
  decodeFrame,
  STREAM_CLOSE,
  type TClientMessageInput,
  type TFrameHeader,
  type TServerMessage,
  ZServerMessage,
} from "@meterlink/shared/stream";

export type TStreamStatus = "connecting" | "live" | "reconnecting" | "ended";
/** Why a stream ended: the session ended, another window took it, its worker died, or it is gone. */
export type TStreamEnd = "ended" | "replaced" | "worker_lost" | "gone";

type TInput = TClientMessageInput extends infer M
  ? M extends { seq: number }
    ? Omit<M, "seq">
    : M
  : never;

export type TStreamHandlers = {
  onFrame(header: TFrameHeader, bitmap: ImageBitmap): void;
  onMessage(message: TServerMessage): void;
  onStatus(status: TStreamStatus, end?: TStreamEnd): void;
};

function endOfClose(code: number): TStreamEnd | null {
  if (code === STREAM_CLOSE.ENDED) return "ended";
  if (code === STREAM_CLOSE.REPLACED) return "replaced";
  if (code === STREAM_CLOSE.WORKER_LOST) return "worker_lost";
  return null;
}

const BACKOFF_MS = [400, 1000, 2000, 4000, 8000, 8000];

export function toWebSocketUrl(streamUrl: string, base: string): string {
  const url = new URL(streamUrl, base);
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  return url.toString();
}

export class BrowserStream {
  #url: string;
  #handlers: TStreamHandlers;
  #socket: WebSocket | null = null;
  #seq = 0;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  #ended = false;
  #decoding = false;
  #pending: ArrayBuffer | null = null;
  status: TStreamStatus = "connecting";

  #refreshUrl: (() => Promise<string | null>) | undefined;

  /** `refreshUrl` gives a fresh URL for each reconnect (stream tickets are single-use). */
  constructor(url: string, handlers: TStreamHandlers, refreshUrl?: () => Promise<string | null>) {
    this.#url = url;
    this.#handlers = handlers;
    this.#refreshUrl = refreshUrl;
    this.#connect();
  }

  /** Sends an input message; returns false while the socket is not open (input is dropped, never queued: stale clicks are worse than none). */
  send(message: TInput): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    const withSeq = message.type === "frameAck" ? message : { ...message, seq: ++this.#seq };
    socket.send(JSON.stringify(withSeq));
    return true;
  }

  close(): void {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, "client closed");
    this.#socket = null;
  }

  #setStatus(status: TStreamStatus, end?: TStreamEnd): void {
    if (this.status === status) return;
    this.status = status;
    this.#handlers.onStatus(status, end);
  }

  #end(end: TStreamEnd): void {
    this.#ended = true;
    this.#setStatus("ended", end);
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    socket.binaryType = "arraybuffer";
    this.#socket = socket;
    socket.onmessage = (event) => {
      if (event.data instanceof ArrayBuffer) {
        this.#onBinary(event.data);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const message = ZServerMessage.safeParse(parsed);
      if (!message.success) return;
      if (message.data.type === "ready") {
        this.#attempt = 0;
        this.#setStatus("live");
      }
      if (message.data.type === "ended") this.#end("ended");
      this.#handlers.onMessage(message.data);
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#closed || this.#ended) return;
      const end = endOfClose(event.code);
      if (end) {
        this.#end(end);
        return;
      }
      const delay = BACKOFF_MS[this.#attempt];
      if (delay === undefined) {
        this.#end("gone");
        return;
      }
      this.#attempt += 1;
      this.#setStatus("reconnecting");
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null;
        void this.#reconnect();
      }, delay);
    };
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    if (this.#refreshUrl) {
      const fresh = await this.#refreshUrl().catch(() => null);
      if (this.#closed) return;
      if (!fresh) {
        // The session is gone for good (ended server-side): say so instead of retrying.
        this.#end("gone");
        return;
      }
      this.#url = fresh;
    }
    this.#connect();
  }

  #onBinary(data: ArrayBuffer): void {
    if (this.#decoding) {
      // Drop the older pending frame, but still ack it so the window moves on.
      if (this.#pending) this.#ack(this.#pending);
      this.#pending = data;
      return;
    }
    void this.#decode(data);
  }

  #ack(data: ArrayBuffer): void {
    try {
      this.send({ type: "frameAck", frameId: decodeFrame(data).header.frameId });
    } catch {
      // Not a frame: nothing to ack.
    }
  }

  async #decode(data: ArrayBuffer): Promise<void> {
    this.#decoding = true;
    try {
      const { header, jpeg } = decodeFrame(data);
      const bitmap = await createImageBitmap(new Blob([jpeg as BlobPart], { type: "image/jpeg" }));
      if (this.#closed) {
        bitmap.close();
        return;
      }
      this.#handlers.onFrame(header, bitmap);
      this.send({ type: "frameAck", frameId: header.frameId });
    } catch {
      // A corrupt frame is skipped; the next one repaints everything.
    } finally {
      this.#decoding = false;
      const next = this.#pending;
      this.#pending = null;
      if (next && !this.#closed) void this.#decode(next);
    }
  }
}
