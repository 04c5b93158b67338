// The confirmation's way back to the integrator's product (the invitation's
// `redirectUrl`, checked against the company's registered origins when it was created):
// the same URL with what happened appended, so their page can pick up where it left off
// without waiting for the webhook. Only ids and a status go in it: never a token, an
// email address or anything the recipient typed.
import type { invitation } from "@meterlink/db";

export const RETURN_STATUS = "connected";

export function returnUrlOf(
  row: Pick<typeof invitation.$inferSelect, "id" | "redirectUrl">,
  connectionId: string,
): string | null {
  if (!row.redirectUrl) return null;
  const url = new URL(row.redirectUrl);
  // Set, not appended: the integrator's own parameters stay, ours are never doubled.
  url.searchParams.set("status", RETURN_STATUS);
  url.searchParams.set("connectionId", connectionId);
  url.searchParams.set("invitationId", row.id);
  return url.toString();
}
