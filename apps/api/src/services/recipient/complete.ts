// Completing an invitation. A use is consumed in the same transaction that creates (or,
// for reconnect, updates) the connection: with max uses 1, any number of parallel
// completions create exactly one connection, because the conditional UPDATE on the
// invitation row serialises them and only the first still finds a use left.
// A live sign-in is consumed the same way, in the same transaction: one sign-in gives
// at most one connection, however many uses the invitation has left.
import {
  bill,
  connection,
  connectionSite,
  invitation,
  invitationConnection,
  loginSession,
  provider,
  recipientSession,
  site,
} from "@meterlink/db";
import { AppError, invitationStatus, type ZRecipientComplete } from "@meterlink/shared";
import { accountTagKeyOf, accountTagOf } from "@meterlink/shared/account-tag";
import { ZLoginRecipe } from "@meterlink/shared/recipe";
import { and, asc, count, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { sealCredential } from "../../lib/vault";
import type { TContextInner } from "../../trpc";
import { adoptFirstBills, settleFirstBills } from "../bills/first-bills";
import { endLoginSessions } from "../fleet/sessions";
import { recordEvent } from "../invitations/events";
import { adoptForwardedMessages } from "../mfa/activity";
import { providersVisibleTo } from "../providers/company-utilities";
import { isTestEnvironment } from "../test-mode/environment";
import { emitConnectionStatusChanged, emitWebhookEvent } from "../webhooks/emit";
import { announceInvitationChanged, forgetInvitation } from "./invitation-cache";
import { deadLinkError, findInvitationByToken, requireRecipientSession } from "./resolve";
import { returnUrlOf } from "./return-url";
import { UNLISTED_PREFIX, unlistedDomainOf } from "./utility-address";

type TInput = z.output<typeof ZRecipientComplete>;

const SIGN_IN_ALREADY_USED = new AppError(
  "CONFLICT",
  "This sign-in has already been used to connect an account. Sign in again to connect another one.",
  { reason: "signInAlreadyUsed" },
);

/** A test-mode link (services/test-mode) never stores a real utility's credential. */
const TEST_LINK_SANDBOX_ONLY =
  "This is a test link: only sandbox utilities can be connected with it. Pick one from the list.";

async function resolveProvider(
  ctx: TContextInner,
  input: TInput,
  testMode: boolean,
  companyId: string,
) {
  if (input.provider.kind === "manual") {
    if (testMode) throw AppError.field("provider", TEST_LINK_SANDBOX_ONLY);
    return { id: null, name: input.provider.name };
  }
  const [found] = await ctx.db
    .select({ id: provider.id, name: provider.name, isSandbox: provider.isSandbox })
    .from(provider)
    .where(and(eq(provider.id, input.provider.providerId), providersVisibleTo(companyId)));
  if (!found)
    throw AppError.field(
      "provider.providerId",
      "We don't know this utility. Pick one from the list or enter it by hand.",
    );
  if (testMode && !found.isSandbox) throw AppError.field("provider", TEST_LINK_SANDBOX_ONLY);
  return { id: found.id, name: found.name };
}

const ALREADY_CONNECTED = new AppError(
  "CONFLICT",
  "This utility account is already connected. You can add your sites to the existing connection instead, or connect it again anyway.",
  { reason: "alreadyConnected" },
);

/**
 * The sealed credential: sealed here for manual entry, by the worker for a live login.
 * With it the account's tag (@meterlink/shared/account-tag): computed here from the typed
 * username, or by the worker, the only one that saw it, under the company's tag key.
 */
async function sealedCredentialOf(
  ctx: TContextInner,
  input: TInput,
  ids: { sessionId: string; invitationId: string; companyId: string },
  chosen: { id: string | null; name: string } | null,
) {
  const { sessionId, invitationId } = ids;
  const providerId = chosen?.id ?? null;
  if (input.credential.method === "manual") {
    const { username, password, notes } = input.credential;
    return {
      sealed: await sealCredential(
        { username, password, notes, providerId },
        ctx.config.vaultPublicJwk,
      ),
      loginSessionId: null,
      // A website the recipient gave that no provider uses (utility-address.ts).
      unlistedDomain:
        input.provider.kind === "manual" && input.provider.url
          ? await unlistedDomainOf(ctx, ids.companyId, input.provider.url)
          : null,
      accountTag: chosen
        ? accountTagOf(
            accountTagKeyOf(ctx.config.tokenKey, ids.companyId),
            chosen.id ?? chosen.name,
            username,
          )
        : null,
      recipe: null,
    };
  }
  const [login] = await ctx.db
    .select()
    .from(loginSession)
    .where(
      and(
        eq(loginSession.id, input.credential.loginSessionId),
        eq(loginSession.invitationId, invitationId),
        eq(loginSession.recipientSessionId, sessionId),
        eq(loginSession.outcome, "success"),
      ),
    );
  if (login && login.meta.consumedBy !== undefined) throw SIGN_IN_ALREADY_USED;
  if (!login?.sealedCredential) {
    throw AppError.field(
      "credential",
      "We did not see a successful sign-in in the remote browser. Sign in again, or enter your details by hand.",
    );
  }
  const tag = login.meta.accountTag;
  // The learned login recipe the worker recorded, if any (#19): checked, it is stored data.
  const recipe = ZLoginRecipe.safeParse(login.meta.recipe);
  return {
    sealed: login.sealedCredential,
    loginSessionId: login.id,
    recipe: recipe.success ? recipe.data : null,
    accountTag: typeof tag === "string" ? tag : null,
    // A session at an address the recipient typed (utility-address.ts).
    unlistedDomain: login.providerId?.startsWith(UNLISTED_PREFIX)
      ? login.providerId.slice(UNLISTED_PREFIX.length)
      : null,
  };
}

/** The company's oldest connection of the same utility account, if any. */
async function existingConnectionOf(
  db: Pick<TContextInner["db"], "select">,
  companyId: string,
  accountTag: string | null,
) {
  if (!accountTag) return null;
  const [found] = await db
    .select({ id: connection.id })
    .from(connection)
    .where(and(eq(connection.companyId, companyId), eq(connection.accountTag, accountTag)))
    .orderBy(asc(connection.createdAt))
    .limit(1);
  return found ?? null;
}

/** How long completing waits for a live session still reading its first bills. */
const FIRST_BILLS_WAIT_MS = 30_000;

export async function completeInvitation({ ctx, input }: { ctx: TContextInner; input: TInput }) {
  const row = await findInvitationByToken(ctx, input.token);
  const status = invitationStatus(row.invitation);
  if (status !== "active") throw deadLinkError(status);
  const session = await requireRecipientSession(ctx, row);
  if (!session.consentedAt) {
    throw AppError.field(
      "consent",
      "Please confirm that you agree to share access before connecting your account.",
    );
  }
  const inv = row.invitation;

  const chosenProvider =
    inv.kind === "contributor"
      ? await resolveProvider(ctx, input, isTestEnvironment(row.company), inv.companyId)
      : null;
  if (inv.kind === "contributor" && !input.siteIds.length) {
    // The sites step asks for one when the company lists any: so does the server, or a
    // connection would cover no building and nobody could tell whose bills it collects.
    const [anySite] = await ctx.db
      .select({ id: site.id })
      .from(site)
      .where(and(eq(site.companyId, inv.companyId), isNull(site.archivedAt)))
      .limit(1);
    if (anySite) {
      throw AppError.field("siteIds", "Choose at least one site that this account covers.");
    }
  }
  if (inv.kind === "contributor" && input.siteIds.length) {
    const found = await ctx.db
      .select({ id: site.id })
      .from(site)
      .where(
        and(
          eq(site.companyId, inv.companyId),
          inArray(site.id, input.siteIds),
          isNull(site.archivedAt),
        ),
      );
    if (found.length !== new Set(input.siteIds).size) {
      throw AppError.field(
        "siteIds",
        "Some of the chosen sites are not available. Pick sites from the list.",
      );
    }
  }
  const credential = await sealedCredentialOf(
    ctx,
    input,
    { sessionId: session.id, invitationId: inv.id, companyId: inv.companyId },
    chosenProvider,
  );
  const actor = { type: "recipient" as const, id: session.id };

  const result = await ctx.db.transaction(async (tx) => {
    if (credential.loginSessionId) {
      // Claimed first, conditionally: of parallel completions with one sign-in, only
      // one finds it unclaimed; the others roll back before touching the invitation.
      const [claimed] = await tx
        .update(loginSession)
        .set({ meta: sql`${loginSession.meta} || '{"consumedBy":"pending"}'::jsonb` })
        .where(
          and(
            eq(loginSession.id, credential.loginSessionId),
            sql`not (${loginSession.meta} ? 'consumedBy')`,
          ),
        )
        .returning({ id: loginSession.id });
      if (!claimed) throw SIGN_IN_ALREADY_USED;
    }
    const [consumed] = await tx
      .update(invitation)
      .set({ uses: sql`${invitation.uses} + 1` })
      .where(
        and(
          eq(invitation.id, inv.id),
          isNull(invitation.revokedAt),
          or(isNull(invitation.maxUses), lt(invitation.uses, invitation.maxUses)),
          or(isNull(invitation.expiresAt), gt(invitation.expiresAt, new Date())),
        ),
      )
      .returning();
    if (!consumed) return { consumed: null, connectionId: null, addTo: null };

    // The same account connected twice ("one account, the same site, six times"): the
    // recipient is asked first; the admin sees any that were connected anyway. Checked
    // after the use is taken, so a used-up link still says so; refusing rolls it back.
    const existing =
      consumed.kind === "contributor"
        ? await existingConnectionOf(tx, consumed.companyId, credential.accountTag)
        : null;
    if (existing && input.onDuplicate === "ask") throw ALREADY_CONNECTED;
    const addTo = existing && input.onDuplicate === "addSites" ? existing.id : null;

    let connectionId: string;
    if (consumed.kind === "reconnect") {
      if (!consumed.targetConnectionId) throw new Error("reconnect invitation without a target");
      const [before] = await tx
        .select({ status: connection.status })
        .from(connection)
        .where(eq(connection.id, consumed.targetConnectionId))
        .for("update");
      const [updated] = await tx
        .update(connection)
        .set({
          sealedCredential: credential.sealed,
          accountTag: credential.accountTag,
          loginRecipe: credential.recipe ?? null,
          status: "pending",
          statusReason: null,
          updatedAt: new Date(),
        })
        .where(
          and(
            eq(connection.id, consumed.targetConnectionId),
            eq(connection.companyId, consumed.companyId),
          ),
        )
        .returning({ id: connection.id });
      if (!updated)
        throw new AppError(
          "NOT_FOUND",
          "The connection this link was for no longer exists. Ask the sender for a new link.",
          { reason: "connectionGone" },
        );
      connectionId = updated.id;
      if (before && before.status !== "pending") {
        await emitConnectionStatusChanged(tx, {
          companyId: consumed.companyId,
          connectionId,
          status: "pending",
          previousStatus: before.status,
          reason: null,
        });
      }
    } else if (addTo) {
      // Added to the existing connection: its credential and bills stay as they are.
      connectionId = addTo;
      const siteIds = [...new Set(input.siteIds)];
      if (siteIds.length)
        await tx
          .insert(connectionSite)
          .values(siteIds.map((siteId) => ({ connectionId, siteId })))
          .onConflictDoNothing();
    } else {
      const [created] = await tx
        .insert(connection)
        .values({
          companyId: consumed.companyId,
          providerId: chosenProvider?.id ?? null,
          providerName: chosenProvider?.name ?? "Unknown utility",
          utilityTypes: [...new Set(input.utilityTypes)],
          ownerEmail:
            input.ownerEmail ?? consumed.prefill.ownerEmail ?? session.verifiedEmail ?? null,
          collectionStartDate:
            input.collectionStartDate ?? consumed.prefill.collectionStartDate ?? null,
          status: "pending",
          sealedCredential: credential.sealed,
          accountTag: credential.accountTag,
          unlistedDomain: credential.unlistedDomain,
          loginRecipe: credential.recipe ?? null,
          // The address the MFA step already showed, if it did.
          ...(session.forwardingKey ? { forwardingKey: session.forwardingKey } : {}),
          // The phone the MFA step's test text came from tells this connection's codes apart.
          forwardingPhone: session.forwardingPhone,
        })
        .returning({ id: connection.id });
      if (!created) throw new Error("connection insert returned nothing");
      connectionId = created.id;
      if (session.forwardingKey) {
        // Handed over: a second completion from this browser gets an address of its own.
        await tx
          .update(recipientSession)
          .set({ forwardingKey: null, forwardingCheckAt: null })
          .where(eq(recipientSession.id, session.id));
        // The MFA step's test messages become the connection's forwarding activity.
        await adoptForwardedMessages(tx, { recipientSessionId: session.id, connectionId });
      }
      const siteIds = [...new Set(input.siteIds)];
      if (siteIds.length)
        await tx.insert(connectionSite).values(siteIds.map((siteId) => ({ connectionId, siteId })));
    }
    await tx.insert(invitationConnection).values({
      invitationId: consumed.id,
      connectionId,
      action: consumed.kind === "reconnect" || addTo ? "updated" : "created",
    });
    if (credential.loginSessionId) {
      await tx
        .update(loginSession)
        .set({
          meta: sql`${loginSession.meta} || ${JSON.stringify({ consumedBy: connectionId })}::jsonb`,
        })
        .where(eq(loginSession.id, credential.loginSessionId));
    }
    const events = [
      ...(input.credential.method === "manual" ? (["manual_entry"] as const) : []),
      "submitted" as const,
      consumed.kind === "reconnect" || addTo
        ? ("connection_updated" as const)
        : ("connection_created" as const),
      ...(invitationStatus(consumed) === "fulfilled" ? (["fulfilled"] as const) : []),
    ];
    for (const type of events) {
      await recordEvent(tx, {
        invitationId: consumed.id,
        type,
        actor: type === "fulfilled" ? { type: "system" } : actor,
        client: ctx.client,
        data: type.startsWith("connection_")
          ? { connectionId }
          : type === "submitted"
            ? { method: input.credential.method }
            : {},
      });
    }
    const hook = {
      companyId: consumed.companyId,
      data: { invitationId: consumed.id, connectionId },
    };
    await emitWebhookEvent(tx, {
      ...hook,
      type: consumed.kind === "reconnect" || addTo ? "connection.updated" : "connection.created",
    });
    if (invitationStatus(consumed) === "fulfilled") {
      await emitWebhookEvent(tx, { ...hook, type: "invitation.fulfilled" });
      await announceInvitationChanged(tx, consumed.id);
    }
    return { consumed, connectionId, addTo };
  });
  const addTo = result.addTo;
  if (result.consumed) forgetInvitation(ctx, result.consumed.id);

  if (!result.consumed || !result.connectionId) {
    // Someone else took the last use (or the link died) between our check and commit.
    const again = await findInvitationByToken(ctx, input.token);
    const now = invitationStatus(again.invitation);
    throw deadLinkError(now === "active" ? "fulfilled" : now);
  }
  // First bills read in the recipient's own session become the connection's: no second
  // sign-in (and so no second one-time code) is queued for them.
  const loginSessionId = credential.loginSessionId;
  let haveFirstBills = false;
  if (loginSessionId && !addTo) {
    await settleFirstBills(ctx.db, loginSessionId, FIRST_BILLS_WAIT_MS);
    const connectionId = result.connectionId;
    haveFirstBills = await ctx.db.transaction((tx) =>
      adoptFirstBills(tx, { loginSessionId, connectionId }),
    );
  }
  // The remote browser has done its job: close it now rather than at its idle timeout.
  await endLoginSessions(ctx, { recipientSessionId: session.id }, "recipient_ended");
  if (!haveFirstBills && !addTo) await ctx.jobs.connectionReady(result.connectionId);
  // What the first read found: the page says "already in" only when something is.
  const firstBills = haveFirstBills
    ? ((
        await ctx.db
          .select({ n: count() })
          .from(bill)
          .where(eq(bill.connectionId, result.connectionId))
      )[0]?.n ?? 0)
    : 0;
  return {
    connectionId: result.connectionId,
    // Active at once when the live session's first bills were adopted: the recipient is
    // told so, and nothing is left to collect for them.
    status: haveFirstBills ? ("active" as const) : ("pending" as const),
    firstBills,
    returnUrl: returnUrlOf(inv, result.connectionId),
  };
}
