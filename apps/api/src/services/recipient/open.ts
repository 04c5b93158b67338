import {
  connection,
  invitationRecipient,
  provider,
  recipientSession,
  site,
  user,
} from "@meterlink/db";
import { and, asc, eq, isNull } from "drizzle-orm";
import { hashToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { recordEvent } from "../invitations/events";
import { emitWebhookEvent } from "../webhooks/emit";
import { activeInvitationByToken, getOrCreateRecipientSession } from "./resolve";

/**
 * What the recipient page needs. Records `viewed` once per browser. A platform-sent
 * link carries `proof` of the address it was sent to, which counts as verification.
 */
export async function openInvitation({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; proof?: string };
}) {
  const row = await activeInvitationByToken(ctx, input.token);
  const { invitation, company } = row;
  let { session, created } = await getOrCreateRecipientSession(ctx, invitation.id);

  if (input.proof && !session.verifiedEmail) {
    const [recipient] = await ctx.db
      .select()
      .from(invitationRecipient)
      .where(
        and(
          eq(invitationRecipient.proofHash, hashToken(input.proof)),
          eq(invitationRecipient.invitationId, invitation.id),
        ),
      );
    const allowed =
      recipient &&
      (!invitation.allowedEmails.length || invitation.allowedEmails.includes(recipient.email));
    if (recipient && allowed) {
      const [updated] = await ctx.db
        .update(recipientSession)
        .set({ verifiedEmail: recipient.email })
        .where(eq(recipientSession.id, session.id))
        .returning();
      if (updated) session = updated;
    }
  }
  const via = input.proof ? "email" : "link";
  const restricted = invitation.allowedEmails.length > 0;
  const verified = !restricted || session.verifiedEmail !== null;
  const providerId = invitation.prefill.providerId ?? null;
  // Independent reads and the first-view records go out together: a public link is
  // opened by every recipient (and every link scanner), so round trips count.
  const [prefilled, sites, reconnecting, inviter] = await Promise.all([
    providerId
      ? ctx.db
          .select({
            id: provider.id,
            name: provider.name,
            country: provider.country,
            loginUrl: provider.loginUrl,
            mfa: provider.mfa,
          })
          .from(provider)
          .where(eq(provider.id, providerId))
      : [],
    // Sites only once the recipient may go on: a restricted link shows nothing before.
    verified && invitation.kind === "contributor"
      ? ctx.db
          .select({ id: site.id, name: site.name, address: site.address })
          .from(site)
          .where(and(eq(site.companyId, company.id), isNull(site.archivedAt)))
          .orderBy(asc(site.name))
      : [],
    // A reconnect names the account and why it needs signing in again.
    invitation.kind === "reconnect" && invitation.targetConnectionId
      ? ctx.db
          .select({
            providerName: connection.providerName,
            status: connection.status,
            statusReason: connection.statusReason,
          })
          .from(connection)
          .where(
            and(
              eq(connection.id, invitation.targetConnectionId),
              eq(connection.companyId, company.id),
            ),
          )
      : [],
    // The admin's message is signed with their name, as in the email.
    invitation.message && invitation.createdBy
      ? ctx.db.select({ name: user.name }).from(user).where(eq(user.id, invitation.createdBy))
      : [],
    created
      ? recordEvent(ctx.db, {
          invitationId: invitation.id,
          type: "viewed",
          actor: { type: "recipient", id: session.id },
          client: ctx.client,
          data: { via },
        })
      : null,
    created
      ? emitWebhookEvent(ctx.db, {
          companyId: company.id,
          type: "invitation.viewed",
          data: { invitationId: invitation.id, via },
        })
      : null,
  ]);
  const prefilledProvider = prefilled[0];
  const target = reconnecting[0];

  return {
    kind: invitation.kind,
    legacy: invitation.legacy,
    expiresAt: invitation.expiresAt?.toISOString() ?? null,
    locale: invitation.locale,
    message: invitation.message,
    messageFrom: inviter[0]?.name ?? null,
    company: {
      displayName: company.displayName,
      logoUrl: company.logoUrl,
      primaryColor: company.primaryColor,
      accentColor: company.accentColor,
      font: company.font,
      whiteLabel: company.whiteLabel,
    },
    verification: { required: restricted, verified, email: session.verifiedEmail },
    consented: session.consentedAt !== null,
    prefill: {
      provider: prefilledProvider ?? null,
      providerUrl: invitation.prefill.providerUrl ?? null,
      country: invitation.prefill.country ?? prefilledProvider?.country ?? null,
      siteIds: invitation.prefill.siteIds ?? [],
      utilityTypes: invitation.prefill.utilityTypes ?? [],
      ownerEmail: invitation.prefill.ownerEmail ?? null,
      collectionStartDate: invitation.prefill.collectionStartDate ?? null,
    },
    sites,
    reconnect: target
      ? {
          providerName: target.providerName,
          reason: target.status === "error" ? target.statusReason : null,
        }
      : null,
    steps:
      invitation.kind === "contributor"
        ? ([
            "consent",
            ...(restricted ? ["verify"] : []),
            "provider",
            "sign-in",
            "sites",
            "done",
          ] as const)
        : (["consent", ...(restricted ? ["verify"] : []), "sign-in", "done"] as const),
  };
}

export type TOpenedInvitation = Awaited<ReturnType<typeof openInvitation>>;
