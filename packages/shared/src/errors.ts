// One error model for the whole product. Services throw `AppError`; the API maps it to
// tRPC/HTTP once (apps/api/src/errors.ts). Anything that is not an AppError is an
// unexpected fault and its message never reaches a client.

export const APP_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "LIMIT_REACHED",
  "RATE_LIMITED",
  "INVITATION_EXPIRED",
  "INVITATION_REVOKED",
  "INVITATION_FULFILLED",
  "INVITATION_INVALID",
  "VERIFICATION_REQUIRED",
  "FLEET_BUSY",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type TAppErrorCode = (typeof APP_ERROR_CODES)[number];

/** A field-level problem, shown next to the input that caused it. */
export type TFieldError = { path: string; message: string };

export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly fields: TFieldError[];

  constructor(code: TAppErrorCode, message: string, options?: { fields?: TFieldError[] }) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = options?.fields ?? [];
  }

  static field(path: string, message: string): AppError {
    return new AppError("BAD_REQUEST", message, { fields: [{ path, message }] });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
