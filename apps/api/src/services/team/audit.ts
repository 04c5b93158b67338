// The team's audit log: one append-only row per membership change, whoever made it
// (an owner through better-auth's organization endpoints, or someone accepting an
// emailed invitation). Nothing here is updated or deleted.
import { type TDbOrTx, type TTeamEventType, teamEvent, user } from "@meterlink/db";
import { eq } from "drizzle-orm";

/** The plugin endpoints that change the team, and what their success records. */
const EVENT_OF_PATH: Record<string, TTeamEventType> = {
  "/organization/invite-member": "invited",
  "/organization/cancel-invitation": "invitation_canceled",
  "/organization/remove-member": "removed",
  "/organization/update-member-role": "role_changed",
  "/organization/leave": "left",
};
export const TEAM_AUDITED_PATHS = new Set(Object.keys(EVENT_OF_PATH));

type TReturnedRow = {
  organizationId?: string;
  email?: string;
  userId?: string;
  role?: string;
  member?: TReturnedRow;
};

export async function recordTeamEvent(
  db: TDbOrTx,
  event: {
    companyId: string;
    type: TTeamEventType;
    actorUserId: string | null;
    subjectEmail: string;
    data?: Record<string, string | null>;
  },
) {
  await db.insert(teamEvent).values({ ...event, data: event.data ?? {} });
}

/** Called after a plugin endpoint answered; a refused call (an error) records nothing. */
export async function auditTeamChange(
  db: TDbOrTx,
  call: { path: string; actorUserId: string | null; body: unknown; returned: unknown },
) {
  const type = EVENT_OF_PATH[call.path];
  if (!type || !call.returned || call.returned instanceof Error) return;
  if (typeof call.returned !== "object") return;
  const outer = call.returned as TReturnedRow;
  const row = outer.member ?? outer;
  if (!row.organizationId) return;
  let subjectEmail = row.email;
  if (!subjectEmail && row.userId) {
    const [found] = await db
      .select({ email: user.email })
      .from(user)
      .where(eq(user.id, row.userId));
    subjectEmail = found?.email;
  }
  await recordTeamEvent(db, {
    companyId: row.organizationId,
    type,
    actorUserId: call.actorUserId,
    subjectEmail: subjectEmail ?? "unknown",
    data: { role: row.role ?? null },
  });
}
