// The built SPA (apps/web/dist, `vite build`) on the API's public origin, as production
// serves it. Vite names every file under /assets by its content hash, so those are cached
// for a year and never revalidated; index.html names the current hashes, so browsers
// revalidate it on every load (ETag) and a deploy reaches everyone at their next page.
// Client-side routes get index.html; API paths never do, so a mistyped API call gets a
// JSON 404 rather than a page, and nothing under /internal is ever answered here.
import { existsSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Paths the SPA never answers (routes of the API itself, and the fleet's). */
export const API_PATH = /^\/(trpc|api|stream|internal|hooks|healthz|readyz)(\/|$)/;
const HASHED_ASSET = /^\/assets\//;
const YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The page's Content-Security-Policy. Scripts and styles only from our origin (the build
 * has no inline script); `'unsafe-inline'` styles because Radix's scroll lock injects a
 * <style> element; images also from https: and data: (a company's logo is an upload or an
 * https address) and blob: (remote-browser frames); the stream's WebSocket is our origin.
 * `frame-ancestors` is added per page by frame-policy.ts (recipient pages may be embedded).
 */
export function spaContentSecurityPolicy(publicUrl: string): string {
  const origin = new URL(publicUrl);
  const socket = `${origin.protocol === "https:" ? "wss:" : "ws:"}//${origin.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self' ${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** Serves `root` when it holds a build (index.html); returns whether it did. */
export async function registerSpa(
  app: FastifyInstance,
  options: { root: string | undefined; publicUrl: string },
): Promise<boolean> {
  const { root } = options;
  if (!root || !existsSync(join(root, "index.html"))) return false;
  const policy = spaContentSecurityPolicy(options.publicUrl);
  await app.register(fastifyStatic, {
    root,
    // One route per file found at start: the build does not change while we run.
    wildcard: false,
    // Ours below instead of @fastify/static's `public, max-age=0`.
    cacheControl: false,
    setHeaders(reply, path) {
      const asset = relative(resolve(root), path).startsWith(`assets${sep}`);
      reply.header(
        "cache-control",
        asset ? `public, max-age=${YEAR_SECONDS}, immutable` : "no-cache",
      );
      if (path.endsWith(".html")) reply.header("content-security-policy", policy);
    },
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    // A stale tab asking for a previous build's chunk must get a 404, not HTML as JS.
    const clientRoute = !API_PATH.test(path) && !HASHED_ASSET.test(path);
    if ((req.method === "GET" || req.method === "HEAD") && clientRoute)
      return reply.sendFile("index.html");
    return reply.status(404).send({ error: { code: "NOT_FOUND", message: "No such endpoint." } });
  });
  return true;
}
