// The remote browser's only way out. Chromium sends every request of a session (plain
// HTTP in absolute form, WebSocket upgrades, CONNECT tunnels for HTTPS/wss) to this
// in-process forward proxy, which:
//   1. normalises the host (every IP-literal spelling becomes the address it denotes),
//   2. resolves a name exactly once and checks EVERY resolved address,
//   3. connects to an address it checked, never to the name again,
// so DNS rebinding, redirects, subresources and WebSockets cannot reach private,
// loopback, link-local or metadata addresses. The only exceptions are the `host:port`
// pairs in `allowPrivate` (the local utility sandbox in dev and tests).
//
// Chromium must be launched with `--proxy-bypass-list=<-loopback>` and each context created
// with `proxyBypassList: PROXY_BYPASS_LIST`; otherwise Chromium skips the proxy for
// loopback and link-local hosts (its "implicit bypass rules") and this guard never sees them.

import dns from "node:dns";
import http from "node:http";
import net from "node:net";
import { AppError } from "@meterlink/shared";
import { canonicalAddress, isForbiddenAddress, parseHostLiteral } from "./address";
import {
  forwardHeaders,
  refusalBody,
  responseHeaders,
  splitAuthority,
  validPort,
  writeRawResponse,
} from "./http-wire";

export type TEgressLookup = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
export type TEgressRefusal = { host: string; port: number; reason: string };

export type TEgressProxyOptions = {
  /** `host:port` pairs that may be reached even though the address is private. */
  allowPrivate?: string[];
  /** Replaces system DNS (tests simulate rebinding with it). */
  lookup?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  onRefused?: (event: { host: string; port: number; reason: string }) => void;
};

export type TEgressSession = { proxyServer: string; close(): Promise<void> };

export type TEgressProxy = {
  openSession(): Promise<{ proxyServer: string; close(): Promise<void> }>;
  close(): Promise<void>;
  /** Refusals since start (all sessions), for metrics. */
  refusedCount(): number;
};

/** The bypass list every session's browser context needs (see the header). */
export const PROXY_BYPASS_LIST = ["<-loopback>"];
/** The matching Chromium launch flag (for the default context; see below). */
export const PROXY_BYPASS_ARG = "--proxy-bypass-list=<-loopback>";

/**
 * Options for `browser.createBrowserContext(...)`. A per-context proxy does NOT inherit
 * the launch flag's bypass list (checked against Chromium in chromium.int.test.ts), so
 * without `proxyBypassList` loopback and link-local requests would skip the proxy.
 */
export function browserContextProxyOptions(proxyServer: string): {
  proxyServer: string;
  proxyBypassList: string[];
} {
  return { proxyServer, proxyBypassList: [...PROXY_BYPASS_LIST] };
}

const LOOKUP_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 15_000;
// A name with dozens of addresses is either misconfigured or an attack; checking stays
// exhaustive, but we only try a handful of them when connecting.
const MAX_CONNECT_ATTEMPTS = 4;

type TDecision =
  | { ok: true; addresses: string[] }
  | { ok: false; status: 400 | 403; reason: string };

async function systemLookup(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const results = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function startEgressProxy(options: TEgressProxyOptions): Promise<TEgressProxy> {
  const lookup = options.lookup ?? systemLookup;
  let refused = 0;

  // Exceptions are address:port pairs, so a name is allowed only through the address it
  // resolves to now; a name in config is resolved once, here.
  const allowed = new Set<string>();
  for (const entry of options.allowPrivate ?? []) {
    const parts = splitAuthority(entry.trim());
    const literal = parts ? parseHostLiteral(parts.host) : null;
    if (!parts || !literal || !validPort(parts.port)) {
      throw new AppError("BAD_REQUEST", `allowPrivate entry "${entry}" must be host:port`);
    }
    const addresses =
      literal.kind === "ip"
        ? [literal.address]
        : (await lookup(literal.hostname)).map((r) => canonicalAddress(r.address));
    for (const address of addresses) {
      if (address !== null) allowed.add(`${address}|${parts.port}`);
    }
  }

  function refuse(host: string, port: number, reason: string): TDecision {
    refused += 1;
    try {
      options.onRefused?.({ host, port, reason });
    } catch {
      // A failing logger must not take the proxy down or let the request through.
    }
    return { ok: false, status: 403, reason };
  }

  async function decide(rawHost: string, port: number): Promise<TDecision> {
    // Report the host as Chromium sent it, truncated: it is the page's input, not ours.
    const shownHost = rawHost.slice(0, 255);
    if (!validPort(port)) return { ok: false, status: 400, reason: "invalid port" };
    const literal = parseHostLiteral(rawHost);
    if (!literal) return refuse(shownHost, port, "invalid host");

    let candidates: string[];
    if (literal.kind === "ip") {
      candidates = [literal.address];
    } else {
      try {
        const results = await withTimeout(lookup(literal.hostname), LOOKUP_TIMEOUT_MS);
        candidates = results.map((r) => r.address);
      } catch {
        candidates = [];
      }
      if (candidates.length === 0) return refuse(shownHost, port, "host could not be resolved");
    }

    const addresses: string[] = [];
    for (const candidate of candidates) {
      const address = canonicalAddress(candidate);
      if (address === null) return refuse(shownHost, port, "not an IP address");
      if (!allowed.has(`${address}|${port}`)) {
        // One bad address refuses the whole name: connecting to "the public one" would
        // still let an attacker's DNS steer a retry to the private one.
        const reason = isForbiddenAddress(address);
        if (reason) return refuse(shownHost, port, reason);
      }
      addresses.push(address);
    }
    return { ok: true, addresses };
  }

  /** Connects to the first reachable checked address; never resolves a name. */
  function dial(
    addresses: string[],
    port: number,
    track: (s: net.Socket) => void,
    isClosed: () => boolean,
  ) {
    return new Promise<net.Socket>((resolve, reject) => {
      const attempts = addresses.slice(0, MAX_CONNECT_ATTEMPTS);
      const tryNext = (index: number) => {
        const address = attempts[index];
        if (address === undefined || isClosed()) {
          reject(new Error("upstream unreachable"));
          return;
        }
        let socket: net.Socket;
        try {
          socket = net.connect({ host: address, port });
        } catch {
          tryNext(index + 1);
          return;
        }
        track(socket);
        socket.setTimeout(CONNECT_TIMEOUT_MS);
        let failed = false;
        const fail = () => {
          if (failed) return;
          failed = true;
          socket.destroy();
          tryNext(index + 1);
        };
        socket.once("error", fail);
        socket.once("timeout", fail);
        socket.once("connect", () => {
          socket.off("error", fail);
          socket.off("timeout", fail);
          socket.setTimeout(0);
          socket.on("error", () => socket.destroy());
          resolve(socket);
        });
      };
      tryNext(0);
    });
  }

  const sessions = new Set<TEgressSession>();

  async function openSession(): Promise<TEgressSession> {
    const sockets = new Set<net.Socket>();
    let closed = false;
    const track = (socket: net.Socket) => {
      // A dial can finish after close() (lookup and connect are async); it must not survive.
      if (closed) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    };

    const server = http.createServer();
    server.on("connection", track);
    server.on("clientError", (_error, socket) => {
      if (socket.writable) writeRawResponse(socket as net.Socket, 400, "malformed request");
      else socket.destroy();
    });

    /** Absolute-form `http://` target of a proxied request, or null. */
    function absoluteTarget(rawUrl: string | undefined): URL | null {
      if (!rawUrl || !/^http:\/\//i.test(rawUrl)) return null;
      try {
        return new URL(rawUrl);
      } catch {
        return null;
      }
    }

    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      void forwardHttp(req, res);
    });

    async function forwardHttp(req: http.IncomingMessage, res: http.ServerResponse) {
      const sendRefusal = (status: 400 | 403 | 502, reason: string) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const body = status === 502 ? "Upstream connection failed\n" : refusalBody(reason);
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end(body);
      };
      const target = absoluteTarget(req.url);
      if (!target) {
        sendRefusal(400, "only absolute http:// requests are proxied");
        return;
      }
      const port = Number(target.port || 80);
      const decision = await decide(target.hostname, port);
      if (!decision.ok) {
        sendRefusal(decision.status, decision.reason);
        return;
      }
      let upstreamSocket: net.Socket;
      try {
        upstreamSocket = await dial(decision.addresses, port, track, () => closed);
      } catch {
        sendRefusal(502, "upstream unreachable");
        return;
      }
      // One upstream connection per request: every request is checked on its own, and a
      // kept-alive upstream socket could not be re-checked for the next host anyway.
      const headers = forwardHeaders(req.rawHeaders, false);
      headers.push("Connection", "close");
      const upstream = http.request({
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
        setHost: false,
        createConnection: () => upstreamSocket,
      });
      upstream.on("response", (upstreamRes) => {
        res.writeHead(
          upstreamRes.statusCode ?? 502,
          upstreamRes.statusMessage,
          responseHeaders(upstreamRes.rawHeaders),
        );
        upstreamRes.pipe(res);
        upstreamRes.on("error", () => res.destroy());
      });
      upstream.on("error", () => sendRefusal(502, "upstream failed"));
      res.on("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    }

    /** Pipes two sockets until either side ends; errors tear both down. */
    function splice(a: net.Socket, b: net.Socket) {
      a.pipe(b);
      b.pipe(a);
      const teardown = () => {
        a.destroy();
        b.destroy();
      };
      a.on("error", teardown);
      b.on("error", teardown);
      a.on("close", teardown);
      b.on("close", teardown);
    }

    server.on("connect", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      void tunnel(req, socket, head);
    });

    async function tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer) {
      socket.on("error", () => socket.destroy());
      const authority = splitAuthority(req.url ?? "");
      if (!authority) {
        writeRawResponse(socket, 400, "CONNECT needs host:port");
        return;
      }
      const decision = await decide(authority.host, authority.port);
      if (!decision.ok) {
        writeRawResponse(socket, decision.status, decision.reason);
        return;
      }
      let upstream: net.Socket;
      try {
        upstream = await dial(decision.addresses, authority.port, track, () => closed);
      } catch {
        writeRawResponse(socket, 502, "upstream unreachable");
        return;
      }
      if (socket.destroyed) {
        upstream.destroy();
        return;
      }
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      splice(socket, upstream);
    }

    // WebSocket over plain http (ws://) in absolute form; Chromium usually tunnels these
    // with CONNECT, but other clients and future versions may not.
    server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      void upgrade(req, socket, head);
    });

    async function upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer) {
      socket.on("error", () => socket.destroy());
      const target = absoluteTarget(req.url);
      if (!target) {
        writeRawResponse(socket, 400, "only absolute http:// requests are proxied");
        return;
      }
      const port = Number(target.port || 80);
      const decision = await decide(target.hostname, port);
      if (!decision.ok) {
        writeRawResponse(socket, decision.status, decision.reason);
        return;
      }
      let upstream: net.Socket;
      try {
        upstream = await dial(decision.addresses, port, track, () => closed);
      } catch {
        writeRawResponse(socket, 502, "upstream unreachable");
        return;
      }
      const headers = forwardHeaders(req.rawHeaders, true);
      let head1 = `${req.method ?? "GET"} ${target.pathname}${target.search} HTTP/1.1\r\n`;
      for (let i = 0; i + 1 < headers.length; i += 2) {
        head1 += `${headers[i]}: ${headers[i + 1]}\r\n`;
      }
      upstream.write(`${head1}\r\n`);
      if (head.length > 0) upstream.write(head);
      splice(socket, upstream);
    }

    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === "string") {
      throw new AppError("INTERNAL", "egress proxy did not get a TCP port");
    }

    const session: TEgressSession = {
      proxyServer: `http://127.0.0.1:${address.port}`,
      close: async () => {
        if (closed) return;
        closed = true;
        sessions.delete(session);
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        await done;
      },
    };
    sessions.add(session);
    return session;
  }

  return {
    openSession,
    refusedCount: () => refused,
    close: async () => {
      await Promise.all([...sessions].map((s) => s.close()));
    },
  };
}
