// Error bodies in the shape the Resend API answers and the `resend` SDK hands back to its
// caller unchanged (`{ data: null, error: { statusCode, name, message } }`), so code under
// test sees exactly what it would see against the real service.

export type TResendErrorName =
  | "missing_api_key"
  | "invalid_idempotency_key"
  | "invalid_idempotent_request"
  | "validation_error"
  | "missing_required_field"
  | "not_found"
  | "rate_limit_exceeded"
  | "application_error"
  | "internal_server_error";

export type TResendError = { statusCode: number; name: TResendErrorName; message: string };

export function resendError(
  statusCode: number,
  name: TResendErrorName,
  message: string,
): TResendError {
  return { statusCode, name, message };
}

export const ADDRESS_FORMAT_HINT =
  "The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";

export function faultError(status: 429 | 500 | 503): TResendError {
  switch (status) {
    case 429:
      return resendError(
        429,
        "rate_limit_exceeded",
        "Too many requests. You can only make 2 requests per second. See rate limit response headers for more information.",
      );
    case 500:
      return resendError(500, "internal_server_error", "An unexpected error occurred.");
    case 503:
      return resendError(
        503,
        "application_error",
        "The service is temporarily unavailable. Please try again later.",
      );
  }
}
