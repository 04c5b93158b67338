// Creating an invitation writes the row, its `created` event and one outbox email per
// recipient in ONE statement: either the admin sees the invitation and its emails go
// out, or nothing was written at all.
import { randomUUID } from "node:crypto";
import {
  connection,
  connectionSite,
  emailMessage,
  invitation,
  invitationEvent,
  invitationRecipient,
  provider,
  site,
  type TDb,
  type TInvitationPrefill,
  webhookEvent,
} from "@meterlink/db";
import {
  AppError,
  type TCreateInvitationParsed,
  type TExpiry,
  type TFieldError,
} from "@meterlink/shared";
import { and, eq, inArray } from "drizzle-orm";
import { batcher, perDatabase } from "../../lib/batch";
import { encryptSecret, hashToken, newToken } from "../../lib/tokens";
import type { TCompanyContext } from "../../trpc";
import { providersVisibleTo } from "../providers/company-utilities";
import { refuseRealProviderInTestMode } from "../test-mode/environment";
import { webhookEventsIfSubscribedSql } from "../webhooks/emit";
import { invitationEventValues } from "./events";
import { invitationUrl } from "./links";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The expiry as stored: `expiry`, or `expiresInSeconds` (a duration), never both. */
function expiryOf(
  input: Pick<TCreateInvitationParsed, "expiry" | "expiresInSeconds">,
  now: Date,
): { kind: TExpiry["kind"]; at: Date | null } {
  if (input.expiresInSeconds !== undefined) {
    if (input.expiry) {
      throw AppError.field("expiresInSeconds", "Give either expiry or expiresInSeconds, not both.");
    }
    return { kind: "duration", at: new Date(now.getTime() + input.expiresInSeconds * 1000) };
  }
  const expiry = input.expiry ?? { kind: "never" };
  return { kind: expiry.kind, at: expiresAtOf(expiry, now) };
}

function expiresAtOf(expiry: TExpiry, now: Date): Date | null {
  switch (expiry.kind) {
    case "never":
      return null;
    case "duration":
      return new Date(now.getTime() + expiry.days * DAY_MS);
    case "date":
      return new Date(expiry.at);
  }
}

/** Checks everything that needs the database; collects all field errors at once. */
async function resolvePrefill(
  ctx: TCompanyContext,
  input: TCreateInvitationParsed,
): Promise<TInvitationPrefill> {
  const errors: TFieldError[] = [];
  if (input.kind === "reconnect") {
    const [target] = await ctx.db
      .select()
      .from(connection)
      .where(
        and(eq(connection.id, input.targetConnectionId), eq(connection.companyId, ctx.company.id)),
      );
    if (!target) {
      throw AppError.field(
        "targetConnectionId",
        "This connection was not found in your company. Pick one from the list.",
      );
    }
    const sites = await ctx.db
      .select({ id: connectionSite.siteId })
      .from(connectionSite)
      .where(eq(connectionSite.connectionId, target.id));
    const [known] = target.providerId
      ? await ctx.db
          .select({ country: provider.country })
          .from(provider)
          .where(eq(provider.id, target.providerId))
      : [];
    // Every prefill key, like a contributor invitation's: clients read one shape.
    return {
      providerId: target.providerId,
      providerUrl: null,
      country: known?.country ?? null,
      siteIds: sites.map((row) => row.id),
      utilityTypes: target.utilityTypes,
      ownerEmail: target.ownerEmail,
      collectionStartDate: target.collectionStartDate,
    };
  }
  const prefill = input.prefill;
  if (prefill.siteIds.length) {
    const found = await ctx.db
      .select({ id: site.id })
      .from(site)
      .where(and(eq(site.companyId, ctx.company.id), inArray(site.id, prefill.siteIds)));
    if (found.length !== new Set(prefill.siteIds).size) {
      errors.push({
        path: "prefill.siteIds",
        message: "Some of these sites are not in your company. Pick sites from the list.",
      });
    }
  }
  if (prefill.providerId) {
    const [known] = await ctx.db
      .select({ id: provider.id, isSandbox: provider.isSandbox })
      .from(provider)
      .where(and(eq(provider.id, prefill.providerId), providersVisibleTo(ctx.company.id)));
    if (!known) {
      errors.push({
        path: "prefill.providerId",
        message:
          "This provider is not in the catalog. Leave it empty or enter the utility's website instead.",
      });
    } else {
      refuseRealProviderInTestMode(ctx.company, known.isSandbox, "prefill.providerId");
    }
  }
  if (errors.length)
    throw new AppError("BAD_REQUEST", errors[0]?.message ?? "Check the form.", { fields: errors });
  return {
    providerId: prefill.providerId ?? null,
    providerUrl: prefill.providerUrl ?? null,
    country: prefill.country ?? null,
    siteIds: [...new Set(prefill.siteIds)],
    utilityTypes: [...new Set(prefill.utilityTypes)],
    ownerEmail: prefill.ownerEmail ?? null,
    collectionStartDate: prefill.collectionStartDate ?? null,
  };
}

/**
 * The "Back to …" button may only lead to the company's own registered origins (the
 * ones allowed to embed the flow): never an open redirect to anywhere.
 */
function refuseForeignRedirect(ctx: TCompanyContext, redirectUrl: string): void {
  const origin = new URL(redirectUrl).origin;
  if (ctx.company.allowedFrameOrigins.includes(origin)) return;
  throw AppError.field(
    "redirectUrl",
    `${origin} is not one of your company's registered origins. Add it in Settings › Embedding, or leave redirectUrl out.`,
  );
}

/**
 * A restricted invitation only opens for its allowed addresses: emailing anyone else
 * would send a link that then refuses them.
 */
export function refuseRecipientsOutsideAllowed(
  allowedEmails: string[],
  recipients: string[],
  path: string,
): void {
  if (!allowedEmails.length) return;
  const allowed = new Set(allowedEmails);
  const fields = recipients.flatMap((email, index) =>
    allowed.has(email.toLowerCase())
      ? []
      : [
          {
            path: `${path}.${index}`,
            message: `${email} is not on this invitation's allowed emails, so the link would refuse them. Add it to allowedEmails or remove it from the recipients.`,
          },
        ],
  );
  const first = fields[0];
  if (first) throw new AppError("BAD_REQUEST", first.message, { fields });
}

type TInvitationInsert = {
  invitation: typeof invitation.$inferInsert & { id: string };
  events: (typeof invitationEvent.$inferInsert)[];
  hook: Parameters<typeof webhookEventsIfSubscribedSql>[0][number];
  recipients: (typeof invitationRecipient.$inferInsert)[];
  messages: (typeof emailMessage.$inferInsert)[];
};

/**
 * One statement (data-modifying CTEs, all or nothing) for the invitations created at the
 * same moment (lib/batch.ts: one round trip and one commit for a burst; a statement
 * PostgreSQL refuses is retried invitation by invitation): the rows, their `created`
 * events and webhook events, and one outbox email per recipient with its events. Ids are
 * made by the caller so that no part waits for another's RETURNING; foreign keys are
 * checked at the end of the statement. Each creator is answered once it has committed.
 */
const invitationInserts = perDatabase((db: TDb) =>
  batcher<TInvitationInsert, string>(async (batch) => {
    const inserted = db.$with("inserted").as(
      db
        .insert(invitation)
        .values(batch.map((one) => one.invitation))
        .returning({ id: invitation.id }),
    );
    // One insert for all events, so the ids of each invitation's keep the order they happened in.
    const events = db.$with("events").as(
      db
        .insert(invitationEvent)
        .values(batch.flatMap((one) => one.events))
        .returning({ id: invitationEvent.id }),
    );
    const hook = db
      .$with("created_hook", { id: webhookEvent.id })
      .as(webhookEventsIfSubscribedSql(batch.map((one) => one.hook)));
    const recipients = batch.flatMap((one) => one.recipients);
    const messages = batch.flatMap((one) => one.messages);
    const emailCtes = recipients.length
      ? [
          db
            .$with("recipients")
            .as(
              db
                .insert(invitationRecipient)
                .values(recipients)
                .returning({ id: invitationRecipient.id }),
            ),
          db
            .$with("emails")
            .as(db.insert(emailMessage).values(messages).returning({ id: emailMessage.id })),
        ]
      : [];
    const rows = await db
      .with(inserted, events, hook, ...emailCtes)
      .select()
      .from(inserted);
    const stored = new Set(rows.map((row) => row.id));
    return batch.map((one) =>
      stored.has(one.invitation.id)
        ? one.invitation.id
        : new Error("invitation insert returned nothing"),
    );
  }),
);

export async function createInvitation({
  ctx,
  input,
}: {
  ctx: TCompanyContext;
  input: TCreateInvitationParsed;
}) {
  const now = new Date();
  const expiry = expiryOf(input, now);
  const expiresAt = expiry.at;
  if (input.redirectUrl) refuseForeignRedirect(ctx, input.redirectUrl);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw AppError.field(
      "expiry.at",
      "The expiry date is in the past. Pick a future date, or no expiry.",
    );
  }
  if (input.delivery.kind === "email") {
    refuseRecipientsOutsideAllowed(
      input.allowedEmails,
      input.delivery.recipients,
      "delivery.recipients",
    );
  }
  const prefill = await resolvePrefill(ctx, input);
  const token = newToken();
  const recipients = input.delivery.kind === "email" ? [...new Set(input.delivery.recipients)] : [];

  const invitationId = randomUUID();
  const values: typeof invitation.$inferInsert = {
    id: invitationId,
    companyId: ctx.company.id,
    kind: input.kind,
    targetConnectionId: input.kind === "reconnect" ? input.targetConnectionId : null,
    tokenHash: hashToken(token),
    tokenCiphertext: encryptSecret(token, ctx.config.tokenKey),
    allowedEmails: [...new Set(input.allowedEmails)],
    expiryKind: expiry.kind,
    expiresAt,
    maxUses: input.maxUses,
    prefill,
    delivery: input.delivery.kind,
    recipients,
    message: input.message ?? null,
    locale: input.locale,
    name: input.name ?? null,
    metadata: input.metadata ?? {},
    externalReference: input.externalReference ?? null,
    redirectUrl: input.redirectUrl ?? null,
    createdBy: ctx.actor.type === "admin" ? ctx.actor.id : null,
    createdVia: ctx.actor.type,
  };
  const createdData = {
    kind: input.kind,
    delivery: input.delivery.kind,
    recipients: recipients.length,
  };
  const emails = invitationEmailRows(ctx, invitationId, recipients, "invitation");
  const id = await invitationInserts(ctx.db)({
    invitation: { ...values, id: invitationId },
    events: [
      invitationEventValues({
        invitationId,
        type: "created",
        actor: ctx.actor,
        client: ctx.client,
        data: createdData,
      }),
      ...emails.events,
    ],
    // recordEvent's webhook for `created`, with the integrator's keys emitWebhookEvent adds.
    hook: {
      companyId: ctx.company.id,
      type: "invitation.created",
      data: {
        invitationId,
        ...createdData,
        actorType: ctx.actor.type,
        externalReference: values.externalReference,
        metadata: values.metadata,
      },
    },
    recipients: emails.recipients,
    messages: emails.messages,
  });

  await ctx.jobs.emailsQueued(emails.ids);
  return {
    id,
    url: invitationUrl(ctx.config.publicUrl, token),
    emailsQueued: emails.ids.length,
  };
}

/**
 * One outbox row per address, each with its own proof so the link it carries skips
 * email verification for that address: the rows to insert (recipient, email, event).
 */
function invitationEmailRows(
  ctx: Pick<TCompanyContext, "company" | "config" | "actor" | "client">,
  invitationId: string,
  recipients: string[],
  kind: "invitation" | "reconnect",
  options: { resent?: boolean } = {},
) {
  const rows = recipients.map((email) => {
    const proof = newToken();
    const recipientId = randomUUID();
    const emailId = randomUUID();
    return {
      emailId,
      recipient: {
        id: recipientId,
        invitationId,
        email,
        proofHash: hashToken(proof),
        proofCiphertext: encryptSecret(proof, ctx.config.tokenKey),
      } satisfies typeof invitationRecipient.$inferInsert,
      message: {
        id: emailId,
        companyId: ctx.company.id,
        invitationId,
        kind,
        to: email,
        payload: { recipientId },
      } satisfies typeof emailMessage.$inferInsert,
      event: invitationEventValues({
        invitationId,
        type: options.resent ? "email_resent" : "email_queued",
        actor: ctx.actor,
        client: ctx.client,
        data: { to: email, emailId },
      }),
    };
  });
  return {
    ids: rows.map((r) => r.emailId),
    recipients: rows.map((r) => r.recipient),
    messages: rows.map((r) => r.message),
    events: rows.map((r) => r.event),
  };
}

/** Queues those emails inside the caller's transaction (resend); returns their ids. */
export async function queueInvitationEmails(
  tx: Parameters<Parameters<TCompanyContext["db"]["transaction"]>[0]>[0],
  ctx: Pick<TCompanyContext, "company" | "config" | "actor" | "client">,
  invitationId: string,
  recipients: string[],
  kind: "invitation" | "reconnect",
  options: { resent?: boolean } = {},
): Promise<string[]> {
  const rows = invitationEmailRows(ctx, invitationId, recipients, kind, options);
  if (!rows.ids.length) return [];
  await tx.insert(invitationRecipient).values(rows.recipients);
  await tx.insert(emailMessage).values(rows.messages);
  await tx.insert(invitationEvent).values(rows.events);
  return rows.ids;
}
