// tRPC setup: the context, the procedures and the middleware that narrows it.
// `createContextInner` takes plain values so tests call procedures through
// `createCaller` with a real database and no HTTP.

import { company, membership, type TDb } from "@meterlink/db";
import { AppError, isAppError } from "@meterlink/shared";
import { initTRPC } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { JWK } from "jose";
import type { Logger } from "pino";
import type { OpenApiMeta } from "trpc-to-openapi";
import { appErrorOf, GENERIC_ERROR_MESSAGE, toTRPCError } from "./errors";
import type { TRateLimits } from "./rate-limit";
import type { TInboundConfig } from "./services/connections/forwarding";
import type { TActor } from "./services/invitations/events";
import type { InvitationCache } from "./services/recipient/invitation-cache";

export type TClientInfo = { ip: string | null; userAgent: string | null };
export type TAdminSession = { userId: string; email: string; name: string };
/** The company API key a REST request authenticated with (http/rest.ts does it, once). */
export type TApiKeyPrincipal = {
  apiKeyId: string;
  /** false for an `ml_test_` key: `company` is then the company's test environment. */
  livemode: boolean;
  company: typeof company.$inferSelect;
};

export type TCookieOptions = { maxAgeSeconds: number };
/** The few cookie operations procedures need; HTTP or an in-memory jar in tests. */
export type TCookieJar = {
  get(name: string): string | undefined;
  set(name: string, value: string, options: TCookieOptions): void;
};

/** Work that must start after a transaction commits (the outbox sweeper is the backstop). */
export type TJobs = {
  emailsQueued(emailIds: string[]): Promise<void>;
  connectionReady(connectionId: string): Promise<void>;
};

export type TFleetConfig = {
  token: string;
  /** A worker silent for longer leaves the routing table. */
  heartbeatTtlMs: number;
  /** How long a recipient may wait in line for a free browser before "busy, try again". */
  queueMaxMs: number;
  /** Live browsers one invitation may hold at once (default 5). */
  maxLivePerInvitation?: number;
  /** Live browsers one client address may hold at once (default 10). */
  maxLivePerClient?: number;
};

export type TServerConfig = {
  publicUrl: string;
  tokenKey: Buffer;
  vaultPublicJwk: JWK;
  /** null when no fleet is configured: recipients get manual entry only. */
  fleet: TFleetConfig | null;
  /** Counters shared by every replica (PostgreSQL); tests that don't test limits pass none. */
  rateLimits: TRateLimits;
  /** Token → invitation lookups of recipient calls (none: every call reads the database). */
  invitationCache?: InvitationCache;
  /** Where MFA codes are forwarded (INBOUND_EMAIL_DOMAIN, INBOUND_SMS_NUMBER). */
  inbound: TInboundConfig;
  /** `EMAIL_FROM`, for emails composed in the app (test mode's emails); a default when absent. */
  emailFrom?: string;
};

export type TContextInner = {
  db: TDb;
  log: Logger;
  config: TServerConfig;
  /**
   * The signed-in admin, looked up only when a procedure needs it: public recipient
   * calls (the busiest path) never pay for the session lookup.
   */
  adminSession: () => Promise<TAdminSession | null>;
  /** The key a REST request (`/api/v1`) authenticated with; null everywhere else. */
  apiKey: TApiKeyPrincipal | null;
  client: TClientInfo;
  cookies: TCookieJar;
  jobs: TJobs;
};

export function createContextInner(inner: TContextInner): TContextInner {
  return inner;
}

// OpenApiMeta: REST procedures (routers/v1.ts) carry their method and path.
const t = initTRPC
  .context<TContextInner>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      // The same AppError (zod input errors included) that REST answers with.
      const appError = appErrorOf(error);
      const unexpected = error.code === "INTERNAL_SERVER_ERROR" && !appError;
      return {
        ...shape,
        message: unexpected ? GENERIC_ERROR_MESSAGE : (appError?.message ?? shape.message),
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          appCode: appError?.code ?? (unexpected ? "INTERNAL" : null),
          fields: appError?.fields ?? [],
          reason: appError?.reason ?? null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns AppErrors into tRPC errors once, so services stay transport-free. */
const errorMapper = t.middleware(async ({ next, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isAppError(cause)) {
      const mapped = toTRPCError(cause);
      return { ...result, error: mapped };
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.log.error({ err: result.error.cause ?? result.error }, "unexpected error in procedure");
    }
  }
  return result;
});

export const publicProcedure = t.procedure.use(errorMapper);

/**
 * Public recipient calls: the token is the credential, so each CALL counts against the
 * client address's budget. A middleware sees every call of a batch and the procedure
 * tRPC resolved, however the URL was spelled.
 */
export const recipientProcedure = publicProcedure.use(async ({ ctx, next }) => {
  await ctx.config.rateLimits.recipientCall(ctx.client.ip ?? "unknown");
  return next();
});

/**
 * Signed-in admin of a company. After it, `ctx.admin` and `ctx.company` are present
 * and typed: every company-scoped query reads `ctx.company.id` from here, never input.
 * A viewer reads everything and changes nothing: every mutation is refused here, in one
 * place, so a procedure added later cannot forget the check.
 */
export const adminProcedure = publicProcedure.use(async ({ ctx, next, type }) => {
  const adminSession = await ctx.adminSession();
  if (!adminSession) {
    throw new AppError("UNAUTHORIZED", "Please sign in again.");
  }
  const [row] = await ctx.db
    .select({ company, role: membership.role })
    .from(membership)
    .innerJoin(company, eq(company.id, membership.companyId))
    .where(eq(membership.userId, adminSession.userId))
    .limit(1);
  if (!row) {
    throw new AppError(
      "FORBIDDEN",
      "Your account is not a member of any company. Ask an owner to add you.",
    );
  }
  if (row.role === "viewer" && type !== "query") {
    throw new AppError(
      "FORBIDDEN",
      "Viewers can see everything but change nothing. Ask an owner of your company to make you an admin.",
    );
  }
  return next({
    ctx: {
      ...ctx,
      admin: { ...adminSession, role: row.role },
      company: row.company,
      actor: { type: "admin", id: adminSession.userId } satisfies TActor,
    },
  });
});

/**
 * A REST request with a company API key. Narrows the context exactly like
 * `adminProcedure`: `ctx.company` is the key's company, the actor is the key.
 */
export const apiKeyProcedure = publicProcedure.use(async ({ ctx, next }) => {
  // http/rest.ts authenticated the key before the call (it also rate-limits by it).
  const key = ctx.apiKey;
  if (!key) {
    throw new AppError("UNAUTHORIZED", "Send your API key as `Authorization: Bearer ml_live_…`.");
  }
  return next({
    ctx: {
      ...ctx,
      company: key.company,
      actor: { type: "api", id: key.apiKeyId } satisfies TActor,
    },
  });
});

/** What company-scoped services need: the company and who acts (an admin or an API key). */
export type TCompanyContext = TContextInner & {
  company: typeof company.$inferSelect;
  actor: Extract<TActor, { type: "admin" | "api" }>;
};

export type TAdminContext = TCompanyContext & {
  admin: TAdminSession & { role: string };
};
