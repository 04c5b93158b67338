// Accepting an emailed team invitation. Sign-up is closed, so the person invited has no
// account yet and cannot use the organization plugin's own accept endpoint (it needs a
// signed-in user): the link's token, whose hash the invitation row keeps, proves they
// read the invited address, exactly like a password-reset link. The account, the
// membership, the invitation's status and the audit row change in one transaction, so
// a link is used at most once even when clicked twice.
import {
  account,
  company,
  membership,
  type TMembershipRole,
  teamInvitation,
  user,
} from "@meterlink/db";
import {
  AppError,
  type TAcceptTeamInvitation,
  TEAM_ROLES,
  type TTeamRole,
} from "@meterlink/shared";
import { hashPassword } from "better-auth/crypto";
import { and, eq, gt } from "drizzle-orm";
import { hashToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { createAdmin } from "../admin/create-admin";
import { recordTeamEvent } from "./audit";

const DEAD_LINK =
  "This invitation link has expired, was canceled or was already used. Ask an owner of your company to invite you again.";

function roleOf(role: string): TMembershipRole {
  return (TEAM_ROLES as readonly string[]).includes(role) ? (role as TTeamRole) : "viewer";
}

/** What the accept page shows before the person commits: who invites them, as what. */
export async function getTeamInvitation({
  ctx,
  input,
}: {
  ctx: Pick<TContextInner, "db">;
  input: { token: string };
}) {
  const [found] = await ctx.db
    .select({ email: teamInvitation.email, role: teamInvitation.role, companyName: company.name })
    .from(teamInvitation)
    .innerJoin(company, eq(company.id, teamInvitation.companyId))
    .where(
      and(
        eq(teamInvitation.tokenHash, hashToken(input.token)),
        eq(teamInvitation.status, "pending"),
        gt(teamInvitation.expiresAt, new Date()),
      ),
    );
  if (!found) throw new AppError("NOT_FOUND", DEAD_LINK);
  return { ...found, role: roleOf(found.role) };
}

export async function acceptTeamInvitation({
  ctx,
  input,
}: {
  ctx: Pick<TContextInner, "db">;
  input: TAcceptTeamInvitation;
}) {
  return await ctx.db.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(teamInvitation)
      .where(
        and(
          eq(teamInvitation.tokenHash, hashToken(input.token)),
          eq(teamInvitation.status, "pending"),
          gt(teamInvitation.expiresAt, new Date()),
        ),
      )
      .for("update");
    if (!invitation) throw new AppError("NOT_FOUND", DEAD_LINK);
    const email = invitation.email.toLowerCase();
    const role = roleOf(invitation.role);

    const [existing] = await tx.select().from(user).where(eq(user.email, email));
    if (!existing) {
      await createAdmin(tx, {
        companyId: invitation.companyId,
        email,
        name: input.name,
        password: input.password,
        role,
      });
    } else {
      // Someone who was removed earlier (the account stays): they join again, and the
      // link sets their password as a reset link would.
      const [member] = await tx
        .select({ companyId: membership.companyId })
        .from(membership)
        .where(eq(membership.userId, existing.id));
      if (member) {
        throw new AppError(
          "CONFLICT",
          member.companyId === invitation.companyId
            ? "You are already a member of this company: sign in instead."
            : "This email already belongs to a member of another company. Ask to be invited with another address.",
        );
      }
      await tx
        .insert(membership)
        .values({ userId: existing.id, companyId: invitation.companyId, role });
      const password = await hashPassword(input.password);
      const updated = await tx
        .update(account)
        .set({ password, updatedAt: new Date() })
        .where(and(eq(account.userId, existing.id), eq(account.providerId, "credential")))
        .returning({ id: account.id });
      if (!updated.length) {
        await tx.insert(account).values({
          id: crypto.randomUUID(),
          accountId: existing.id,
          providerId: "credential",
          userId: existing.id,
          password,
        });
      }
    }
    await tx
      .update(teamInvitation)
      .set({ status: "accepted", tokenHash: null })
      .where(eq(teamInvitation.id, invitation.id));
    const [joined] = await tx.select({ id: user.id }).from(user).where(eq(user.email, email));
    await recordTeamEvent(tx, {
      companyId: invitation.companyId,
      type: "joined",
      actorUserId: joined?.id ?? null,
      subjectEmail: email,
      data: { role, invitationId: invitation.id },
    });
    return { email, role };
  });
}
