// What the recipient pages need from tRPC errors. A deployment without a browser fleet
// (UNAVAILABLE) degrades to manual entry.
import { TRPCClientError } from "@trpc/client";
import { appCodeOf, errorDataOf } from "../lib/errors";

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
