import type { invitation } from "@meterlink/db";
import { invitationStatus } from "@meterlink/shared";

/** What admins (tRPC and REST) see of an invitation. Never the token or its hash. */
export function invitationView(row: typeof invitation.$inferSelect, now = new Date()) {
  return {
    id: row.id,
    kind: row.kind,
    legacy: row.legacy,
    status: invitationStatus(row, now),
    targetConnectionId: row.targetConnectionId,
    allowedEmails: row.allowedEmails,
    expiryKind: row.expiryKind,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    maxUses: row.maxUses,
    uses: row.uses,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
    prefill: row.prefill,
    delivery: row.delivery,
    recipients: row.recipients,
    message: row.message,
    locale: row.locale,
    createdVia: row.createdVia,
    createdAt: row.createdAt.toISOString(),
  };
}

export type TInvitationView = ReturnType<typeof invitationView>;
