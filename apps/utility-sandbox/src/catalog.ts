import { PORTAL_IDS, type TUtilityType } from "./accounts";
import { bareHostname } from "./catalog-row";
import { PORTALS, portalPath, type TPortal } from "./portals";

// Catalog rows for the sandbox providers, with the "login recipe" the browser worker and
// the collector use: where the login lives, where success lands, which texts mean an
// error or an MFA step, and which selectors to fill. A recipe is applied as a loop: on
// each page fill whichever of username/password/code selectors is present, then click
// `submitSelector` (identifier-first portals show the username and password on two pages;
// the SPA portal has no <form>, only the button). Derived from portals.ts so it always
// matches the pages served.

export type TSandboxLoginRules = {
  /** Path prefix of every page that is still "signing in" (password, identifier, code). */
  loginPathPrefix: string;
  /** Path prefix a signed-in user lands on. */
  successPathPrefix: string;
  /** Texts the portal shows on a failed or locked sign-in. */
  errorText: string[];
  /** Texts the portal shows when it asks for a one-time code. */
  mfaText: string[];
  usernameSelector: string;
  passwordSelector: string;
  codeSelector?: string;
  submitSelector?: string;
  /** One element per bill, carrying `data-bill-id`, `data-period-start`… (see README). */
  billsSelector: string;
};

export type TSandboxProvider = {
  id: string;
  name: string;
  country: string;
  loginUrl: string;
  allowedHostnames: string[];
  utilityTypes: TUtilityType[];
  mfa: "none" | "sms" | "email";
  isSandbox: true;
  rules: TSandboxLoginRules;
};

export function sandboxProvider(portal: TPortal, baseUrl: string): TSandboxProvider {
  const base = new URL(baseUrl);
  const t = portal.texts;
  const origin = base.origin;
  const mfaText = portal.mfa === "none" ? [] : [t.codeTitle, t.codeLabel];
  return {
    id: portal.catalogId,
    name: portal.name,
    country: portal.country,
    loginUrl: `${origin}${portalPath(portal, "login")}`,
    allowedHostnames: [bareHostname(base)],
    utilityTypes: [...portal.utilityTypes],
    mfa: portal.mfa,
    isSandbox: true,
    rules: {
      loginPathPrefix: portalPath(portal, "login"),
      successPathPrefix: portalPath(portal, "account"),
      errorText: [t.wrongPassword, t.locked, ...(portal.mfa === "none" ? [] : [t.wrongCode])],
      mfaText,
      usernameSelector: `#${portal.fields.username}`,
      passwordSelector: `#${portal.fields.password}`,
      ...(portal.mfa === "none" ? {} : { codeSelector: `#${portal.fields.code}` }),
      submitSelector: `#${portal.fields.submit}`,
      billsSelector: "tr[data-bill-id]",
    },
  };
}

export function sandboxProviders(baseUrl: string): TSandboxProvider[] {
  return PORTAL_IDS.map((id) => sandboxProvider(PORTALS[id], baseUrl));
}

// Utilities without collection rules (generic discovery), for the dev seed beside these.
export { rulelessSandboxProviders } from "./ruleless";
