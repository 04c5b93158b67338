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
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
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
  /**
   * A stable name for this particular message ("fleetBusy"), for clients that show it in
   * the reader's language: the recipient pages translate by it and fall back to `message`.
   */
  readonly reason: string | null;

  constructor(
    code: TAppErrorCode,
    message: string,
    options?: { fields?: TFieldError[]; reason?: string },
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = options?.fields ?? [];
    this.reason = options?.reason ?? null;
  }

  static field(path: string, message: string): AppError {
    return new AppError("BAD_REQUEST", message, { fields: [{ path, message }] });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The minimal shape of a zod issue, so this module needs no zod import. */
type TZodIssueLike = { code: string; path: PropertyKey[]; message: string; keys?: string[] };

/**
 * Zod's issues as field errors: the one translation used by every edge (tRPC, REST, the
 * worker). An unknown field becomes one error per key, at the key's own path, so a
 * client that sent `expiresInSeconds` by mistake is told exactly that.
 */
export function zodFieldErrors(error: { issues: readonly TZodIssueLike[] }): TFieldError[] {
  const seen = new Set<string>();
  const fields = error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys" && issue.keys?.length) {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: `Unknown field “${key}”: remove it (field names are case-sensitive; see the API reference for the accepted fields).`,
      }));
    }
    return [{ path, message: issue.message }];
  });
  // One check can fail twice on the same value (a URL's scheme and host): say it once.
  return fields.filter((field) => {
    const key = `${field.path}\n${field.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A zod input error as the AppError every edge answers with (400 + fields). */
export function zodAppError(error: { issues: readonly TZodIssueLike[] }): AppError {
  const fields = zodFieldErrors(error);
  const first = fields[0];
  const message = first
    ? `${first.path ? `${first.path}: ` : ""}${first.message}`
    : "Some fields need attention.";
  return new AppError("BAD_REQUEST", message, { fields });
}
