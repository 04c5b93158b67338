// The Team page: members, pending invitations and the latest membership changes of the
// caller's company. Changes go through better-auth's organization endpoints (auth.ts).
import { membership, teamEvent, teamInvitation, user } from "@meterlink/db";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import type { TAdminContext } from "../../trpc";

export async function listTeam({ ctx }: { ctx: TAdminContext }) {
  const companyId = ctx.company.id;
  const [members, invitations, events] = await Promise.all([
    ctx.db
      .select({
        memberId: membership.id,
        userId: user.id,
        name: user.name,
        email: user.email,
        role: membership.role,
        joinedAt: membership.createdAt,
      })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .where(eq(membership.companyId, companyId))
      .orderBy(asc(membership.createdAt)),
    ctx.db
      .select({
        id: teamInvitation.id,
        email: teamInvitation.email,
        role: teamInvitation.role,
        expiresAt: teamInvitation.expiresAt,
      })
      .from(teamInvitation)
      .where(
        and(
          eq(teamInvitation.companyId, companyId),
          eq(teamInvitation.status, "pending"),
          gt(teamInvitation.expiresAt, new Date()),
        ),
      )
      .orderBy(desc(teamInvitation.createdAt)),
    ctx.db
      .select({
        id: teamEvent.id,
        type: teamEvent.type,
        subjectEmail: teamEvent.subjectEmail,
        actorName: user.name,
        data: teamEvent.data,
        at: teamEvent.at,
      })
      .from(teamEvent)
      .leftJoin(user, eq(user.id, teamEvent.actorUserId))
      .where(eq(teamEvent.companyId, companyId))
      .orderBy(desc(teamEvent.at), desc(teamEvent.id))
      .limit(50),
  ]);
  return { companyId, me: ctx.admin.userId, members, invitations, events };
}
