// What the recipient pages need from tRPC errors. A deployment without a browser fleet
// (UNAVAILABLE) degrades to manual entry.
import { TRPCClientError } from "@trpc/client";
import type { TFunction } from "i18next";
import { appCodeOf, errorDataOf, fieldErrorsOf } from "../lib/errors";

export const DEAD_LINK_CODES = [
  "INVITATION_INVALID",
  "INVITATION_REVOKED",
  "INVITATION_EXPIRED",
  "INVITATION_FULFILLED",
] as const;
export type TDeadLinkCode = (typeof DEAD_LINK_CODES)[number];

export function deadLinkCodeOf(error: unknown): TDeadLinkCode | null {
  const code = appCodeOf(error);
  return DEAD_LINK_CODES.find((candidate) => candidate === code) ?? null;
}

/** The client could not talk to the server at all (offline, DNS, server down). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  return error instanceof TRPCClientError && !error.data;
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
  const data = errorDataOf(error);
  return (data?.code === "NOT_FOUND" && !data.appCode) || data?.appCode === "UNAVAILABLE";
}

/**
 * An API error as the recipient should read it, in the page's language: translated by
 * the error's `reason` (or its code, for generic ones like rate limits), else the API's
 * own English message, else null.
 */
export function recipientMessage(error: unknown, t: TFunction): string | null {
  const text = messageOf(error);
  const data = errorDataOf(error);
  const key = data?.reason
    ? `apiErrors.${data.reason}`
    : data?.appCode
      ? `apiErrors.code_${data.appCode}`
      : null;
  if (!key) return text;
  const translated = t(key, { defaultValue: "" });
  return translated || text;
}

/** Field errors by path, in the page's language where the field is known (`a.b` → `a_b`). */
export function recipientFieldErrors(error: unknown, t: TFunction): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fieldErrorsOf(error)).map(([path, message]) => {
      const translated = t(`fieldErrors.${path.replaceAll(".", "_")}`, { defaultValue: "" });
      return [path, translated || message];
    }),
  );
}
