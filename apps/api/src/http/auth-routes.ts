import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TAuth } from "../auth";

export function requestHeaders(req: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  return headers;
}

/** Mounts better-auth's Fetch handler under /api/auth/*. */
export function registerAuthRoutes(app: FastifyInstance, auth: TAuth, publicUrl: string) {
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    async handler(req, reply) {
      const url = new URL(req.url, publicUrl);
      const headers = requestHeaders(req);
      // better-auth rate-limits by x-forwarded-for; give it the address Fastify trusts
      // (trustProxy) so a client cannot pick its own.
      headers.set("x-forwarded-for", req.ip);
      const request = new Request(url, {
        method: req.method,
        headers,
        body:
          req.method === "POST" && req.body !== undefined ? JSON.stringify(req.body) : undefined,
      });
      const response = await auth.handler(request);
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key !== "set-cookie") reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header("set-cookie", cookies);
      // Returning the reply tells Fastify this async handler has answered by itself.
      return reply.send(response.body ? await response.text() : null);
    },
  });
}
