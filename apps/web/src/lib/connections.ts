// Connection helpers shared by the list and the detail page.
import type { TRouterOutputs } from "./trpc";

export type TConnectionDetail = TRouterOutputs["admin"]["connections"]["get"];
export type TCollectionRun = TConnectionDetail["runs"][number];
export type TBill = TConnectionDetail["bills"][number];

/** The API's default (`reconnect.defaultExpiryDays`), for the list, which does not carry it. */
export const RECONNECT_DEFAULT_EXPIRY_DAYS = 7;

/** The invitation wizard, prefilled to reconnect this connection with a short expiry. */
export function reconnectInvitationPath(
  connectionId: string,
  expiresInDays = RECONNECT_DEFAULT_EXPIRY_DAYS,
): string {
  const params = new URLSearchParams({
    kind: "reconnect",
    connection: connectionId,
    expiresInDays: String(expiresInDays),
  });
  return `/invitations/new?${params.toString()}`;
}

/** What a connection's status means, when the API gave no reason of its own. */
export function statusExplanation(status: string, reason: string | null): string {
  if (reason) return reason;
  if (status === "active") return "Bills are collected automatically every week.";
  if (status === "pending") return "Waiting for the first collection of bills.";
  return "Collection stopped. Send a reconnect invitation so the account owner can sign in again.";
}

export const RUN_STATUS_LABELS: Record<TCollectionRun["status"], string> = {
  running: "Running",
  waiting_for_code: "Waiting for a code",
  succeeded: "Succeeded",
  failed: "Failed",
  retrying: "Will retry",
};

export const RUN_TRIGGER_LABELS: Record<TCollectionRun["trigger"], string> = {
  first: "First collection",
  weekly: "Weekly collection",
  reconnect: "After reconnecting",
  manual: "Started by hand",
};
