// The worker's HTTP + WebSocket surface. Only /healthz, /readyz and /metrics answer
// without the fleet token; everything else is for the API (and only it reaches this
// port, by NetworkPolicy). A worker joins the fleet only once it can start a session at
// once: browser launched and a context pre-warmed.
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { zodFieldErrors } from "@meterlink/shared";
import { type TWorkerPublicJwk, ZStartSession } from "@meterlink/shared/fleet";
import type { JWK } from "jose";
import pino, { type Logger } from "pino";
import type { Browser, BrowserContext, Page } from "puppeteer-core";
import { WebSocketServer } from "ws";
import { createWorkerKey, importVaultPublicKey } from "./capture/seal";
import type { TCollectLimits } from "./collect/common";
import { COLLECT_ROUTE, handleCollectRoute } from "./collect/routes";
import { startEgressProxy, type TEgressLookup } from "./egress/proxy";
import { WORKER_DEFAULTS } from "./env";
import { FleetLink, type TReport } from "./fleet/link";
import { createMetrics } from "./metrics/metrics";
import { launchBrowsers } from "./session/browser";
import type { TEgress } from "./session/context";
import { SessionManager, WorkerError } from "./session/manager";

export type TWorkerOptions = {
  fleetToken: string;
  /** EC P-256 public JWK (object or JSON string) credentials are sealed to. */
  vaultPublicKey: string | JWK;
  port?: number;
  host?: string;
  /** Interactive (recipient) slots. */
  capacity?: number;
  /** Headless (collection) slots, on top of `capacity`. */
  headlessCapacity?: number;
  idleTimeoutMs?: number;
  maxSessionMs?: number;
  reconnectGraceMs?: number;
  attachTimeoutMs?: number;
  drainGraceMs?: number;
  executablePath?: string;
  /** How many browsers to launch (WORKER_BROWSERS); ignored with `browser`. */
  browsers?: number;
  /** Share an already running browser (tests); the worker then never closes it. */
  browser?: Browser;
  /** "off" (direct), an egress implementation, or settings for the built-in proxy. */
  egress?: "off" | TEgress | { allowPrivate?: string[]; lookup?: TEgressLookup };
  /**
   * Tests only (main.ts never sets it): base64 SHA-256 hashes of certificates' public keys
   * Chromium accepts without a CA, so an e2e portal can serve https from loopback under a
   * made-up public name. Pinned keys, not "ignore every certificate error".
   */
  trustedCertificateSpki?: string[];
  /** Join a fleet: heartbeats and session reports to the API's internal listener. */
  fleet?: {
    apiUrl: string;
    workerId: string;
    /** How the API reaches this worker; default: the address it listens on. */
    advertiseUrl?: string;
    version?: string;
    heartbeatIntervalMs?: number;
  };
  logger?: Logger;
  /** Keep one spare context ready (default true). */
  prewarm?: boolean;
  /** Bounds of collections (tests lower the document size cap). */
  collectLimits?: Partial<TCollectLimits>;
};

export type TWorker = {
  url: string;
  port: number;
  /** The first of `browsers`. */
  browser: Browser;
  browsers: Browser[];
  metrics: ReturnType<typeof createMetrics>;
  /** This process's ephemeral public key (fleet identity). */
  publicKey: JWK;
  activeSessions(): number;
  /** Sends a heartbeat now (tests; draining). */
  beat(): Promise<void>;
  /** For tests and operators: the live context/page of a session. */
  inspect(sessionId: string): { context: BrowserContext | null; page: Page | null } | undefined;
  /** SIGTERM path: refuse new sessions, let running ones finish up to the grace, stop. */
  drain(graceMs?: number): Promise<void>;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 64 * 1024;

export async function startWorker(options: TWorkerOptions): Promise<TWorker> {
  const logger =
    options.logger ??
    pino({ name: "browser-worker", redact: ["req.headers.authorization", "*.password"] });
  const sealKey = await importVaultPublicKey(options.vaultPublicKey);
  // Fleet identity (docs/scaling.md): registered with the fleet, served at GET /identity.
  const workerKey = await createWorkerKey();
  const capacity = {
    interactive: options.capacity ?? WORKER_DEFAULTS.capacity,
    headless: options.headlessCapacity ?? WORKER_DEFAULTS.headlessCapacity,
  };
  const metrics = createMetrics(capacity.interactive + capacity.headless);
  const ownsBrowser = !options.browser;
  const browsers = options.browser
    ? [options.browser]
    : await launchBrowsers(options.executablePath ?? WORKER_DEFAULTS.executablePath, {
        count: options.browsers,
        trustedCertificateSpki: options.trustedCertificateSpki,
      });
  const browser = browsers[0] as Browser;
  const egress = await resolveEgress(options.egress);

  // Set once the server listens (the link needs the address); reports before that have
  // no session to be about.
  let link: FleetLink | null = null;
  const manager: SessionManager = new SessionManager({
    browsers,
    egress,
    capacity,
    prewarm: options.prewarm ?? true,
    logger,
    metrics,
    sealKey,
    timeouts: {
      idleTimeoutMs: options.idleTimeoutMs ?? WORKER_DEFAULTS.idleTimeoutMs,
      maxSessionMs: options.maxSessionMs ?? WORKER_DEFAULTS.maxSessionMs,
      reconnectGraceMs: options.reconnectGraceMs ?? WORKER_DEFAULTS.reconnectGraceMs,
      attachTimeoutMs: options.attachTimeoutMs ?? WORKER_DEFAULTS.attachTimeoutMs,
    },
    report: (report: TReport) => link?.report(report),
  });
  let warmed = false;

  const onDisconnected = () => {
    logger.error("browser disconnected");
    void manager.endAll("browser_crashed");
  };
  // One browser lost is the worker's crash: its sessions are gone, and the fleet stops
  // routing here (readyz) until the process is replaced.
  for (const each of browsers) each.on("disconnected", onDisconnected);

  const tokenBytes = Buffer.from(options.fleetToken);
  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    // Header only: a token in a URL ends up in proxy and access logs.
    const presented = header?.startsWith("Bearer ") ? header.slice(7) : "";
    const bytes = Buffer.from(presented);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, error: WorkerError) =>
    send(res, error.status, {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://worker");
    const path = url.pathname;
    if (req.method === "GET" && path === "/healthz") return send(res, 200, { ok: true });
    if (req.method === "GET" && path === "/readyz") {
      const connected = browsers.every((each) => each.connected);
      const ready = warmed && connected && !manager.draining;
      return send(res, ready ? 200 : 503, {
        ready,
        warmed,
        draining: manager.draining,
        browser: connected,
      });
    }
    // Prometheus scrapes without the fleet token: metrics carry counts, no secrets, and
    // the NetworkPolicy limits who reaches this port.
    if (req.method === "GET" && path === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    if (!authorized(req)) {
      return sendError(res, new WorkerError(401, "UNAUTHORIZED", "Fleet token required.", false));
    }
    if (req.method === "GET" && path === "/identity") {
      // The id too: a key is public, so "this address holds that key" alone would let a
      // second id register at this address and count its capacity twice.
      return send(res, 200, {
        publicKey: workerKey.publicJwk,
        workerId: options.fleet?.workerId ?? null,
      });
    }
    if (req.method === "POST" && path === "/sessions") {
      const body = await readJson(req);
      const parsed = ZStartSession.safeParse(body);
      if (!parsed.success) {
        return send(res, 400, {
          code: "BAD_REQUEST",
          message: "Invalid session request.",
          retryable: false,
          fields: zodFieldErrors(parsed.error),
        });
      }
      const session = await manager.start(parsed.data);
      return send(res, 201, session.view());
    }
    if (req.method === "POST" && COLLECT_ROUTE.test(path)) {
      const body = await readJson(req);
      const answer = await handleCollectRoute({
        manager,
        path,
        body,
        logger,
        workerKey,
        limits: options.collectLimits,
      });
      return send(res, answer.status, answer.body);
    }
    const match = /^\/sessions\/([A-Za-z0-9_-]+)$/.exec(path);
    const id = match?.[1];
    if (id) {
      const session = manager.get(id);
      if (!session) {
        return sendError(res, new WorkerError(404, "NOT_FOUND", "No such session.", false));
      }
      if (req.method === "GET") return send(res, 200, session.view());
      if (req.method === "DELETE") {
        await session.end("deleted");
        res.writeHead(204).end();
        return;
      }
    }
    return sendError(res, new WorkerError(404, "NOT_FOUND", "No such route.", false));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof WorkerError) return sendError(res, error);
      logger.error({ err: error }, "request failed");
      if (!res.headersSent) {
        send(res, 500, { code: "INTERNAL", message: "Internal error.", retryable: true });
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://worker");
    const id = /^\/sessions\/([A-Za-z0-9_-]+)\/stream$/.exec(url.pathname)?.[1];
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!authorized(req)) return reject(401, "Unauthorized");
    const session = id ? manager.get(id) : undefined;
    if (!session) return reject(404, "Not Found");
    wss.handleUpgrade(req, socket, head, (ws) => {
      session.attachClient(ws).catch((error: unknown) => {
        logger.warn({ err: error, sessionId: session.id }, "stream attach failed");
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  const url = `http://${host}:${port}`;
  await manager.ready();
  warmed = true;
  const bootedAt = new Date().toISOString();
  if (options.fleet) {
    link = new FleetLink({
      apiUrl: options.fleet.apiUrl,
      fleetToken: options.fleetToken,
      workerId: options.fleet.workerId,
      advertiseUrl: options.fleet.advertiseUrl ?? url,
      version: options.fleet.version ?? "dev",
      intervalMs: options.fleet.heartbeatIntervalMs ?? WORKER_DEFAULTS.heartbeatIntervalMs,
      logger,
      status: () => ({
        capacity: capacity.interactive,
        headlessCapacity: capacity.headless,
        activeSessions: manager.activeCount(),
        draining: manager.draining,
        bootedAt,
        held: manager.held(),
        ended: manager.recentEndings(),
        publicKey: workerKey.publicJwk as TWorkerPublicJwk,
      }),
      onStale: (ids) => manager.endStale(ids),
    });
    link.start();
  }
  logger.info({ port, capacity, fleet: Boolean(link) }, "browser worker listening");

  let closing: Promise<void> | null = null;
  const shutdown = (graceMs: number) => {
    closing ??= (async () => {
      // Out of routing at once, then let running sessions finish.
      manager.stopAccepting();
      await link?.beat();
      await manager.drain(graceMs);
      await link?.stop();
      for (const each of browsers) each.off("disconnected", onDisconnected);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await egress?.close().catch(() => undefined);
      if (ownsBrowser)
        await Promise.all(browsers.map((each) => each.close().catch(() => undefined)));
      logger.info("browser worker stopped");
    })();
    return closing;
  };

  return {
    url,
    port,
    browser,
    browsers,
    metrics,
    publicKey: workerKey.publicJwk,
    activeSessions: () => manager.activeCount(),
    beat: async () => await link?.beat(),
    inspect: (sessionId) => {
      const session = manager.get(sessionId);
      if (!session) return undefined;
      return { context: session.contextForInspection, page: session.activePage };
    },
    drain: (graceMs) => shutdown(graceMs ?? options.drainGraceMs ?? WORKER_DEFAULTS.drainGraceMs),
    close: () => shutdown(0),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new WorkerError(413, "BAD_REQUEST", "Request body too large.", false);
    }
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new WorkerError(400, "BAD_REQUEST", "Request body is not JSON.", false);
  }
}

async function resolveEgress(option: TWorkerOptions["egress"]): Promise<TEgress | null> {
  if (option === "off") return null;
  if (option && "openSession" in option) return option;
  return await startEgressProxy({
    allowPrivate: option?.allowPrivate ?? [],
    ...(option?.lookup ? { lookup: option.lookup } : {}),
  });
}
