// The API's single public origin: tRPC, auth, health, and (outside dev) the SPA. The
// fleet's internal endpoints live on a second listener (`buildInternalApp`), never here.
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import type { TDb } from "@meterlink/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { Logger } from "pino";
import { createAuth } from "./auth";
import type { TApiEnv } from "./env";
import { registerAuthRoutes, requestHeaders } from "./http/auth-routes";
import { registerBrandAssets } from "./http/brand-assets";
import { registerFramePolicy } from "./http/frame-policy";
import { registerInboundHooks } from "./http/inbound-hooks";
import { registerInternalFleetRoutes } from "./http/internal-fleet";
import { registerLegacyLinks } from "./http/legacy-links";
import { registerResendWebhook } from "./http/resend-webhook";
import { registerRestApi } from "./http/rest";
import { registerSpa } from "./http/spa";
import { registerStreamRelay } from "./http/stream-relay";
import { parseKey } from "./lib/tokens";
import { createRateLimits, RateLimitedError } from "./rate-limit";
import { type AppRouter, appRouter } from "./router";
import { billStorageOf } from "./services/collection/storage";
import { inboundConfigOf } from "./services/connections/forwarding";
import { InvitationCache } from "./services/recipient/invitation-cache";
import { createContextInner, type TAdminSession, type TJobs, type TServerConfig } from "./trpc";

export type TAppDeps = {
  env: TApiEnv;
  db: TDb;
  log: Logger;
  jobs?: TJobs;
  /** REST requests per API key per minute (tests lower it). */
  restRateLimitPerMinute?: number;
};

const NO_JOBS: TJobs = { emailsQueued: async () => {}, connectionReady: async () => {} };

export async function buildApp({
  env,
  db,
  log,
  jobs = NO_JOBS,
  restRateLimitPerMinute = env.API_RATE_LIMIT_PER_MINUTE,
}: TAppDeps) {
  // Typed as Fastify's logger so routes and plugins share one instance type.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    trustProxy: env.NODE_ENV === "production",
    bodyLimit: 2 * 1024 * 1024,
  });
  const auth = createAuth({
    db,
    env,
    log,
    tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY),
    jobs,
  });

  app.addHook("onSend", async (_req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });

  registerFramePolicy(app, db);
  registerAuthRoutes(app, auth, env.PUBLIC_URL);
  await app.register(fastifyCookie);
  // Public recipient calls are rate limited per call in a tRPC middleware (trpc.ts), with
  // counters in PostgreSQL shared by every replica; admin sign-in has its own, stricter
  // limit in better-auth.
  // The plugin stays for the REST API's per-key limiter (http/rest.ts), applied nowhere else.
  await app.register(fastifyRateLimit, { global: false });
  const rateLimits = await createRateLimits(db, {
    recipientCallsPerMinute: env.RECIPIENT_RATE_LIMIT_PER_MINUTE,
    verificationEmailsPerAddressPerHour: env.VERIFICATION_EMAILS_PER_ADDRESS_PER_HOUR,
    verificationEmailsPerInvitationPerHour: env.VERIFICATION_EMAILS_PER_INVITATION_PER_HOUR,
  });
  const secureCookies = env.PUBLIC_URL.startsWith("https://");
  const invitationCache = await startInvitationCache(db, log);
  if (invitationCache) app.addHook("onClose", () => invitationCache.close());
  const config: TServerConfig = {
    publicUrl: env.PUBLIC_URL,
    tokenKey: parseKey(env.TOKEN_ENCRYPTION_KEY),
    vaultPublicJwk: env.VAULT_PUBLIC_KEY,
    fleet: env.FLEET_TOKEN
      ? {
          token: env.FLEET_TOKEN,
          heartbeatTtlMs: env.FLEET_HEARTBEAT_TTL_MS,
          queueMaxMs: env.FLEET_QUEUE_MAX_MS,
          maxLivePerInvitation: env.FLEET_MAX_LIVE_PER_INVITATION,
          maxLivePerClient: env.FLEET_MAX_LIVE_PER_CLIENT,
        }
      : null,
    rateLimits,
    invitationCache,
    inbound: inboundConfigOf(env),
    emailFrom: env.EMAIL_FROM,
  };

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      // One Retry-After for the response, the longest wait among its limited calls.
      responseMeta({ errors }) {
        const waits = errors.flatMap((error) =>
          error.cause instanceof RateLimitedError ? [error.cause.retryAfterSeconds] : [],
        );
        return waits.length ? { headers: { "retry-after": String(Math.max(...waits)) } } : {};
      },
      async createContext({ req, res }) {
        let lookup: Promise<TAdminSession | null> | undefined;
        const adminSession = () => {
          lookup ??= auth.api
            .getSession({ headers: requestHeaders(req) })
            .then((found) =>
              found
                ? { userId: found.user.id, email: found.user.email, name: found.user.name }
                : null,
            );
          return lookup;
        };
        return createContextInner({
          db,
          log: req.log as Logger,
          config,
          adminSession,
          // API keys are accepted only by the REST API (http/rest.ts), never over /trpc.
          apiKey: null,
          client: { ip: req.ip ?? null, userAgent: req.headers["user-agent"] ?? null },
          jobs,
          cookies: {
            get: (name) => req.cookies[name],
            set: (name, value, options) =>
              void res.setCookie(name, value, {
                path: "/",
                httpOnly: true,
                // Inside a customer's iframe the cookie is third-party: it needs
                // SameSite=None, which browsers accept only with Secure (https).
                sameSite: secureCookies ? "none" : "lax",
                secure: secureCookies,
                partitioned: secureCookies,
                maxAge: options.maxAgeSeconds,
              }),
          },
        });
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  await registerRestApi(app, {
    db,
    config,
    jobs,
    rateLimitPerMinute: restRateLimitPerMinute,
    storage: billStorageOf(env),
  });
  registerLegacyLinks(app, { db, tokenKey: config.tokenKey });
  await registerResendWebhook(app, { db, log, secret: env.RESEND_WEBHOOK_SECRET });
  await registerInboundHooks(app, { db, log, env, config });
  registerBrandAssets(app, { db });
  if (config.fleet) registerStreamRelay(app, { db, fleetToken: config.fleet.token, log });
  // Answered before the SPA fallback: a worker pointed at the public origin by mistake gets
  // a plain 404, and nothing under /internal is ever served to the internet.
  app.all("/internal/*", async (_req, reply) =>
    reply.status(404).send({ error: { code: "NOT_FOUND", message: "No such endpoint." } }),
  );

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    try {
      await db.execute(sql`select 1`);
      return { ok: true };
    } catch {
      return reply.status(503).send({ ok: false, reason: "database unreachable" });
    }
  });

  // Last: its not-found handler answers client-side routes with the SPA.
  await registerSpa(app, { root: env.WEB_DIST, publicUrl: env.PUBLIC_URL });

  return Object.assign(app, { auth });
}

export type TApp = Awaited<ReturnType<typeof buildApp>>;

/**
 * The internal listener (INTERNAL_HOST:INTERNAL_PORT): worker heartbeats and outcomes.
 * Only the fleet reaches it (NetworkPolicy, no ingress route); null without a fleet.
 */
export async function buildInternalApp({ env, db, log }: Pick<TAppDeps, "env" | "db" | "log">) {
  if (!env.FLEET_TOKEN) return null;
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({ loggerInstance, bodyLimit: 256 * 1024 });
  if (env.FLEET_WORKERS.length === 0)
    log.warn("FLEET_WORKERS is empty: no worker will be admitted to the fleet");
  registerInternalFleetRoutes(app, {
    db,
    fleetToken: env.FLEET_TOKEN,
    heartbeatTtlMs: env.FLEET_HEARTBEAT_TTL_MS,
    storage: billStorageOf(env),
    admission: {
      workers: env.FLEET_WORKERS,
      checkSource: env.FLEET_CHECK_SOURCE,
      fleetToken: env.FLEET_TOKEN,
      heartbeatTtlMs: env.FLEET_HEARTBEAT_TTL_MS,
    },
  });
  app.get("/healthz", async () => ({ ok: true }));
  return app;
}

/**
 * The recipient calls' invitation cache, only if this process hears the other replicas'
 * changes (LISTEN); without that a revocation elsewhere would wait for the TTL.
 */
async function startInvitationCache(db: TDb, log: Logger): Promise<InvitationCache | undefined> {
  const cache = new InvitationCache();
  try {
    await cache.listen(db);
    return cache;
  } catch (error) {
    log.warn({ err: error }, "invitation cache off: LISTEN failed");
    return undefined;
  }
}
