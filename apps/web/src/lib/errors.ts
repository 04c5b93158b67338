// What the web app reads from a failed tRPC call. The API's error formatter (apps/api
// src/trpc.ts) sends `{ code, httpStatus, appCode, fields }`; the data is parsed here,
// never cast, so a proxy's HTML error page or an older API cannot crash a page.
import { TRPCClientError } from "@trpc/client";
import { z } from "zod";

const ZErrorData = z.object({
  appCode: z.string().nullish(),
  code: z.string().nullish(),
  httpStatus: z.number().nullish(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).nullish(),
  /** Which message this is, for translating it (AppError `reason`). */
  reason: z.string().nullish(),
});
type TErrorData = z.infer<typeof ZErrorData>;

/** The parsed error data; `{}` when a tRPC error has none we understand, null for other errors. */
export function errorDataOf(error: unknown): TErrorData | null {
  if (error instanceof TRPCClientError) {
    const parsed = ZErrorData.safeParse(error.data);
    return parsed.success ? parsed.data : {};
  }
  return null;
}

export function appCodeOf(error: unknown): string | null {
  return errorDataOf(error)?.appCode ?? null;
}

/** Field errors by path ("prefill.country" → message), to show beside each input. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields = errorDataOf(error)?.fields ?? [];
  return Object.fromEntries(fields.map((field) => [field.path, field.message]));
}
