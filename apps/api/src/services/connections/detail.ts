// One connection as its admin sees it: status and reason, where its MFA codes are to be
// forwarded, every collection run (the activity log) and the bills collected. Scoped to
// the admin's company: another company's id answers like an unknown one.
import { bill, connection, connectionSite, provider, site } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { ZCollectRecipe } from "@meterlink/shared/connection";
import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { signedDocumentUrl } from "../bills/document";
import { billNeedsReview } from "../bills/view";
import { recentRuns } from "../collection/run";
import { forwardingActivity } from "../mfa/activity";
import { forwardingOf } from "./forwarding";

/** What "Send reconnect invitation" pre-fills (the admin may change it). */
export const RECONNECT_DEFAULT_EXPIRY_DAYS = 7;

/**
 * How this connection's bills are collected, as the recipient's confirmation promised:
 * the utility's rules, generic discovery after each weekly sign-in, or (a utility not in
 * the catalog) a person's review first.
 */
function collectionPlanOf(providerId: string | null, rules: unknown) {
  if (!providerId) {
    return {
      kind: "manual_review" as const,
      text: "This utility is not in the catalog yet: our team reviews it before bills are collected. The sign-in details are stored safely.",
    };
  }
  const recipe = ZCollectRecipe.safeParse(rules ?? {});
  if (recipe.success && recipe.data.billsSelector) {
    return {
      kind: "rules" as const,
      text: "Signed in weekly; bills are read with this utility's collection rules.",
    };
  }
  return {
    kind: "discovery" as const,
    text: "Signed in weekly; bills are found on the utility's website automatically (it has no collection rules), and a bill nothing could be read from is marked for review.",
  };
}

export async function getConnectionDetail({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company" | "config">;
  input: { id: string };
}) {
  const [found] = await ctx.db
    .select({ connection, mfa: provider.mfa })
    .from(connection)
    .leftJoin(provider, eq(provider.id, connection.providerId))
    .where(and(eq(connection.id, input.id), eq(connection.companyId, ctx.company.id)));
  const row = found?.connection;
  if (!found || !row) {
    throw new AppError("NOT_FOUND", "This connection was not found. It may have been removed.");
  }
  const [sites, runs, bills, messages, providers, sameAccount] = await Promise.all([
    ctx.db
      .select({ id: site.id, name: site.name })
      .from(connectionSite)
      .innerJoin(site, eq(site.id, connectionSite.siteId))
      .where(eq(connectionSite.connectionId, row.id)),
    recentRuns(ctx.db, row.id),
    ctx.db
      .select()
      .from(bill)
      .where(eq(bill.connectionId, row.id))
      .orderBy(desc(bill.issuedOn), desc(bill.createdAt))
      .limit(500),
    forwardingActivity(ctx.db, row.id),
    row.providerId
      ? ctx.db
          .select({ rules: provider.rules })
          .from(provider)
          .where(eq(provider.id, row.providerId))
      : Promise.resolve([]),
    // Duplicates: the company's other connections of the same utility account.
    row.accountTag
      ? ctx.db
          .select({ id: connection.id, createdAt: connection.createdAt })
          .from(connection)
          .where(
            and(
              eq(connection.companyId, ctx.company.id),
              eq(connection.accountTag, row.accountTag),
              ne(connection.id, row.id),
            ),
          )
          .orderBy(asc(connection.createdAt))
      : Promise.resolve([]),
  ]);
  // A utility that sends codes needs them forwarded for weekly sign-ins; until one message
  // has ever arrived (the recipient skipped the MFA step's test), the admin is told.
  const needsForwarding = found.mfa !== null && found.mfa !== "none";
  // Field by field on purpose: never the sealed credential.
  return {
    id: row.id,
    providerId: row.providerId,
    providerName: row.providerName,
    utilityTypes: row.utilityTypes,
    ownerEmail: row.ownerEmail,
    status: row.status,
    statusReason: row.statusReason,
    collectionStartDate: row.collectionStartDate,
    lastCollectedAt: row.lastCollectedAt,
    createdAt: row.createdAt,
    sites,
    sameAccountAs: sameAccount.map((other) => other.id),
    unlistedDomain: row.unlistedDomain,
    accountNumber: row.accountNumber,
    collection: collectionPlanOf(row.providerId, providers[0]?.rules),
    forwarding: {
      ...forwardingOf(ctx.config.inbound, row),
      needed: needsForwarding,
      setUp: messages.length > 0,
      notice:
        needsForwarding && messages.length === 0
          ? "MFA forwarding not set up: weekly sign-ins will need a code nobody forwards. Ask the account owner to forward the utility's codes to the address above."
          : null,
      messages,
    },
    reconnect: {
      suggested: row.status === "error",
      defaultExpiryDays: RECONNECT_DEFAULT_EXPIRY_DAYS,
    },
    runs,
    bills: bills.map((b) => ({
      id: b.id,
      externalId: b.externalId,
      utilityType: b.utilityType,
      periodStart: b.periodStart,
      periodEnd: b.periodEnd,
      issuedOn: b.issuedOn,
      dueOn: b.dueOn,
      usage: b.usage,
      unit: b.unit,
      amount: b.amount,
      currency: b.currency,
      accountNumber: b.accountNumber,
      files: b.files.map((f) => ({
        kind: f.kind,
        contentType: f.contentType,
        bytes: f.bytes,
        /** A signed link valid for minutes (services/bills/document.ts). */
        url: signedDocumentUrl(ctx.config.tokenKey, { billId: b.id, kind: f.kind }),
      })),
      needsReview: billNeedsReview(b),
      collectedAt: b.createdAt,
    })),
  };
}
