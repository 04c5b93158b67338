// The recipient types their utility's website address (#17). An address whose registrable
// domain (tldts) a visible provider uses is that provider; any other opens an *unlisted*
// live session restricted to that one registrable domain. The address passes the same
// checks as a company's own utility (https, public names and addresses only: the shared
// classification), and a test-mode link never reaches a real utility's site.
import { provider } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import type { TContextInner } from "../../trpc";
import { checkUtilityUrl, type TResolveHost } from "../providers/check-url";
import { domainOf, providersVisibleTo } from "../providers/company-utilities";
import type { TPublicSite } from "../providers/public-site";
import { isTestEnvironment } from "../test-mode/environment";
import { activeInvitationByToken } from "./resolve";

const TEST_LINK_NO_ADDRESS =
  "This is a test link: only sandbox utilities can be connected with it. Pick one from the list.";

/** The login session's provider id for an unlisted site: the domain is all it names. */
export const UNLISTED_PREFIX = "unlisted:";

export type TUtilityAddressMatch =
  | {
      kind: "catalog";
      providerId: string;
      name: string;
      registrableDomain: string;
      /** What the utility step needs to continue as if it had been picked from the list. */
      mfa: string;
      utilityTypes: string[];
    }
  | { kind: "unlisted"; url: string; registrableDomain: string };

/** The provider the company sees whose registrable domain is `domain`, if any. */
async function providerUsing(ctx: Pick<TContextInner, "db">, companyId: string, domain: string) {
  const visible = await ctx.db
    .select({
      id: provider.id,
      name: provider.name,
      loginUrl: provider.loginUrl,
      domain: provider.registrableDomain,
      mfa: provider.mfa,
      utilityTypes: provider.utilityTypes,
    })
    .from(provider)
    .where(providersVisibleTo(companyId));
  return visible.find((row) => (row.domain ?? domainOf(row.loginUrl)) === domain) ?? null;
}

/**
 * The registrable domain of a manually entered utility's website when no provider the
 * company sees uses it: that connection is marked unlisted like one signed into live (the
 * recipient's live browser could not reach the site, or they chose to type their details),
 * so the admin sees it and the platform team can add the utility to the catalog.
 */
export async function unlistedDomainOf(
  ctx: Pick<TContextInner, "db">,
  companyId: string,
  url: string,
): Promise<string | null> {
  const domain = domainOf(url);
  if (!domain) return null;
  return (await providerUsing(ctx, companyId, domain)) ? null : domain;
}

/** Checks the address and the link (a test link is refused), then matches the catalog. */
export async function matchUtilityAddress(
  ctx: Pick<TContextInner, "db">,
  company: { id: string; testOf: string | null },
  url: string,
  resolve?: TResolveHost,
): Promise<TUtilityAddressMatch & { site: TPublicSite }> {
  if (isTestEnvironment(company)) throw AppError.field("url", TEST_LINK_NO_ADDRESS);
  const site = await checkUtilityUrl(url, { field: "url", resolve });
  const same = await providerUsing(ctx, company.id, site.registrableDomain);
  return same
    ? {
        kind: "catalog",
        providerId: same.id,
        name: same.name,
        registrableDomain: site.registrableDomain,
        mfa: same.mfa,
        utilityTypes: same.utilityTypes,
        site,
      }
    : { kind: "unlisted", url: site.url, registrableDomain: site.registrableDomain, site };
}

/** `recipient.utilityAddress`: what the utility step does with a typed address. */
export async function recipientUtilityAddress({
  ctx,
  input,
  resolve,
}: {
  ctx: TContextInner;
  input: { token: string; url: string };
  resolve?: TResolveHost;
}): Promise<TUtilityAddressMatch> {
  const row = await activeInvitationByToken(ctx, input.token);
  const { site: _site, ...match } = await matchUtilityAddress(ctx, row.company, input.url, resolve);
  return match;
}
