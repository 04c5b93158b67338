// The one mapper from AppError to tRPC/HTTP. An error that is not an AppError is an
// unexpected fault: it is logged and the client gets a generic message, never its text.
import {
  AppError,
  isAppError,
  type TAppErrorCode,
  type TFieldError,
  zodAppError,
} from "@meterlink/shared";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";

const TRPC_CODE: Record<TAppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  LIMIT_REACHED: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  INVITATION_EXPIRED: "PRECONDITION_FAILED",
  INVITATION_REVOKED: "PRECONDITION_FAILED",
  INVITATION_FULFILLED: "PRECONDITION_FAILED",
  INVITATION_INVALID: "NOT_FOUND",
  VERIFICATION_REQUIRED: "FORBIDDEN",
  FLEET_BUSY: "SERVICE_UNAVAILABLE",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export const HTTP_STATUS: Record<TAppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_REACHED: 409,
  RATE_LIMITED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  INVITATION_EXPIRED: 410,
  INVITATION_REVOKED: 410,
  INVITATION_FULFILLED: 410,
  INVITATION_INVALID: 404,
  VERIFICATION_REQUIRED: 403,
  FLEET_BUSY: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

export const GENERIC_ERROR_MESSAGE = "Something went wrong on our side. Please try again.";

/**
 * The AppError behind an error, if any: itself, the cause tRPC wrapped it in, or the
 * 400 a zod input error stands for. Anything else is unexpected.
 */
export function appErrorOf(error: unknown): AppError | undefined {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (isAppError(cause)) return cause;
  if (cause instanceof ZodError) return zodAppError(cause);
  return undefined;
}

/** Field-level problems behind an error: an AppError's fields or a zod input error's issues. */
export function fieldsOf(error: unknown): TFieldError[] {
  return appErrorOf(error)?.fields ?? [];
}

export type THttpErrorBody = {
  error: { code: string; message: string; requestId?: string; fields?: TFieldError[] };
};
export type THttpAnswer = { statusCode: number; body: unknown };

/** The body of an HTTP error answer, from an AppError (fields only when there are some). */
export function httpErrorAnswer(error: AppError, requestId?: string): THttpAnswer {
  const body: THttpErrorBody = { error: { code: error.code, message: error.message } };
  if (requestId) body.error.requestId = requestId;
  if (error.fields.length) body.error.fields = error.fields;
  return { statusCode: HTTP_STATUS[error.code], body };
}

/**
 * The one mapping from a thrown error to an HTTP answer. Unknown errors are logged and
 * answered with a generic sentence, never their own message.
 */
export function toHttpAnswer(
  error: unknown,
  options: { log: { error(obj: unknown, msg: string): void }; requestId?: string },
): THttpAnswer {
  const appError = appErrorOf(error);
  if (appError) return httpErrorAnswer(appError, options.requestId);
  // A procedure's fault was logged by the tRPC error middleware already.
  if (!(error instanceof TRPCError))
    options.log.error({ err: error }, "unexpected error in HTTP API");
  return httpErrorAnswer(new AppError("INTERNAL", GENERIC_ERROR_MESSAGE), options.requestId);
}
