import type { TCurrency, TPortalId, TUtilityType } from "./accounts";

// What makes each fake utility look and behave like a different company: name, locale,
// login shape, paths, colours, logo and every user-visible text. Routes and pages read
// only this; the catalog's "login recipe" (catalog.ts) is derived from it so the two
// cannot disagree.

export type TLoginShape = "plain" | "two-step" | "spa" | "sms-mfa" | "email-mfa" | "fr";

export type TPortalTexts = {
  signInTitle: string;
  signInIntro: string;
  usernameLabel: string;
  passwordLabel: string;
  continueButton: string;
  submitButton: string;
  changeUser: string;
  wrongPassword: string;
  locked: string;
  missingFields: string;
  codeTitle: string;
  codeIntro: (destination: string) => string;
  codeLabel: string;
  codeButton: string;
  codeResend: string;
  codeResent: string;
  wrongCode: string;
  codeMessage: (portalName: string, code: string) => string;
  accountTitle: string;
  greeting: (name: string) => string;
  accountNumber: string;
  serviceAddress: string;
  billsTitle: string;
  noBills: string;
  colPeriod: string;
  colUtility: string;
  colUsage: string;
  colAmount: string;
  colDue: string;
  colDownload: string;
  utility: Record<TUtilityType, string>;
  allBills: string;
  logout: string;
  loggedOut: string;
  help: string;
  footer: string;
};

export type TPortalTheme = {
  primary: string;
  primaryText: string;
  accent: string;
  background: string;
  surface: string;
  text: string;
  font: string;
  radius: string;
  logo: string;
  tagline: string;
};

export type TPortal = {
  id: TPortalId;
  catalogId: string;
  name: string;
  shape: TLoginShape;
  country: string;
  /** BCP 47 tag used for the page's `lang` and for number/date formatting. */
  locale: string;
  currency: TCurrency;
  utilityTypes: TUtilityType[];
  mfa: "none" | "sms" | "email";
  /** Path segments under `/{id}`; the French portal uses French paths. */
  paths: {
    login: string;
    password: string;
    code: string;
    account: string;
    bills: string;
    logout: string;
  };
  sessionCookie: string;
  /** Input ids (also their form field names) and the id every primary button carries. */
  fields: { username: string; password: string; code: string; submit: string };
  theme: TPortalTheme;
  texts: TPortalTexts;
};

const utilityEn: Record<TUtilityType, string> = {
  electricity: "Electricity",
  gas: "Gas",
  water: "Water",
};

const baseTextsEn = {
  signInTitle: "Sign in",
  signInIntro: "Manage your account, view bills and track your usage.",
  usernameLabel: "Email address",
  passwordLabel: "Password",
  continueButton: "Continue",
  submitButton: "Sign in",
  changeUser: "Not you?",
  missingFields: "Please fill in every field.",
  codeTitle: "Verify it's you",
  codeIntro: (destination: string) => `We sent a 6-digit code to ${destination}.`,
  codeLabel: "6-digit code",
  codeButton: "Verify",
  codeResend: "Send a new code",
  codeResent: "A new code is on its way.",
  wrongCode: "That code is not valid or has expired. Check the latest message and try again.",
  codeMessage: (portalName: string, code: string) =>
    `${portalName}: your verification code is ${code}. It expires in 10 minutes. Never share it.`,
  accountTitle: "My account",
  greeting: (name: string) => `Welcome back, ${name}`,
  accountNumber: "Account number",
  serviceAddress: "Service address",
  billsTitle: "Bills & statements",
  noBills: "No bills yet.",
  colPeriod: "Billing period",
  colUtility: "Service",
  colUsage: "Usage",
  colAmount: "Amount",
  colDue: "Due date",
  colDownload: "Download",
  utility: utilityEn,
  allBills: "All bills",
  logout: "Sign out",
  loggedOut: "You have been signed out.",
  help: "Help & support",
} satisfies Partial<TPortalTexts>;

const englishPaths = {
  login: "login",
  password: "login/password",
  code: "login/verify",
  account: "account",
  bills: "account/bills",
  logout: "logout",
};

function logo(svgBody: string, colour: string): string {
  return `<svg class="logo-mark" width="40" height="40" viewBox="0 0 40 40" aria-hidden="true" fill="${colour}">${svgBody}</svg>`;
}

export const PORTALS: Record<TPortalId, TPortal> = {
  northwind: {
    id: "northwind",
    catalogId: "sandbox-northwind",
    name: "Northwind Power",
    shape: "plain",
    country: "US",
    locale: "en-US",
    currency: "USD",
    utilityTypes: ["electricity"],
    mfa: "none",
    paths: englishPaths,
    sessionCookie: "nwp_sid",
    fields: { username: "username", password: "password", code: "code", submit: "signin-submit" },
    theme: {
      primary: "#12284b",
      primaryText: "#ffffff",
      accent: "#f5b700",
      background: "#eef1f6",
      surface: "#ffffff",
      text: "#1a2233",
      font: "Georgia, 'Times New Roman', serif",
      radius: "2px",
      logo: logo('<path d="M23 2 8 23h10l-3 15 17-23H21z"/>', "#f5b700"),
      tagline: "Powering the Pacific Northwest since 1921",
    },
    texts: {
      ...baseTextsEn,
      usernameLabel: "User ID",
      signInTitle: "Customer sign in",
      wrongPassword: "The User ID or password you entered is incorrect.",
      locked:
        "Your account has been locked after too many failed sign-in attempts. Try again in 10 minutes or call 1-800-555-0110.",
      footer: "© 2026 Northwind Power Company. Regulated by the Oregon Public Utility Commission.",
    },
  },
  cascade: {
    id: "cascade",
    catalogId: "sandbox-cascade",
    name: "Cascade Water",
    shape: "two-step",
    country: "US",
    locale: "en-US",
    currency: "USD",
    utilityTypes: ["water"],
    mfa: "none",
    paths: englishPaths,
    sessionCookie: "cw_session",
    fields: { username: "email", password: "password", code: "code", submit: "next-button" },
    theme: {
      primary: "#0077b6",
      primaryText: "#ffffff",
      accent: "#48cae4",
      background: "#e6f6fb",
      surface: "#ffffff",
      text: "#023047",
      font: "'Trebuchet MS', Verdana, sans-serif",
      radius: "14px",
      logo: logo('<path d="M20 3C14 12 8 18 8 25a12 12 0 0 0 24 0c0-7-6-13-12-22z"/>', "#48cae4"),
      tagline: "Clean water for the Cascade region",
    },
    texts: {
      ...baseTextsEn,
      signInTitle: "Sign in to My Water",
      wrongPassword: "That password doesn't match our records.",
      locked: "For your security, this account is temporarily locked. Try again later.",
      footer: "© 2026 Cascade Water District. A public utility.",
    },
  },
  helios: {
    id: "helios",
    catalogId: "sandbox-helios",
    name: "Helios Energy",
    shape: "spa",
    country: "GB",
    locale: "en-GB",
    currency: "GBP",
    utilityTypes: ["electricity", "gas"],
    mfa: "none",
    paths: englishPaths,
    sessionCookie: "helios_auth",
    fields: {
      username: "login-email",
      password: "login-password",
      code: "login-code",
      submit: "login-button",
    },
    theme: {
      primary: "#5b2a86",
      primaryText: "#ffffff",
      accent: "#ff8c42",
      background: "#f7f2fb",
      surface: "#ffffff",
      text: "#2b1740",
      font: "'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
      radius: "24px",
      logo: logo(
        '<circle cx="20" cy="20" r="8"/><g stroke="#ff8c42" stroke-width="3" stroke-linecap="round"><path d="M20 2v6M20 32v6M2 20h6M32 20h6M7 7l4 4M29 29l4 4M7 33l4-4M29 11l4-4"/></g>',
        "#ff8c42",
      ),
      tagline: "Greener electricity and gas for Britain",
    },
    texts: {
      ...baseTextsEn,
      signInTitle: "Log in to your Helios account",
      submitButton: "Log in",
      wrongPassword: "Incorrect email address or password. Please try again.",
      locked: "Too many attempts. Your account is locked for 10 minutes.",
      billsTitle: "Your statements",
      logout: "Log out",
      footer: "© 2026 Helios Energy Supply Ltd. Registered in England and Wales No. 01234567.",
    },
  },
  summit: {
    id: "summit",
    catalogId: "sandbox-summit",
    name: "Summit Gas",
    shape: "sms-mfa",
    country: "US",
    locale: "en-US",
    currency: "USD",
    utilityTypes: ["gas"],
    mfa: "sms",
    paths: englishPaths,
    sessionCookie: "summit.sid",
    fields: { username: "email", password: "password", code: "otp", submit: "sign-in-btn" },
    theme: {
      primary: "#1b4332",
      primaryText: "#ffffff",
      accent: "#95d5b2",
      background: "#f1f5f2",
      surface: "#ffffff",
      text: "#102a20",
      font: "Verdana, Geneva, sans-serif",
      radius: "6px",
      logo: logo('<path d="M2 34 15 10l7 12 5-7 11 19z"/>', "#95d5b2"),
      tagline: "Natural gas for the Rocky Mountain West",
    },
    texts: {
      ...baseTextsEn,
      wrongPassword: "Invalid email or password.",
      locked: "This account is locked because of repeated failed sign-in attempts.",
      codeTitle: "Two-step verification",
      codeIntro: (destination: string) => `Enter the 6-digit code we texted to ${destination}.`,
      footer: "© 2026 Summit Gas Inc. Smell gas? Leave the area and call 911.",
    },
  },
  lakeside: {
    id: "lakeside",
    catalogId: "sandbox-lakeside",
    name: "Lakeside Utilities",
    shape: "email-mfa",
    country: "CA",
    locale: "en-CA",
    currency: "CAD",
    utilityTypes: ["electricity"],
    mfa: "email",
    paths: englishPaths,
    sessionCookie: "lu_session",
    fields: {
      username: "email",
      password: "password",
      code: "security-code",
      submit: "login-submit",
    },
    theme: {
      primary: "#006d77",
      primaryText: "#ffffff",
      accent: "#e29578",
      background: "#edf6f9",
      surface: "#ffffff",
      text: "#103a3f",
      font: "Tahoma, Verdana, sans-serif",
      radius: "8px",
      logo: logo(
        '<path d="M2 24c4-4 8-4 12 0s8 4 12 0 8-4 12 0v4c-4-4-8-4-12 0s-8 4-12 0-8-4-12 0z"/><circle cx="28" cy="11" r="6"/>',
        "#e29578",
      ),
      tagline: "Your community electricity provider",
    },
    texts: {
      ...baseTextsEn,
      signInTitle: "Log in to MyLakeside",
      wrongPassword: "We couldn't sign you in with those details.",
      locked: "Your account is temporarily locked. Please wait 10 minutes before trying again.",
      codeTitle: "Check your email",
      codeIntro: (destination: string) =>
        `Enter the 6-digit security code we emailed to ${destination}.`,
      footer: "© 2026 Lakeside Utilities Corp. Serving Ontario lakeshore communities.",
    },
  },
  lumiere: {
    id: "lumiere",
    catalogId: "sandbox-lumiere",
    name: "Énergie Lumière",
    shape: "fr",
    country: "FR",
    locale: "fr-FR",
    currency: "EUR",
    utilityTypes: ["electricity"],
    mfa: "none",
    paths: {
      login: "connexion",
      password: "connexion/mot-de-passe",
      code: "connexion/code",
      account: "espace-client",
      bills: "espace-client/factures",
      logout: "deconnexion",
    },
    sessionCookie: "el_session",
    fields: {
      username: "identifiant",
      password: "motdepasse",
      code: "code",
      submit: "btn-connexion",
    },
    theme: {
      primary: "#1d3c8f",
      primaryText: "#ffffff",
      accent: "#e63946",
      background: "#f4f6fb",
      surface: "#ffffff",
      text: "#14213d",
      font: "'Marianne', Arial, Helvetica, sans-serif",
      radius: "4px",
      logo: logo(
        '<path d="M20 3a11 11 0 0 0-6 20v5h12v-5A11 11 0 0 0 20 3z"/><rect x="15" y="30" width="10" height="3"/><rect x="16" y="35" width="8" height="3"/>',
        "#ffd166",
      ),
      tagline: "L'électricité verte, simplement",
    },
    texts: {
      signInTitle: "Connexion à votre espace client",
      signInIntro: "Consultez vos factures et suivez votre consommation.",
      usernameLabel: "Identifiant (adresse e-mail)",
      passwordLabel: "Mot de passe",
      continueButton: "Continuer",
      submitButton: "Se connecter",
      changeUser: "Ce n'est pas vous ?",
      wrongPassword: "Identifiant ou mot de passe incorrect.",
      locked:
        "Votre compte est temporairement bloqué suite à trop de tentatives. Réessayez dans 10 minutes.",
      missingFields: "Veuillez remplir tous les champs.",
      codeTitle: "Vérification",
      codeIntro: (destination: string) =>
        `Nous avons envoyé un code à 6 chiffres à ${destination}.`,
      codeLabel: "Code à 6 chiffres",
      codeButton: "Valider",
      codeResend: "Renvoyer un code",
      codeResent: "Un nouveau code vous a été envoyé.",
      wrongCode: "Code invalide ou expiré.",
      codeMessage: (portalName: string, code: string) =>
        `${portalName} : votre code de vérification est ${code}. Ne le communiquez à personne.`,
      accountTitle: "Mon espace client",
      greeting: (name: string) => `Bonjour ${name}`,
      accountNumber: "Référence client",
      serviceAddress: "Adresse de consommation",
      billsTitle: "Mes factures",
      noBills: "Aucune facture pour le moment.",
      colPeriod: "Période de consommation",
      colUtility: "Énergie",
      colUsage: "Consommation",
      colAmount: "Montant TTC",
      colDue: "Date d'échéance",
      colDownload: "Télécharger",
      utility: { electricity: "Électricité", gas: "Gaz", water: "Eau" },
      allBills: "Toutes mes factures",
      logout: "Se déconnecter",
      loggedOut: "Vous êtes déconnecté.",
      help: "Aide et contact",
      footer: "© 2026 Énergie Lumière SA — Fournisseur d'électricité agréé. Mentions légales.",
    },
  },
};

export function portalPath(portal: TPortal, page: keyof TPortal["paths"]): string {
  return `/${portal.id}/${portal.paths[page]}`;
}

export function isPortalId(value: string): value is TPortalId {
  return Object.hasOwn(PORTALS, value);
}

/** Accepts either the short id ("northwind") or the catalog id ("sandbox-northwind"). */
export function resolvePortalId(value: string): TPortalId | undefined {
  const short = value.startsWith("sandbox-") ? value.slice("sandbox-".length) : value;
  return isPortalId(short) ? short : undefined;
}
