// What the recipient pages need from tRPC errors. A deployment without a browser fleet
// (UNAVAILABLE) degrades to manual entry.
import { TRPCClientError } from "@trpc/client";
import { z } from "zod";

export const DEAD_LINK_CODES = [
  "INVITATION_INVALID",
  "INVITATION_REVOKED",
  "INVITATION_EXPIRED",
  "INVITATION_FULFILLED",
] as const;
export type TDeadLinkCode = (typeof DEAD_LINK_CODES)[number];

const ZErrorData = z.object({
  appCode: z.string().nullish(),
  code: z.string().nullish(),
  httpStatus: z.number().nullish(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).nullish(),
});
type TErrorData = z.infer<typeof ZErrorData>;

function dataOf(error: unknown): TErrorData | null {
  if (error instanceof TRPCClientError) {
    const parsed = ZErrorData.safeParse(error.data);
    return parsed.success ? parsed.data : {};
  }
  return null;
}

export function appCodeOf(error: unknown): string | null {
  return dataOf(error)?.appCode ?? null;
}

export function deadLinkCodeOf(error: unknown): TDeadLinkCode | null {
  const code = appCodeOf(error);
  return DEAD_LINK_CODES.find((candidate) => candidate === code) ?? null;
}

/** The client could not talk to the server at all (offline, DNS, server down). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  return error instanceof TRPCClientError && !error.data;
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields = dataOf(error)?.fields ?? [];
  return Object.fromEntries(fields.map((field) => [field.path, field.message]));
}

/** A message the API wrote for people (never internals: its error formatter sees to that). */
export function messageOf(error: unknown): string | null {
  if (error instanceof TRPCClientError) {
    return error.message || null;
  }
  return null;
}

/** The API does not offer live sign-in (yet, or on this deployment). */
export function isLiveLoginMissing(error: unknown): boolean {
  const data = dataOf(error);
  return (data?.code === "NOT_FOUND" && !data.appCode) || data?.appCode === "UNAVAILABLE";
}
