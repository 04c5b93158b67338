// Serves /api/v1 from the procedures of routers/v1.ts. Routes, inputs and outputs come
// from the procedures and their zod schemas (the OpenAPI document is generated from the
// same router), so REST, tRPC and the docs cannot drift. This layer adds only what is
// HTTP: the bearer key, per-key rate limits with IETF RateLimit headers, Idempotency-Key
// replays on creates, and one error body `{ error: { code, message, fields? } }`.

import type { TDb } from "@meterlink/db";
import { AppError, type TFieldError } from "@meterlink/shared";
import scalarApiReference from "@scalar/fastify-api-reference";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { ZodError } from "zod";
import { appErrorOf, GENERIC_ERROR_MESSAGE, HTTP_STATUS } from "../errors";
import { v1Router } from "../routers/v1";
import { authenticateApiKey, bearerToken } from "../services/api-keys/authenticate";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  requestHashOf,
} from "../services/api-keys/idempotency";
import { createCallerFactory, createContextInner, type TJobs, type TServerConfig } from "../trpc";
import { buildOpenApiDocument } from "./rest-openapi";

export const REST_PREFIX = "/api/v1";

export type TRestDeps = {
  db: TDb;
  config: TServerConfig;
  jobs: TJobs;
  /** Requests per API key (and per address without a valid key) per minute. */
  rateLimitPerMinute: number;
};

type TErrorBody = { error: { code: string; message: string; fields?: TFieldError[] } };
type TAnswer = { statusCode: number; body: unknown };

const createCaller = createCallerFactory(v1Router);
type TCaller = ReturnType<typeof createCaller>;

function errorAnswer(code: string, status: number, message: string, fields: TFieldError[] = []) {
  const body: TErrorBody = { error: { code, message } };
  if (fields.length) body.error.fields = fields;
  return { statusCode: status, body };
}

/** The one mapping from a thrown error to an HTTP answer; unknown errors say nothing. */
export function restErrorAnswer(error: unknown, log: Logger): TAnswer {
  const appError = appErrorOf(error);
  if (appError) {
    return errorAnswer(
      appError.code,
      HTTP_STATUS[appError.code],
      appError.message,
      appError.fields,
    );
  }
  const cause = error instanceof TRPCError ? error.cause : error;
  if (error instanceof TRPCError && error.code === "BAD_REQUEST" && cause instanceof ZodError) {
    const fields = cause.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    const first = fields[0];
    return errorAnswer(
      "BAD_REQUEST",
      400,
      first
        ? `${first.path ? `${first.path}: ` : ""}${first.message}`
        : "Some fields need attention.",
      fields,
    );
  }
  log.error({ err: error }, "unexpected error in REST API");
  return errorAnswer("INTERNAL", 500, GENERIC_ERROR_MESSAGE);
}

type TRoute = { method: "GET" | "POST"; path: string; procedurePath: string; create: boolean };

/** Every procedure of the v1 router with its OpenAPI method and path. */
function restRoutes(): TRoute[] {
  // Flat at runtime ("invitations.create"), typed as the nested record.
  const procedures = v1Router._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { openapi?: { method: string; path: string; requestHeaders?: unknown } } } }
  >;
  return Object.entries(procedures).map(([procedurePath, procedure]) => {
    const openapi = procedure._def.meta?.openapi;
    if (!openapi || (openapi.method !== "GET" && openapi.method !== "POST")) {
      throw new Error(`v1 procedure ${procedurePath} needs an openapi GET or POST meta`);
    }
    return {
      method: openapi.method,
      // `{id}` in OpenAPI is `:id` in Fastify.
      path: openapi.path.replace(/\{(\w+)\}/g, ":$1"),
      procedurePath,
      // Creates are the procedures that document the Idempotency-Key header.
      create: openapi.requestHeaders !== undefined,
    };
  });
}

function procedureOf(caller: TCaller, path: string): (input: unknown) => Promise<unknown> {
  let target: unknown = caller;
  for (const segment of path.split(".")) {
    target = (target as Record<string, unknown>)[segment];
  }
  if (typeof target !== "function") throw new Error(`no v1 procedure at ${path}`);
  return target as (input: unknown) => Promise<unknown>;
}

function inputOf(request: FastifyRequest, method: "GET" | "POST"): unknown {
  const params = request.params as Record<string, string>;
  if (method === "GET") return { ...(request.query as Record<string, unknown>), ...params };
  const body = request.body ?? {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new AppError("BAD_REQUEST", "The request body must be a JSON object.");
  }
  return { ...body, ...params };
}

const NO_COOKIES = { get: () => undefined, set: () => {} };

export async function registerRestApi(app: FastifyInstance, deps: TRestDeps) {
  const document = buildOpenApiDocument(deps.config.publicUrl);
  const policy = `"per-key";q=${deps.rateLimitPerMinute};w=60`;
  const limiter = app.createRateLimit({
    max: deps.rateLimitPerMinute,
    timeWindow: 60_000,
    // The app-wide limiter's allow-list (recipient calls only) must not apply here.
    allowList: () => false,
    keyGenerator: (request: FastifyRequest) =>
      (request as FastifyRequest & { restKeyId?: string }).restKeyId ?? `ip:${request.ip}`,
  });

  app.get(`${REST_PREFIX}/openapi.json`, async () => document);
  await app.register(scalarApiReference, {
    routePrefix: "/api/docs",
    configuration: { url: `${REST_PREFIX}/openapi.json`, title: "Meterlink API" },
    logLevel: "warn",
  });

  await app.register(
    async (scope) => {
      // Fastify's own failures (bad JSON, wrong content type, body too large) in our shape.
      scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        const status = error.statusCode ?? 500;
        if (status >= 500) {
          const answer = restErrorAnswer(error, request.log as Logger);
          return reply.status(answer.statusCode).send(answer.body);
        }
        const message =
          status === 415
            ? "Send the body as JSON with `Content-Type: application/json`."
            : status === 413
              ? "The request body is too large."
              : "The request body is not valid JSON.";
        const answer = errorAnswer("BAD_REQUEST", status, message);
        return reply.status(status).send(answer.body);
      });
      scope.setNotFoundHandler((request, reply) => {
        const answer = errorAnswer(
          "NOT_FOUND",
          404,
          `There is no ${request.method} ${request.url.split("?")[0]}. See ${REST_PREFIX}/openapi.json for the endpoints.`,
        );
        return reply.status(404).send(answer.body);
      });

      for (const route of restRoutes()) {
        scope.route({
          method: route.method,
          url: route.path,
          // This scope limits per key itself, with its own headers.
          config: { rateLimit: false },
          handler: (request, reply) => handle(request, reply, route),
        });
      }
    },
    { prefix: REST_PREFIX },
  );

  async function handle(request: FastifyRequest, reply: FastifyReply, route: TRoute) {
    const log = request.log as Logger;
    const send = (answer: TAnswer) => reply.status(answer.statusCode).send(answer.body);
    const token = bearerToken(request.headers.authorization);

    let keyId: string | null = null;
    let authError: unknown = null;
    try {
      keyId = (await authenticateApiKey(deps.db, token)).apiKeyId;
    } catch (err) {
      authError = err;
    }
    // Counted per key; requests without a valid key share their address's budget.
    if (keyId) Object.assign(request, { restKeyId: keyId });
    const limit = await limiter(request);
    if (!limit.isAllowed) {
      reply.header("ratelimit-policy", policy);
      reply.header("ratelimit", `"per-key";r=${limit.remaining};t=${limit.ttlInSeconds}`);
      if (limit.isExceeded) {
        reply.header("retry-after", String(limit.ttlInSeconds));
        return send(
          errorAnswer(
            "RATE_LIMITED",
            429,
            `Too many requests for this API key. Try again in ${limit.ttlInSeconds} seconds.`,
          ),
        );
      }
    }
    if (authError || !keyId) return send(restErrorAnswer(authError, log));

    const input = (() => {
      try {
        return { ok: true as const, value: inputOf(request, route.method) };
      } catch (err) {
        return { ok: false as const, error: err };
      }
    })();
    if (!input.ok) return send(restErrorAnswer(input.error, log));

    const idempotencyKey = request.headers["idempotency-key"];
    let recordId: string | null = null;
    if (route.create && typeof idempotencyKey === "string") {
      try {
        const claim = await claimIdempotencyKey(deps.db, {
          apiKeyId: keyId,
          key: idempotencyKey,
          requestHash: requestHashOf(route.method, request.url.split("?")[0] ?? "", input.value),
        });
        if (claim.kind === "replay") {
          reply.header("idempotent-replayed", "true");
          return send({ statusCode: claim.statusCode, body: claim.body });
        }
        recordId = claim.recordId;
      } catch (err) {
        return send(restErrorAnswer(err, log));
      }
    }

    const caller = createCaller(
      createContextInner({
        db: deps.db,
        log,
        config: deps.config,
        adminSession: async () => null,
        apiKey: token,
        client: { ip: request.ip ?? null, userAgent: request.headers["user-agent"] ?? null },
        cookies: NO_COOKIES,
        jobs: deps.jobs,
      }),
    );
    let answer: TAnswer;
    try {
      answer = {
        statusCode: 200,
        body: await procedureOf(caller, route.procedurePath)(input.value),
      };
    } catch (err) {
      answer = restErrorAnswer(err, log);
    }
    if (recordId) {
      await completeIdempotencyKey(deps.db, recordId, answer).catch((err: unknown) =>
        log.warn({ err }, "could not store the idempotent answer"),
      );
    }
    return send(answer);
  }
}
