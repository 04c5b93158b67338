// The one rule for an invitation's status. Status is derived, never stored: the API's
// SQL filter (apps/api/src/services/invitations/status-sql.ts) must agree with this,
// and a property test over generated invitations checks that it does.

export const INVITATION_STATUSES = ["active", "expired", "revoked", "fulfilled"] as const;
export type TInvitationStatus = (typeof INVITATION_STATUSES)[number];

export type TInvitationStatusFields = {
  revokedAt: Date | string | null;
  uses: number;
  maxUses: number | null;
  expiresAt: Date | string | null;
};

/** revoked, else fulfilled (uses reached max), else expired, else active. */
export function invitationStatus(
  invitation: TInvitationStatusFields,
  now: Date = new Date(),
): TInvitationStatus {
  if (invitation.revokedAt !== null) return "revoked";
  if (invitation.maxUses !== null && invitation.uses >= invitation.maxUses) return "fulfilled";
  if (invitation.expiresAt !== null && new Date(invitation.expiresAt).getTime() <= now.getTime()) {
    return "expired";
  }
  return "active";
}
