// The proxy's HTTP/1.1 plumbing, apart from its policy (proxy.ts): authority parsing,
// refusal answers written on a raw socket, and the hop-by-hop headers a forward proxy
// must drop (RFC 9110 §7.6.1), including those the Connection header names.
import type net from "node:net";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Splits `host:port` / `[v6]:port` (CONNECT targets and allowPrivate entries). */
export function splitAuthority(authority: string): { host: string; port: number } | null {
  const colon = authority.lastIndexOf(":");
  if (colon <= 0) return null;
  const host = authority.slice(0, colon);
  const portText = authority.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  // An unbracketed IPv6 address with a port is ambiguous; require brackets.
  if (host.includes(":") && !host.startsWith("[")) return null;
  return { host, port: Number(portText) };
}

export function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

export function refusalBody(reason: string): string {
  return `Refused by Meterlink egress policy: ${reason}\n`;
}

export function writeRawResponse(
  socket: net.Socket,
  status: 400 | 403 | 502,
  reason: string,
): void {
  const text = { 400: "Bad Request", 403: "Forbidden", 502: "Bad Gateway" }[status];
  const body = status === 502 ? "Upstream connection failed\n" : refusalBody(reason);
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Request headers for the upstream, without hop-by-hop and proxy headers. */
export function forwardHeaders(rawHeaders: string[], keepUpgrade: boolean): string[] {
  const connectionTokens = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === "connection") {
      for (const token of (rawHeaders[i + 1] ?? "").split(",")) {
        connectionTokens.add(token.trim().toLowerCase());
      }
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? "";
    const lower = name.toLowerCase();
    const isUpgradeHeader = lower === "connection" || lower === "upgrade";
    if (lower.startsWith("proxy-")) continue;
    if (keepUpgrade && isUpgradeHeader) {
      out.push(name, rawHeaders[i + 1] ?? "");
      continue;
    }
    if (HOP_BY_HOP.has(lower) || connectionTokens.has(lower)) continue;
    out.push(name, rawHeaders[i + 1] ?? "");
  }
  return out;
}

export function responseHeaders(rawHeaders: string[]): string[] {
  return forwardHeaders(rawHeaders, false);
}
