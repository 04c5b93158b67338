import { invitation } from "@meterlink/db";
import { AppError, invitationStatus } from "@meterlink/shared";
import { and, eq, isNull } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { endLoginSessions } from "../fleet/sessions";
import { announceInvitationChanged, forgetInvitation } from "../recipient/invitation-cache";
import { recordEvent } from "./events";
import { findCompanyInvitation } from "./find";
import { invitationView } from "./view";

/**
 * Immediate and recorded (who, when). Idempotent: revoking twice keeps the first
 * revocation. Live browser sessions of the invitation end at once.
 */
export async function revokeInvitation({
  ctx,
  input,
}: {
  ctx: TCompanyContext;
  input: { id: string; reason?: string | undefined };
}) {
  const existing = await findCompanyInvitation(ctx, input.id);
  if (existing.revokedAt) return invitationView(existing);
  const revoked = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitation)
      .set({
        revokedAt: new Date(),
        revokedBy: ctx.actor.type === "admin" ? ctx.actor.id : null,
        revokedByApiKeyId: ctx.actor.type === "api" ? ctx.actor.id : null,
      })
      .where(and(eq(invitation.id, existing.id), isNull(invitation.revokedAt)))
      .returning();
    if (!row) return null;
    await announceInvitationChanged(tx, row.id);
    await recordEvent(tx, {
      invitationId: row.id,
      type: "revoked",
      actor: ctx.actor,
      client: ctx.client,
      data: {
        previousStatus: invitationStatus(existing),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    return row;
  });
  if (!revoked) return invitationView(await findCompanyInvitation(ctx, input.id));
  forgetInvitation(ctx, revoked.id);
  await endLoginSessions(ctx, { invitationId: revoked.id }, "revoked");
  if (!revoked.revokedAt) throw new AppError("INTERNAL", "revocation was not saved");
  return invitationView(revoked);
}
