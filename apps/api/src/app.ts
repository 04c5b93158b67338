// The API's single public origin: tRPC, auth, health, and (outside dev) the SPA.
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { TDb } from "@meterlink/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { Logger } from "pino";
import { createAuth } from "./auth";
import type { TApiEnv } from "./env";
import { registerAuthRoutes, requestHeaders } from "./http/auth-routes";
import { type AppRouter, appRouter } from "./router";
import { createContextInner, type TAdminSession } from "./trpc";

export type TAppDeps = { env: TApiEnv; db: TDb; log: Logger };

export async function buildApp({ env, db, log }: TAppDeps) {
  // Typed as Fastify's logger so routes and plugins share one instance type.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    trustProxy: env.NODE_ENV === "production",
    bodyLimit: 2 * 1024 * 1024,
  });
  const auth = createAuth({ db, env, log });

  app.addHook("onSend", async (_req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });

  registerAuthRoutes(app, auth, env.PUBLIC_URL);

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      async createContext({ req }) {
        const found = await auth.api.getSession({ headers: requestHeaders(req) });
        const adminSession: TAdminSession | null = found
          ? { userId: found.user.id, email: found.user.email, name: found.user.name }
          : null;
        return createContextInner({
          db,
          log: req.log as Logger,
          publicUrl: env.PUBLIC_URL,
          adminSession,
          client: { ip: req.ip ?? null, userAgent: req.headers["user-agent"] ?? null },
        });
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    try {
      await db.execute(sql`select 1`);
      return { ok: true };
    } catch {
      return reply.status(503).send({ ok: false, reason: "database unreachable" });
    }
  });

  if (env.WEB_DIST && existsSync(join(env.WEB_DIST, "index.html"))) {
    await app.register(fastifyStatic, { root: env.WEB_DIST, wildcard: false });
    // Client-side routes: any GET that is not an API path gets the SPA.
    app.setNotFoundHandler((req, reply) => {
      const apiPath = /^\/(trpc|api|stream|internal|hooks)(\/|$)/.test(req.url);
      if (req.method === "GET" && !apiPath) return reply.sendFile("index.html");
      return reply.status(404).send({ error: { code: "NOT_FOUND", message: "No such endpoint." } });
    });
  }

  return Object.assign(app, { auth });
}

export type TApp = Awaited<ReturnType<typeof buildApp>>;
