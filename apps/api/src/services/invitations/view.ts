import type { invitation } from "@meterlink/db";
import { invitationStatus } from "@meterlink/shared";

function revokedByType(row: typeof invitation.$inferSelect): "admin" | "api" | null {
  if (row.revokedBy) return "admin";
  return row.revokedByApiKeyId ? "api" : null;
}

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
    /** A user id, or an API key id when revoked over the REST API (revokedByType says which). */
    revokedBy: row.revokedBy ?? row.revokedByApiKeyId,
    revokedByType: revokedByType(row),
    prefill: row.prefill,
    delivery: row.delivery,
    recipients: row.recipients,
    message: row.message,
    locale: row.locale,
    name: row.name,
    metadata: row.metadata,
    externalReference: row.externalReference,
    redirectUrl: row.redirectUrl,
    createdVia: row.createdVia,
    createdAt: row.createdAt.toISOString(),
  };
}

export type TInvitationView = ReturnType<typeof invitationView>;
