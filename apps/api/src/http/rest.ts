// Serves /api/v1 from the procedures of routers/v1.ts. Routes, inputs and outputs come
// from the procedures and their zod schemas (the OpenAPI document is generated from the
// same router), so REST, tRPC and the docs cannot drift. This layer adds only what is
// HTTP, and adds it to EVERY answer of the prefix, errors and unknown paths included:
// a `Request-Id` (also in error bodies and the log), the bearer key (authenticated once
// per request, here), per-key rate limits with IETF RateLimit headers, JSON-only bodies
// (415 otherwise), Idempotency-Key replays on every POST, and one error body
// `{ error: { code, message, requestId, fields? } }` built by the one mapper (errors.ts).

import { randomUUID } from "node:crypto";
import type { TDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import scalarApiReference from "@scalar/fastify-api-reference";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { httpErrorAnswer, type THttpAnswer, toHttpAnswer } from "../errors";
import { v1Router } from "../routers/v1";
import { authenticateApiKey, bearerToken } from "../services/api-keys/authenticate";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  requestHashOf,
} from "../services/api-keys/idempotency";
import type { TBillStorage } from "../services/collection/storage";
import {
  createCallerFactory,
  createContextInner,
  type TApiKeyPrincipal,
  type TJobs,
  type TServerConfig,
} from "../trpc";
import { registerBillRoutes, registerSignedBillDocuments } from "./rest-bills";
import { buildOpenApiDocument } from "./rest-openapi";

export const REST_PREFIX = "/api/v1";

export type TRestDeps = {
  db: TDb;
  config: TServerConfig;
  jobs: TJobs;
  /** Requests per API key (and per address without a valid key) per minute. */
  rateLimitPerMinute: number;
  /** Where bill documents are read from (GET /bills/{id}/document). */
  storage: TBillStorage;
};

const createCaller = createCallerFactory(v1Router);
type TCaller = ReturnType<typeof createCaller>;

type TMethod = "GET" | "POST" | "DELETE";
type TRoute = { method: TMethod; path: string; procedurePath: string };
const METHODS: readonly string[] = ["GET", "POST", "DELETE"];

/** What the onRequest hook learnt about a request, for the handler and the error paths. */
type TRestState = { requestId: string; key: TApiKeyPrincipal | null; authError: unknown };
const STATE = Symbol("rest");
type TRestRequest = FastifyRequest & { [STATE]?: TRestState; restKeyId?: string };

function stateOf(request: FastifyRequest): TRestState {
  const state = (request as TRestRequest)[STATE];
  if (!state) throw new Error("REST request without its onRequest state");
  return state;
}

/** Every procedure of the v1 router with its OpenAPI method and path. */
function restRoutes(): TRoute[] {
  // Flat at runtime ("invitations.create"), typed as the nested record.
  const procedures = v1Router._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { openapi?: { method: string; path: string } } } }
  >;
  return Object.entries(procedures).map(([procedurePath, procedure]) => {
    const openapi = procedure._def.meta?.openapi;
    if (!openapi || !METHODS.includes(openapi.method)) {
      throw new Error(`v1 procedure ${procedurePath} needs an openapi GET, POST or DELETE meta`);
    }
    // `{id}` in OpenAPI is `:id` in Fastify.
    return {
      method: openapi.method as TMethod,
      path: openapi.path.replace(/\{(\w+)\}/g, ":$1"),
      procedurePath,
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

function inputOf(request: FastifyRequest, method: TMethod): unknown {
  const params = request.params as Record<string, string>;
  if (method !== "POST") return { ...(request.query as Record<string, unknown>), ...params };
  const body = request.body ?? {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new AppError("BAD_REQUEST", "The request body must be a JSON object, like {}.");
  }
  return { ...body, ...params };
}

/** Fastify's own refusals (content type, JSON syntax, size) as AppErrors. */
function appErrorOfFastify(error: Error & { statusCode?: number }): AppError | null {
  switch (error.statusCode) {
    case 415:
      return new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the body as JSON with `Content-Type: application/json`.",
      );
    case 413:
      return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large (2 MB at most).");
    case 400:
      return new AppError("BAD_REQUEST", "The request body is not valid JSON.");
    default:
      return null;
  }
}

const NO_COOKIES = { get: () => undefined, set: () => {} };

type TServedRoute = { method: string; url: string };

/**
 * Routes served under the prefix that the OpenAPI document does not describe, as
 * "GET /bills/{id}" lines. Every route must be documented: clients are generated from it.
 */
export function undocumentedRoutes(
  served: TServedRoute[],
  document: { paths?: Record<string, unknown> },
): string[] {
  return served.flatMap(({ method, url }) => {
    if (!["GET", "POST", "PUT", "PATCH", "DELETE"].includes(method)) return [];
    const path = url.slice(REST_PREFIX.length).replace(/:(\w+)/g, "{$1}") || "/";
    const operations = document.paths?.[path] as Record<string, unknown> | undefined;
    return operations?.[method.toLowerCase()] ? [] : [`${method} ${path}`];
  });
}

export async function registerRestApi(app: FastifyInstance, deps: TRestDeps) {
  const document = buildOpenApiDocument(deps.config.publicUrl);
  const policy = `"per-key";q=${deps.rateLimitPerMinute};w=60`;
  const limiter = app.createRateLimit({
    max: deps.rateLimitPerMinute,
    timeWindow: 60_000,
    // The app-wide limiter's allow-list (recipient calls only) must not apply here.
    allowList: () => false,
    keyGenerator: (request: FastifyRequest) =>
      (request as TRestRequest).restKeyId ?? `ip:${request.ip}`,
  });

  app.get(`${REST_PREFIX}/openapi.json`, async () => document);
  registerSignedBillDocuments(app, { ...deps, tokenKey: deps.config.tokenKey });
  await app.register(scalarApiReference, {
    routePrefix: "/api/docs",
    configuration: { url: `${REST_PREFIX}/openapi.json`, title: "Meterlink API" },
    logLevel: "warn",
  });

  const served: TServedRoute[] = [];
  await app.register(
    async (scope) => {
      scope.addHook("onRoute", (route) => {
        for (const method of [route.method].flat()) served.push({ method, url: route.url });
      });
      // JSON only: without the text/plain parser Fastify answers 415 for any other
      // (or a missing) content type on a request with a body.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        "application/json",
        { parseAs: "string" },
        scope.getDefaultJsonParser("error", "error"),
      );

      scope.addHook("onRequest", async (request, reply) => {
        const requestId = randomUUID();
        reply.header("request-id", requestId);
        request.log = request.log.child({ requestId });
        const state: TRestState = { requestId, key: null, authError: null };
        (request as TRestRequest)[STATE] = state;
        try {
          state.key = await authenticateApiKey(deps.db, bearerToken(request.headers.authorization));
          (request as TRestRequest).restKeyId = state.key.apiKeyId;
        } catch (err) {
          state.authError = err;
        }
        // Counted per key; requests without a valid key share their address's budget.
        const limit = await limiter(request);
        if (limit.isAllowed) return;
        reply.header("ratelimit-policy", policy);
        reply.header("ratelimit", `"per-key";r=${limit.remaining};t=${limit.ttlInSeconds}`);
        if (limit.isExceeded) {
          reply.header("retry-after", String(limit.ttlInSeconds));
          const refusal = new AppError(
            "RATE_LIMITED",
            `Too many requests for this API key. Try again in ${limit.ttlInSeconds} seconds.`,
          );
          return send(reply, httpErrorAnswer(refusal, requestId));
        }
        if (state.authError) {
          return send(reply, toHttpAnswer(state.authError, { log: request.log, requestId }));
        }
      });

      scope.addHook("onResponse", async (request, reply) => {
        const state = (request as TRestRequest)[STATE];
        request.log.info(
          {
            requestId: state?.requestId,
            apiKeyId: state?.key?.apiKeyId ?? null,
            method: request.method,
            route: request.routeOptions.url ?? null,
            statusCode: reply.statusCode,
          },
          "rest request",
        );
      });

      scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        const requestId = stateOf(request).requestId;
        const known = appErrorOfFastify(error);
        return send(
          reply,
          known
            ? httpErrorAnswer(known, requestId)
            : toHttpAnswer(error, { log: request.log, requestId }),
        );
      });
      scope.setNotFoundHandler((request, reply) => {
        const notFound = new AppError(
          "NOT_FOUND",
          `There is no ${request.method} ${request.url.split("?")[0]}. See ${REST_PREFIX}/openapi.json for the endpoints.`,
        );
        return send(reply, httpErrorAnswer(notFound, stateOf(request).requestId));
      });

      registerBillRoutes(scope, { ...deps, stateOf });
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
  const missing = undocumentedRoutes(served, document);
  if (missing.length) {
    throw new Error(
      `REST routes missing from the OpenAPI document (describe them in http/rest-openapi.ts): ${missing.join(", ")}`,
    );
  }

  function send(reply: FastifyReply, answer: THttpAnswer) {
    return reply.status(answer.statusCode).send(answer.body);
  }

  async function handle(request: FastifyRequest, reply: FastifyReply, route: TRoute) {
    const log = request.log as Logger;
    const { requestId, key } = stateOf(request);
    // The onRequest hook answered 401 already; this narrows the type.
    if (!key) return;
    const fail = (err: unknown) => send(reply, toHttpAnswer(err, { log, requestId }));

    let input: unknown;
    try {
      input = inputOf(request, route.method);
    } catch (err) {
      return fail(err);
    }

    // Every POST changes something: each honours an Idempotency-Key (DELETE is
    // idempotent by itself).
    const idempotencyKey = request.headers["idempotency-key"];
    let recordId: string | null = null;
    if (route.method === "POST" && typeof idempotencyKey === "string") {
      try {
        const claim = await claimIdempotencyKey(deps.db, deps.config.tokenKey, {
          apiKeyId: key.apiKeyId,
          key: idempotencyKey,
          requestHash: requestHashOf(route.method, request.url.split("?")[0] ?? "", input),
        });
        if (claim.kind === "replay") {
          reply.header("idempotent-replayed", "true");
          return send(reply, { statusCode: claim.statusCode, body: claim.body });
        }
        recordId = claim.recordId;
      } catch (err) {
        return fail(err);
      }
    }

    const caller = createCaller(
      createContextInner({
        db: deps.db,
        log,
        config: deps.config,
        adminSession: async () => null,
        apiKey: key,
        client: { ip: request.ip ?? null, userAgent: request.headers["user-agent"] ?? null },
        cookies: NO_COOKIES,
        jobs: deps.jobs,
      }),
    );
    let answer: THttpAnswer;
    try {
      answer = { statusCode: 200, body: await procedureOf(caller, route.procedurePath)(input) };
    } catch (err) {
      answer = toHttpAnswer(err, { log, requestId });
    }
    if (recordId) {
      await completeIdempotencyKey(deps.db, deps.config.tokenKey, recordId, answer).catch(
        (err: unknown) => log.warn({ err }, "could not store the idempotent answer"),
      );
    }
    return send(reply, answer);
  }
}
