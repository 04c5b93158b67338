// `/stream/{loginSessionId}?ticket=…`: the recipient's WebSocket, relayed by whichever
// API replica receives it to the worker that holds the browser. Recipients only ever
// talk to the API origin. Backpressure is end to end: the client acks frames (the worker
// keeps a small window), and the relay stops reading from the worker while the
// recipient's socket is backed up, so TCP pushes back instead of memory filling.
// The relay only carries bytes: the session's lifecycle is the worker's and sessions.ts'
// business; the one thing the relay alone can see, a worker connection dying, it hands
// to sessions.ts and tells the recipient with STREAM_CLOSE.WORKER_LOST.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { loginSession, type TDb, worker } from "@meterlink/db";
import { STREAM_CLOSE } from "@meterlink/shared/stream";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { endLoginSession } from "../services/fleet/sessions";
import { redeemStreamTicket } from "../services/fleet/tickets";
import { workerStreamUrl } from "../services/fleet/worker-client";

const PATH = /^\/stream\/([0-9a-f-]{36})$/;
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

function refuse(socket: Duplex, status: number, message: string) {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function registerStreamRelay(
  app: FastifyInstance,
  deps: { db: TDb; fleetToken: string; log: Logger },
) {
  const server = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  const upstreams = new Set<WebSocket>();
  // While this replica shuts down it cuts its upstreams itself: that is no lost worker.
  let closing = false;

  app.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://relay");
    const match = PATH.exec(url.pathname);
    if (!match?.[1]) return refuse(socket, 404, "Not Found");
    const loginSessionId = match[1];
    void (async () => {
      const ticket = url.searchParams.get("ticket") ?? "";
      if (!(await redeemStreamTicket(deps.db, loginSessionId, ticket))) {
        return refuse(socket, 401, "Unauthorized");
      }
      const [row] = await deps.db
        .select({ endedAt: loginSession.endedAt, workerUrl: worker.url })
        .from(loginSession)
        .innerJoin(worker, eq(worker.id, loginSession.workerId))
        .where(eq(loginSession.id, loginSessionId));
      if (!row || row.endedAt) return refuse(socket, 410, "Gone");
      const upstream = new WebSocket(workerStreamUrl(row.workerUrl, loginSessionId), {
        headers: { authorization: `Bearer ${deps.fleetToken}` },
      });
      upstream.once("error", () => {
        if (upstream.readyState !== WebSocket.OPEN) refuse(socket, 502, "Bad Gateway");
      });
      upstream.once("open", () => {
        upstreams.add(upstream);
        server.handleUpgrade(req, socket, head, (client) => pipe(client, upstream, loginSessionId));
      });
    })().catch((error: unknown) => {
      deps.log.error({ err: error }, "stream relay failed");
      refuse(socket, 500, "Internal Server Error");
    });
  });

  function pipe(client: WebSocket, upstream: WebSocket, loginSessionId: string) {
    let paused = false;
    upstream.on("message", (data: RawData, isBinary: boolean) => {
      if (client.readyState !== WebSocket.OPEN) return;
      client.send(data, { binary: isBinary }, () => {
        if (paused && client.bufferedAmount < LOW_WATER) {
          paused = false;
          upstream.resume();
        }
      });
      if (!paused && client.bufferedAmount > HIGH_WATER) {
        paused = true;
        upstream.pause();
      }
    });
    client.on("message", (data: RawData, isBinary: boolean) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
    });
    upstream.on("close", (code: number, reason: Buffer) => {
      upstreams.delete(upstream);
      // 1006: the worker vanished (killed, network). Tell the recipient at once.
      if (code === 1006 && !closing) {
        endLoginSession(deps.db, loginSessionId, "worker_lost").catch((error: unknown) =>
          deps.log.error({ err: error }, "could not record a lost worker"),
        );
        client.close(STREAM_CLOSE.WORKER_LOST, "The remote browser stopped. Start again.");
      } else if (client.readyState === WebSocket.OPEN) {
        client.close(code >= 1000 && code < 5000 && code !== 1005 ? code : 1000, reason);
      }
    });
    upstream.on("error", () => {});
    client.on("close", () => upstream.close());
    client.on("error", () => upstream.terminate());
  }

  app.addHook("onClose", async () => {
    closing = true;
    for (const upstream of upstreams) upstream.terminate();
    server.close();
  });
}
