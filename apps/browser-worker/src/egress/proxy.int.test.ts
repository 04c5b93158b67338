// The egress proxy over loopback only: an "allowed" sandbox server (listed in
// allowPrivate) and a "forbidden" server that stands for any private service. Names are
// resolved by an injected lookup, so no real DNS and no non-loopback traffic happen.

import http from "node:http";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installLoopbackOnly } from "./loopback-only.testkit";
import { startEgressProxy, type TEgressProxy, type TEgressRefusal } from "./proxy";

type TTarget = { port: number; requests: string[]; connections: number; close(): Promise<void> };

async function startTarget(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<TTarget> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  const target: TTarget = {
    port: 0,
    requests,
    connections: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on("connection", () => {
    target.connections += 1;
  });
  server.on("upgrade", (req, socket: net.Socket) => {
    requests.push(`UPGRADE ${req.url}`);
    socket.end(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  target.port = address.port;
  return target;
}

function proxyPort(proxyServer: string): number {
  return Number(new URL(proxyServer).port);
}

/** A forward-proxy GET in absolute form, exactly as Chromium sends it. */
function proxyGet(
  proxyServer: string,
  url: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port: proxyPort(proxyServer),
      method: "GET",
      path: url,
      // Browsers send the target's authority as Host, not the proxy's.
      headers: { host: /^http:\/\/([^/]*)/.exec(url)?.[1] ?? "" },
      agent: false,
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sends raw bytes to the proxy and returns the first response chunk plus the socket. */
function rawExchange(
  proxyServer: string,
  payload: string,
): Promise<{ first: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port: proxyPort(proxyServer) }, () => {
      socket.write(payload);
    });
    socket.once("data", (chunk) => resolve({ first: chunk.toString("utf8"), socket }));
    socket.once("error", reject);
    socket.setTimeout(5000, () => reject(new Error("no answer from proxy")));
  });
}

function readUntilClose(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString("utf8");
    });
    socket.on("close", () => resolve(text));
  });
}

const network = installLoopbackOnly();
let allowed: TTarget;
let forbidden: TTarget;
let proxy: TEgressProxy;
let proxyServer: string;
let closeSession: () => Promise<void>;
const refusals: TEgressRefusal[] = [];
const lookups: string[] = [];

beforeAll(async () => {
  forbidden = await startTarget((_req, res) => res.end("secret internal data"));
  allowed = await startTarget((req, res) => {
    if (req.url === "/redirect") {
      res.writeHead(302, { location: `http://127.0.0.1:${forbidden.port}/internal` });
      res.end();
      return;
    }
    res.setHeader("set-cookie", ["a=1", "b=2"]);
    res.end(`sandbox says hi to ${req.headers.host}`);
  });
  const dnsTable: Record<string, string[]> = {
    "sandbox.test": ["127.0.0.1"],
    "rebind.test": ["127.0.0.1"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "mapped.test": ["::ffff:127.0.0.1"],
  };
  proxy = await startEgressProxy({
    allowPrivate: [`127.0.0.1:${allowed.port}`],
    lookup: async (hostname) => {
      lookups.push(hostname);
      const addresses = dnsTable[hostname];
      if (!addresses) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    },
    onRefused: (event) => refusals.push(event),
  });
  const session = await proxy.openSession();
  proxyServer = session.proxyServer;
  closeSession = session.close;
});

afterEach(() => {
  expect(network.blocked).toEqual([]);
  expect(forbidden.requests).toEqual([]);
  expect(forbidden.connections).toBe(0);
});

afterAll(async () => {
  network.restore();
  await proxy.close();
  await allowed.close();
  await forbidden.close();
});

describe("plain HTTP through the egress proxy", () => {
  it("forwards to an allowPrivate host:port, keeping the page's Host and cookies", async () => {
    const res = await proxyGet(proxyServer, `http://127.0.0.1:${allowed.port}/`);
    expect(res.status).toBe(200);
    expect(res.body).toBe(`sandbox says hi to 127.0.0.1:${allowed.port}`);
    expect(res.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    // Proves the loopback-only net guard sees the proxy's dials (else it would guard nothing).
    expect(network.dialled).toContain("127.0.0.1");
  });

  it("refuses a loopback port that is not in allowPrivate, with a 403 and a reason", async () => {
    const before = proxy.refusedCount();
    const res = await proxyGet(proxyServer, `http://127.0.0.1:${forbidden.port}/`);
    expect(res.status).toBe(403);
    expect(res.body).toContain("loopback address");
    expect(res.body).not.toContain("secret");
    expect(proxy.refusedCount()).toBe(before + 1);
    expect(refusals.at(-1)).toEqual({
      host: "127.0.0.1",
      port: forbidden.port,
      reason: "loopback address",
    });
  });

  it.each(["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]", "0"])(
    "refuses the disguised loopback literal %s",
    async (host) => {
      const res = await proxyGet(proxyServer, `http://${host}:${forbidden.port}/`);
      expect(res.status).toBe(403);
    },
  );

  it("applies allowPrivate to the address, however the literal is spelled", async () => {
    const res = await proxyGet(proxyServer, `http://0x7f000001:${allowed.port}/`);
    expect(res.status).toBe(200);
  });

  it("refuses the cloud metadata address before connecting anywhere", async () => {
    const res = await proxyGet(proxyServer, "http://169.254.169.254/latest/meta-data/");
    expect(res.status).toBe(403);
    expect(res.body).toContain("cloud metadata address");
  });

  it("refuses a name whose DNS answer is loopback (rebinding)", async () => {
    const res = await proxyGet(proxyServer, `http://rebind.test:${forbidden.port}/`);
    expect(res.status).toBe(403);
    expect(refusals.at(-1)).toMatchObject({ host: "rebind.test", reason: "loopback address" });
  });

  it("refuses a name when any one of its addresses is forbidden", async () => {
    const res = await proxyGet(proxyServer, `http://mixed.test:${forbidden.port}/`);
    expect(res.status).toBe(403);
  });

  it("refuses names resolving to metadata or IPv4-mapped loopback", async () => {
    expect((await proxyGet(proxyServer, "http://metadata.test/")).status).toBe(403);
    const mapped = await proxyGet(proxyServer, `http://mapped.test:${forbidden.port}/`);
    expect(mapped.status).toBe(403);
  });

  it("connects to the address it checked, resolving the name once", async () => {
    lookups.length = 0;
    // System DNS does not know sandbox.test, so success proves the checked address was used.
    const res = await proxyGet(proxyServer, `http://sandbox.test:${allowed.port}/`);
    expect(res.status).toBe(200);
    expect(res.body).toBe(`sandbox says hi to sandbox.test:${allowed.port}`);
    expect(lookups).toEqual(["sandbox.test"]);
  });

  it("refuses a name that does not resolve", async () => {
    const res = await proxyGet(proxyServer, "http://nowhere.test/");
    expect(res.status).toBe(403);
    expect(res.body).toContain("could not be resolved");
  });

  it("refuses the second hop of a redirect from an allowed target to a forbidden one", async () => {
    const first = await proxyGet(proxyServer, `http://127.0.0.1:${allowed.port}/redirect`);
    expect(first.status).toBe(302);
    const location = first.headers.location ?? "";
    expect(location).toBe(`http://127.0.0.1:${forbidden.port}/internal`);
    const second = await proxyGet(proxyServer, location);
    expect(second.status).toBe(403);
  });

  it("answers 400 to a request that is not in absolute form", async () => {
    const res = await proxyGet(proxyServer, "/latest/meta-data/");
    expect(res.status).toBe(400);
  });
});

describe("CONNECT tunnels through the egress proxy", () => {
  it("tunnels to an allowPrivate host:port", async () => {
    const { first, socket } = await rawExchange(
      proxyServer,
      `CONNECT 127.0.0.1:${allowed.port} HTTP/1.1\r\nHost: 127.0.0.1:${allowed.port}\r\n\r\n`,
    );
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    const rest = readUntilClose(socket);
    socket.write("GET /tunnelled HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n");
    expect(await rest).toContain("sandbox says hi to sandbox");
    expect(allowed.requests.at(-1)).toBe("GET /tunnelled");
  });

  it.each([
    ["a forbidden loopback port", (p: number) => `127.0.0.1:${p}`],
    ["a decimal loopback literal", (p: number) => `2130706433:${p}`],
    ["IPv6 loopback", (p: number) => `[::1]:${p}`],
    ["a rebinding name", (p: number) => `rebind.test:${p}`],
  ])("refuses %s with 403", async (_label, authority) => {
    const target = authority(forbidden.port);
    const { first, socket } = await rawExchange(
      proxyServer,
      `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`,
    );
    socket.destroy();
    expect(first).toMatch(/^HTTP\/1\.1 403/);
  });

  it("refuses the metadata address on port 443", async () => {
    const { first, socket } = await rawExchange(
      proxyServer,
      "CONNECT 169.254.169.254:443 HTTP/1.1\r\nHost: 169.254.169.254:443\r\n\r\n",
    );
    socket.destroy();
    expect(first).toMatch(/^HTTP\/1\.1 403/);
    expect(first).toContain("cloud metadata address");
  });
});

describe("WebSocket upgrades over plain http", () => {
  const upgradeRequest = (authority: string) =>
    `GET http://${authority}/socket HTTP/1.1\r\nHost: ${authority}\r\nUpgrade: websocket\r\n` +
    "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

  it("passes an upgrade to an allowed target through", async () => {
    const { first, socket } = await rawExchange(
      proxyServer,
      upgradeRequest(`127.0.0.1:${allowed.port}`),
    );
    socket.destroy();
    expect(first).toMatch(/^HTTP\/1\.1 101/);
    expect(allowed.requests.at(-1)).toBe("UPGRADE /socket");
  });

  it("refuses an upgrade to a forbidden target", async () => {
    const { first, socket } = await rawExchange(
      proxyServer,
      upgradeRequest(`127.0.0.1:${forbidden.port}`),
    );
    socket.destroy();
    expect(first).toMatch(/^HTTP\/1\.1 403/);
  });
});

describe("sessions", () => {
  it("closing a session ends its open tunnels and stops its listener", async () => {
    const session = await proxy.openSession();
    expect(session.proxyServer).not.toBe(proxyServer);
    const { first, socket } = await rawExchange(
      session.proxyServer,
      `CONNECT 127.0.0.1:${allowed.port} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await session.close();
    await closed;
    await expect(
      proxyGet(session.proxyServer, `http://127.0.0.1:${allowed.port}/`),
    ).rejects.toThrow(/ECONNREFUSED/);
    // The other session is unaffected.
    expect((await proxyGet(proxyServer, `http://127.0.0.1:${allowed.port}/`)).status).toBe(200);
  });

  it("rejects an allowPrivate entry without a port", async () => {
    await expect(startEgressProxy({ allowPrivate: ["127.0.0.1"] })).rejects.toThrow(/host:port/);
  });

  it("closeSession is idempotent", async () => {
    const session = await proxy.openSession();
    await session.close();
    await session.close();
    expect(typeof closeSession).toBe("function");
  });
});
