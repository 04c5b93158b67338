// The SQL twin of invitationStatus() in @meterlink/shared. Same order: revoked, else
// fulfilled, else expired, else active. A property test checks both agree.
import { invitation } from "@meterlink/db";
import type { TInvitationStatus } from "@meterlink/shared";
import { type SQL, sql } from "drizzle-orm";

const revoked = sql`${invitation.revokedAt} is not null`;
const fulfilled = sql`(${invitation.maxUses} is not null and ${invitation.uses} >= ${invitation.maxUses})`;
const expired = (now: Date) =>
  sql`(${invitation.expiresAt} is not null and ${invitation.expiresAt} <= ${now.toISOString()}::timestamptz)`;

export function statusCondition(status: TInvitationStatus, now: Date): SQL {
  switch (status) {
    case "revoked":
      return revoked;
    case "fulfilled":
      return sql`not ${revoked} and ${fulfilled}`;
    case "expired":
      return sql`not ${revoked} and not ${fulfilled} and ${expired(now)}`;
    case "active":
      return sql`not ${revoked} and not ${fulfilled} and not ${expired(now)}`;
  }
}

/** The status as a column, for counts per status in one query. */
export function statusColumn(now: Date): SQL<TInvitationStatus> {
  return sql<TInvitationStatus>`case when ${revoked} then 'revoked' when ${fulfilled} then 'fulfilled' when ${expired(now)} then 'expired' else 'active' end`;
}
