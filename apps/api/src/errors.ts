// The one mapper from AppError to tRPC/HTTP. An error that is not an AppError is an
// unexpected fault: it is logged and the client gets a generic message, never its text.
import { type AppError, isAppError, type TAppErrorCode, type TFieldError } from "@meterlink/shared";
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

/** The AppError behind a tRPC error, if any (tRPC wraps thrown errors as `cause`). */
export function appErrorOf(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  if (error instanceof TRPCError && isAppError(error.cause)) return error.cause;
  return undefined;
}

/** Field-level problems behind an error: an AppError's fields or a zod input error's issues. */
export function fieldsOf(error: unknown): TFieldError[] {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (isAppError(cause)) return cause.fields;
  if (cause instanceof ZodError) {
    return cause.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  }
  return [];
}
