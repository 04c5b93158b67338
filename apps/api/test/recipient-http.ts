// A recipient's browser talking to the API over HTTP, the way the SPA does: tRPC over
// fetch with a cookie jar, and the stream WebSocket.
import { decodeFrame, type TServerMessage, ZServerMessage } from "@meterlink/shared/stream";
import WebSocket from "ws";

export class RecipientHttp {
  private cookies = new Map<string, string>();

  /** `fetcher`: another HTTP client (e.g. one bound to its own loopback source address). */
  constructor(
    readonly token: string,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  private remember(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = (pair ?? "").split("=");
      if (name) this.cookies.set(name.trim(), value.join("="));
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async query<T = unknown>(
    apiUrl: string,
    path: string,
    input: Record<string, unknown> = {},
  ): Promise<T> {
    const url = `${apiUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ token: this.token, ...input }))}`;
    return this.unwrap<T>(await this.fetcher(url, { headers: { cookie: this.cookieHeader() } }));
  }

  async mutate<T = unknown>(
    apiUrl: string,
    path: string,
    input: Record<string, unknown> = {},
  ): Promise<T> {
    const response = await this.fetcher(`${apiUrl}/trpc/${path}`, {
      method: "POST",
      headers: { cookie: this.cookieHeader(), "content-type": "application/json" },
      body: JSON.stringify({ token: this.token, ...input }),
    });
    return this.unwrap<T>(response);
  }

  private async unwrap<T>(response: Response): Promise<T> {
    this.remember(response);
    const body = (await response.json()) as {
      result?: { data: T };
      error?: { message: string; data?: { appCode?: string } };
    };
    if (body.error)
      throw Object.assign(new Error(body.error.message), { appCode: body.error.data?.appCode });
    return body.result?.data as T;
  }
}

export type TStreamClient = {
  messages: TServerMessage[];
  frames: number;
  closed: Promise<{ code: number; reason: string }>;
  waitFor(
    predicate: (message: TServerMessage) => boolean,
    timeoutMs?: number,
  ): Promise<TServerMessage>;
  waitForFrames(count: number, timeoutMs?: number): Promise<void>;
  socket: WebSocket;
};

export async function openStream(apiUrl: string, streamUrl: string): Promise<TStreamClient> {
  const socket = new WebSocket(`${apiUrl.replace(/^http/, "ws")}${streamUrl}`);
  const messages: TServerMessage[] = [];
  let frames = 0;
  const listeners = new Set<() => void>();
  socket.on("message", (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      const { header } = decodeFrame(new Uint8Array(data));
      frames++;
      socket.send(JSON.stringify({ type: "frameAck", frameId: header.frameId }));
    } else {
      messages.push(ZServerMessage.parse(JSON.parse(data.toString())));
    }
    for (const listener of listeners) listener();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_req, res) =>
      reject(new Error(`stream refused: ${res.statusCode}`)),
    );
    socket.once("error", reject);
  });
  const until = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve();
      };
      listeners.add(listener);
    });
  return {
    messages,
    get frames() {
      return frames;
    },
    closed,
    socket,
    async waitFor(predicate, timeoutMs = 10_000) {
      await until(() => messages.some(predicate), timeoutMs, "a stream message");
      const found = messages.find(predicate);
      if (!found) throw new Error("message vanished");
      return found;
    },
    waitForFrames: (count, timeoutMs = 10_000) =>
      until(() => frames >= count, timeoutMs, `${count} frames`),
  };
}
