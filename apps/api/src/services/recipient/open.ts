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
import { and, asc, eq, isNull, sql } from "drizzle-orm";
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
  const restricted = invitation.allowedEmails.length > 0;
  const providerId = invitation.prefill.providerId ?? null;
  // The reads that do not depend on this browser's session go out together, alongside its
  // session lookup or first-open write (they are awaited below; the no-op catch only keeps
  // a failed write from leaving them unhandled).
  const pageReads = Promise.all([
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
  // Sites only once the recipient may go on: a restricted link shows nothing before, so
  // only an unrestricted one reads them before knowing the session.
  const contributor = invitation.kind === "contributor";
  const earlySites = contributor && !restricted ? companySites(ctx.db)(company.id) : null;
  for (const read of [pageReads, earlySites]) read?.catch(() => undefined);

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
  const verified = !restricted || session.verifiedEmail !== null;
  const [[prefilled, reconnecting, inviter], sites] = await Promise.all([
    pageReads,
    verified && contributor ? (earlySites ?? companySites(ctx.db)(company.id)) : [],
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

/**
 * A company's live sites by name; the opens of the moment share one read (lib/batch.ts),
 * a statement built and prepared once (the company ids go as one JSON parameter).
 */
const companySites = perDatabase((db: TDb) => {
  const statement = db
    .select({ companyId: site.companyId, id: site.id, name: site.name, address: site.address })
    .from(site)
    .where(
      and(
        sql`${site.companyId} in (select jsonb_array_elements_text(${sql.placeholder("companyIds")}::jsonb)::uuid)`,
        isNull(site.archivedAt),
      ),
    )
    .orderBy(asc(site.name))
    .prepare("recipient_open_sites");
  return batcher<string, TSite[]>(async (companyIds) => {
    const rows = await statement.execute({ companyIds: JSON.stringify([...new Set(companyIds)]) });
    const byCompany = new Map<string, TSite[]>();
    for (const { companyId, ...row } of rows) {
      const list = byCompany.get(companyId) ?? [];
      list.push(row);
      byCompany.set(companyId, list);
    }
    return companyIds.map((companyId) => byCompany.get(companyId) ?? []);
  });
});

type TFirstOpen = {
  sessionId: string;
  invitationId: string;
  tokenHash: string;
  verifiedEmail: string | null;
  expiresAt: Date;
  event: ReturnType<typeof invitationEventValues>;
  companyId: string;
  webhookData: Record<string, unknown>;
};

/**
 * The statement of a batch of `n` first opens, built and prepared once per size: their
 * sessions, `viewed` events, and the companies' `invitation.viewed` webhook events where
 * they have an endpoint (PostgreSQL runs every data-modifying CTE, read or not; all or
 * nothing).
 */
function firstOpensStatement(db: TDb, n: number) {
  const rows = Array.from(
    { length: n },
    (_, i) => (name: string) => sql.placeholder(`${name}${i}`),
  );
  const inserted = db.$with("inserted").as(
    db
      .insert(recipientSession)
      .values(
        rows.map((at) => ({
          id: at("id"),
          invitationId: at("invitationId"),
          tokenHash: at("tokenHash"),
          verifiedEmail: at("verifiedEmail"),
          expiresAt: at("expiresAt"),
        })),
      )
      .returning(),
  );
  const viewed = db.$with("viewed").as(
    db
      .insert(invitationEvent)
      .values(
        rows.map((at) => ({
          invitationId: at("invitationId"),
          type: "viewed" as const,
          actorType: "recipient" as const,
          actorId: at("id"),
          data: at("data"),
          ip: at("ip"),
          userAgent: at("userAgent"),
        })),
      )
      .returning({ id: invitationEvent.id }),
  );
  const hook = db.$with("hook", { id: webhookEvent.id }).as(
    webhookEventsIfSubscribedSql(
      rows.map((at) => ({
        companyId: at("companyId"),
        type: "invitation.viewed",
        data: at("webhookData"),
      })),
    ),
  );
  return db
    .with(inserted, viewed, hook)
    .select()
    .from(inserted)
    .prepare(`recipient_first_opens_${n}`);
}

/**
 * First opens, many browsers in one statement (lib/batch.ts: concurrent opens share a
 * round trip and a commit; a statement PostgreSQL refuses is retried row by row, so one
 * bad row fails only its own open).
 */
const firstOpens = perDatabase((db: TDb) => {
  const statements = new Map<number, ReturnType<typeof firstOpensStatement>>();
  return batcher<TFirstOpen, typeof recipientSession.$inferSelect>(async (opens) => {
    let statement = statements.get(opens.length);
    if (!statement) {
      statement = firstOpensStatement(db, opens.length);
      statements.set(opens.length, statement);
    }
    const values: Record<string, unknown> = {};
    opens.forEach((open, i) => {
      values[`id${i}`] = open.sessionId;
      values[`invitationId${i}`] = open.invitationId;
      values[`tokenHash${i}`] = open.tokenHash;
      values[`verifiedEmail${i}`] = open.verifiedEmail;
      values[`expiresAt${i}`] = open.expiresAt;
      values[`data${i}`] = open.event.data;
      values[`ip${i}`] = open.event.ip;
      values[`userAgent${i}`] = open.event.userAgent;
      values[`companyId${i}`] = open.companyId;
      values[`webhookData${i}`] = JSON.stringify(open.webhookData);
    });
    const sessions = await statement.execute(values);
    const byId = new Map(sessions.map((session) => [session.id, session]));
    return opens.map(
      (open) => byId.get(open.sessionId) ?? new Error("recipient session insert returned nothing"),
    );
  });
});

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
    sessionId,
    invitationId: invitation.id,
    tokenHash: fresh.values.tokenHash,
    verifiedEmail: options.verifiedEmail,
    expiresAt: fresh.values.expiresAt,
    event: invitationEventValues({
      invitationId: invitation.id,
      type: "viewed",
      actor: { type: "recipient", id: sessionId },
      client: ctx.client,
      data: { via: options.via },
    }),
    companyId: company.id,
    webhookData: {
      invitationId: invitation.id,
      via: options.via,
      externalReference: invitation.externalReference,
      metadata: invitation.metadata,
    },
  });
  fresh.setCookie();
  return session;
}
