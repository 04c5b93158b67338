import { randomUUID } from "node:crypto";
import {
  connection,
  invitationEvent,
  invitationRecipient,
  provider,
  recipientSession,
  site,
  type TDb,
  user,
  webhookEvent,
} from "@meterlink/db";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { brandFontPath } from "../../http/brand-assets";
import { batcher, perDatabase } from "../../lib/batch";
import { hashToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";
import { invitationEventValues } from "../invitations/events";
import { webhookEventsIfSubscribedSql } from "../webhooks/emit";
import type { TInvitationRow } from "./invitation-cache";
import { activeInvitationByToken, currentRecipientSession, newRecipientSession } from "./resolve";

/**
 * What the recipient page needs. Records `viewed` once per browser. A platform-sent
 * link carries `proof` of the address it was sent to, which counts as verification.
 * Round trips count here (a public link is opened by every recipient and every link
 * scanner): the token lookup is cached (invitation-cache.ts), a first open writes its
 * session, `viewed` event and webhook event in one statement, and a returning browser
 * (cookie) writes nothing.
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
  const via = input.proof ? "email" : "link";
  let session = await currentRecipientSession(ctx, invitation.id);
  if (!session || (input.proof && !session.verifiedEmail)) {
    const verifiedEmail = input.proof ? await proofEmail(ctx, row, input.proof) : null;
    if (!session) {
      session = await recordFirstOpen(ctx, row, { via, verifiedEmail });
    } else if (verifiedEmail) {
      const [updated] = await ctx.db
        .update(recipientSession)
        .set({ verifiedEmail })
        .where(eq(recipientSession.id, session.id))
        .returning();
      if (updated) session = updated;
    }
  }
  const restricted = invitation.allowedEmails.length > 0;
  const verified = !restricted || session.verifiedEmail !== null;
  const providerId = invitation.prefill.providerId ?? null;
  // Independent reads go out together.
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
    verified && invitation.kind === "contributor" ? companySites(ctx.db)(company.id) : [],
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
      fontUrl: company.fontFile ? brandFontPath(company.id, company.fontFile) : null,
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

/** The address a platform-sent link's `proof` stands for, if the link may be opened by it. */
async function proofEmail(
  ctx: TContextInner,
  { invitation }: TInvitationRow,
  proof: string,
): Promise<string | null> {
  const [recipient] = await ctx.db
    .select({ email: invitationRecipient.email })
    .from(invitationRecipient)
    .where(
      and(
        eq(invitationRecipient.proofHash, hashToken(proof)),
        eq(invitationRecipient.invitationId, invitation.id),
      ),
    );
  if (!recipient) return null;
  const allowed =
    !invitation.allowedEmails.length || invitation.allowedEmails.includes(recipient.email);
  return allowed ? recipient.email : null;
}

type TSite = { id: string; name: string; address: string };

/** A company's live sites by name; the opens of the moment share one read (lib/batch.ts). */
const companySites = perDatabase((db: TDb) =>
  batcher<string, TSite[]>(async (companyIds) => {
    const rows = await db
      .select({ companyId: site.companyId, id: site.id, name: site.name, address: site.address })
      .from(site)
      .where(and(inArray(site.companyId, [...new Set(companyIds)]), isNull(site.archivedAt)))
      .orderBy(asc(site.name));
    const byCompany = new Map<string, TSite[]>();
    for (const { companyId, ...row } of rows) {
      const list = byCompany.get(companyId) ?? [];
      list.push(row);
      byCompany.set(companyId, list);
    }
    return companyIds.map((companyId) => byCompany.get(companyId) ?? []);
  }),
);

type TFirstOpen = {
  session: typeof recipientSession.$inferInsert & { id: string };
  event: typeof invitationEvent.$inferInsert;
  webhook: Parameters<typeof webhookEventsIfSubscribedSql>[0][number];
};

/**
 * First opens, many browsers in one statement (lib/batch.ts: concurrent opens share a
 * round trip and a commit): their sessions, `viewed` events, and the companies'
 * `invitation.viewed` webhook events where they have an endpoint (PostgreSQL runs every
 * data-modifying CTE, read or not; all or nothing, and a rejected batch is retried row by
 * row so one bad row fails only its own open).
 */
const firstOpens = perDatabase((db: TDb) =>
  batcher<TFirstOpen, typeof recipientSession.$inferSelect>(async (opens) => {
    const inserted = db.$with("inserted").as(
      db
        .insert(recipientSession)
        .values(opens.map((open) => open.session))
        .returning(),
    );
    const viewed = db.$with("viewed").as(
      db
        .insert(invitationEvent)
        .values(opens.map((open) => open.event))
        .returning({ id: invitationEvent.id }),
    );
    const hook = db
      .$with("hook", { id: webhookEvent.id })
      .as(webhookEventsIfSubscribedSql(opens.map((open) => open.webhook)));
    const sessions = await db.with(inserted, viewed, hook).select().from(inserted);
    const byId = new Map(sessions.map((session) => [session.id, session]));
    return opens.map(
      (open) => byId.get(open.session.id) ?? new Error("recipient session insert returned nothing"),
    );
  }),
);

/**
 * A new browser's first open: its session, the `viewed` event and the webhook event, in
 * one statement shared with the other first opens of the moment. The cookie is set once
 * that statement has committed. The webhook data carries the integrator's keys as
 * emitWebhookEvent adds them.
 */
async function recordFirstOpen(
  ctx: TContextInner,
  { invitation, company }: TInvitationRow,
  options: { via: "email" | "link"; verifiedEmail: string | null },
) {
  const fresh = newRecipientSession(ctx, invitation.id);
  const sessionId = randomUUID();
  const session = await firstOpens(ctx.db)({
    session: { ...fresh.values, id: sessionId, verifiedEmail: options.verifiedEmail },
    event: invitationEventValues({
      invitationId: invitation.id,
      type: "viewed",
      actor: { type: "recipient", id: sessionId },
      client: ctx.client,
      data: { via: options.via },
    }),
    webhook: {
      companyId: company.id,
      type: "invitation.viewed",
      data: {
        invitationId: invitation.id,
        via: options.via,
        externalReference: invitation.externalReference,
        metadata: invitation.metadata,
      },
    },
  });
  fresh.setCookie();
  return session;
}
