// Utilities Meterlink has no collection rules for: their catalog rows carry no `rules`,
// so sign-in is learned from the recipient and bills are found by generic discovery.
// Each hides its bills differently from the rule-based portals (and from each other):
// - Brightwater Energy: bills behind a "Billing" menu, PDF links and CSV exports, plus
//   traps (an oversized annual summary, a "PDF" that is an HTML page, an off-host link);
// - Pinecrest Gas: "Download bill" buttons that `fetch` the PDF and save a blob: URL;
// - Eaux de Valmont (French): "Mes factures", a statements table in pages of two.
// Accounts and bills are per sandbox instance; `/_control/ruleless/*` (with `control`)
// changes a password or issues the next month's bill, as a real portal would between
// two weekly collections. A little over our ~450-line habit on purpose: the three portals'
// pages sit side by side so that how each differs from the others reads in one place.

import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rulelessProviderRow } from "./catalog-row";
import { buildPdf, pdfString } from "./documents";
import { escapeHtml } from "./render";
import { registerSteppedPortal } from "./stepped";
import { registerTwoStepPortal } from "./two-step";

export const RULELESS_PORTAL_IDS = ["brightwater", "pinecrest", "valmont"] as const;
export type TRulelessPortalId = (typeof RULELESS_PORTAL_IDS)[number];

export const RULELESS_USERNAME = "alice@example.com";
export const RULELESS_PASSWORD = "correct-horse-1";

type TLayout = "menu" | "blob-button" | "paginated";

type TRulelessPortal = {
  id: TRulelessPortalId;
  catalogId: string;
  name: string;
  lang: "en" | "fr";
  country: string;
  layout: TLayout;
  utility: "electricity" | "gas" | "water";
  unit: "kWh" | "m3";
  currency: "USD" | "EUR";
};

export const RULELESS_PORTALS: Record<TRulelessPortalId, TRulelessPortal> = {
  brightwater: {
    id: "brightwater",
    catalogId: "sandbox-brightwater",
    name: "Brightwater Energy",
    lang: "en",
    country: "US",
    layout: "menu",
    utility: "electricity",
    unit: "kWh",
    currency: "USD",
  },
  pinecrest: {
    id: "pinecrest",
    catalogId: "sandbox-pinecrest",
    name: "Pinecrest Gas",
    lang: "en",
    country: "US",
    layout: "blob-button",
    utility: "gas",
    unit: "m3",
    currency: "USD",
  },
  valmont: {
    id: "valmont",
    catalogId: "sandbox-valmont",
    name: "Eaux de Valmont",
    lang: "fr",
    country: "FR",
    layout: "paginated",
    utility: "water",
    unit: "m3",
    currency: "EUR",
  },
};

export type TRulelessBill = {
  id: string;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  usage: number;
  amountCents: number;
  /** A scanned bill: a PDF with no text layer, nothing a parser can read. */
  scanned?: boolean;
};

/** July–October 2026, issued five days after the period ends. */
function seedBills(prefix: string, base: number): TRulelessBill[] {
  return [7, 8, 9, 10].map((month, index) => billFor(prefix, month, base + index * 7));
}

function billFor(prefix: string, month: number, usage: number): TRulelessBill {
  const start = new Date(Date.UTC(2026, month - 1, 1));
  const end = new Date(Date.UTC(2026, month, 0));
  const issued = new Date(end.getTime() + 5 * 86_400_000);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return {
    id: `${prefix}-2026${String(month).padStart(2, "0")}`,
    periodStart: iso(start),
    periodEnd: iso(end),
    issuedOn: iso(issued),
    usage,
    amountCents: Math.round(usage * 23.5),
  };
}

const MONTHS_EN = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

function shownDate(portal: TRulelessPortal, iso: string): string {
  const [y, m, d] = iso.split("-");
  if (portal.lang === "fr") return `${d}/${m}/${y}`;
  return `${MONTHS_EN[Number(m) - 1]} ${Number(d)}, ${y}`;
}

function shownMoney(portal: TRulelessPortal, cents: number): string {
  const value = (cents / 100).toFixed(2);
  return portal.lang === "fr" ? `${value.replace(".", ",")} €` : `$${value}`;
}

function shownUsage(portal: TRulelessPortal, usage: number): string {
  const value = portal.lang === "fr" ? String(usage).replace(".", ",") : String(usage);
  return `${value} ${portal.unit === "m3" ? "m3" : "kWh"}`;
}

/** The bill as the utility's PDF: its text says period, date, usage and amount. */
export function rulelessBillPdf(portal: TRulelessPortal, bill: TRulelessBill): Buffer {
  if (bill.scanned) {
    // An image-only page: a grey box and no text operator at all.
    return buildPdf("0.6 0.6 0.6 rg 48 300 499 400 re f");
  }
  const fr = portal.lang === "fr";
  const lines = fr
    ? [
        `Facture n° ${bill.id}`,
        `Période de consommation : du ${shownDate(portal, bill.periodStart)} au ${shownDate(portal, bill.periodEnd)}`,
        `Date de facture : ${shownDate(portal, bill.issuedOn)}`,
        `Consommation : ${shownUsage(portal, bill.usage)}`,
        `Montant TTC à payer : ${shownMoney(portal, bill.amountCents)}`,
      ]
    : [
        `Statement ${bill.id}`,
        `Billing period: ${shownDate(portal, bill.periodStart)} - ${shownDate(portal, bill.periodEnd)}`,
        `Statement date: ${shownDate(portal, bill.issuedOn)}`,
        `Total usage: ${shownUsage(portal, bill.usage)}`,
        `Amount due: ${shownMoney(portal, bill.amountCents)}`,
      ];
  const ops = [`BT 0 0 0 rg /F2 20 Tf 48 780 Td ${pdfString(portal.name)} Tj ET`];
  lines.forEach((line, index) => {
    ops.push(`BT 0 0 0 rg /F1 12 Tf 48 ${720 - index * 24} Td ${pdfString(line)} Tj ET`);
  });
  return buildPdf(ops.join("\n"));
}

type TAccount = { password: string; bills: TRulelessBill[] };

/** One sandbox instance's accounts and sessions of the rule-less portals. */
export class RulelessState {
  accounts = new Map<TRulelessPortalId, TAccount>();
  sessions = new Map<string, TRulelessPortalId>();

  constructor() {
    this.accounts.set("brightwater", {
      password: RULELESS_PASSWORD,
      bills: [...seedBills("BW", 380), { ...billFor("BW-SCAN", 6, 300), scanned: true }],
    });
    this.accounts.set("pinecrest", { password: RULELESS_PASSWORD, bills: seedBills("PC", 40) });
    this.accounts.set("valmont", { password: RULELESS_PASSWORD, bills: seedBills("VM", 12) });
  }

  account(id: TRulelessPortalId): TAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account for ${id}`);
    return account;
  }

  /** The next month's bill, as the utility issues it. */
  issueNextBill(id: TRulelessPortalId): TRulelessBill {
    const account = this.account(id);
    const prefix = { brightwater: "BW", pinecrest: "PC", valmont: "VM" }[id];
    const months = account.bills
      .filter((b) => !b.scanned)
      .map((b) => Number(b.periodEnd.slice(5, 7)));
    const bill = billFor(prefix, Math.max(...months) + 1, 50 + months.length);
    account.bills.push(bill);
    return bill;
  }
}

const TEXTS = {
  en: {
    signIn: "Sign in",
    email: "Email",
    password: "Password",
    wrong: "The email or password is incorrect.",
    home: "Home",
    billing: "Billing",
    profile: "Profile",
    signOut: "Sign out",
    welcome: "Welcome back. Your account is in good standing.",
    period: "Period",
    amount: "Amount",
    download: "Download bill",
    export: "Export CSV",
    next: "Next",
  },
  fr: {
    signIn: "Se connecter",
    email: "Adresse e-mail",
    password: "Mot de passe",
    wrong: "Identifiant ou mot de passe incorrect.",
    home: "Accueil",
    billing: "Mes factures",
    profile: "Mon profil",
    signOut: "Se déconnecter",
    welcome: "Bienvenue dans votre espace client.",
    period: "Période",
    amount: "Montant",
    download: "Télécharger la facture",
    export: "Exporter (CSV)",
    next: "Suivant",
  },
};

const PAGE_SIZE = 2;
/** Bigger than the worker's default 10 MB cap per document. */
const OVERSIZED_BYTES = 11 * 1024 * 1024;

export function registerRulelessPortals(
  app: FastifyInstance,
  state: RulelessState,
  options: { control: boolean },
): void {
  for (const id of RULELESS_PORTAL_IDS) registerOne(app, RULELESS_PORTALS[id], state);
  registerTwoStepPortal(app, options);
  registerSteppedPortal(app, options);
  if (!options.control) return;
  app.post<{ Params: { portal: string } }>(
    "/_control/ruleless/:portal/password",
    async (request, reply) => {
      const id = RULELESS_PORTAL_IDS.find((p) => p === request.params.portal);
      const password = (request.body as { password?: unknown } | null)?.password;
      if (!id || typeof password !== "string" || !password)
        return reply.code(400).send({ ok: false });
      state.account(id).password = password;
      // A password change signs every session out, as utilities do.
      for (const [sid, portal] of state.sessions) if (portal === id) state.sessions.delete(sid);
      return { ok: true };
    },
  );
  app.post<{ Params: { portal: string } }>(
    "/_control/ruleless/:portal/next-bill",
    async (request, reply) => {
      const id = RULELESS_PORTAL_IDS.find((p) => p === request.params.portal);
      if (!id) return reply.code(404).send({ ok: false });
      return { ok: true, bill: state.issueNextBill(id) };
    },
  );
}

function registerOne(app: FastifyInstance, portal: TRulelessPortal, state: RulelessState): void {
  const t = TEXTS[portal.lang];
  const base = `/${portal.id}`;
  const cookie = `${portal.id}_sid`;
  const signedIn = (request: FastifyRequest) => {
    const sid = request.cookies[cookie];
    return Boolean(sid && state.sessions.get(sid) === portal.id);
  };
  const page = (reply: FastifyReply, title: string, body: string, nav: boolean, status = 200) =>
    reply
      .code(status)
      .type("text/html; charset=utf-8")
      .send(`<!doctype html><html lang="${portal.lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(portal.name)}</title><link rel="icon" href="data:,">
<style>body{font-family:Georgia,serif;margin:0}header{background:#234;color:#fff;padding:12px 24px;display:flex;gap:18px;align-items:center}header a{color:#fff}main{padding:24px;max-width:760px}table{border-collapse:collapse}td,th{padding:6px 12px;border-bottom:1px solid #ccc}</style></head>
<body><header><strong>${escapeHtml(portal.name)}</strong>${
        nav
          ? `<nav><a href="${base}/home">${t.home}</a> <a href="${base}/${portal.lang === "fr" ? "factures" : "billing"}">${t.billing}</a> <a href="${base}/profile">${t.profile}</a> <a href="${base}/logout">${t.signOut}</a></nav>`
          : ""
      }</header><main>${body}</main></body></html>`);
  const guard = (request: FastifyRequest, reply: FastifyReply) => {
    if (signedIn(request)) return true;
    void reply.redirect(`${base}/login`, 303);
    return false;
  };
  const loginForm = (error?: string) =>
    `<h1>${t.signIn}</h1>${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${base}/login">
<div><label for="${portal.id}-email">${t.email}</label> <input id="${portal.id}-email" name="login" type="email" autocomplete="username"></div>
<div><label for="${portal.id}-pw">${t.password}</label> <input id="${portal.id}-pw" name="pw" type="password" autocomplete="current-password"></div>
<button type="submit">${t.signIn}</button></form>`;

  app.get(base, async (_request, reply) => reply.redirect(`${base}/login`, 302));
  app.get(`${base}/login`, async (request, reply) => {
    if (signedIn(request)) return reply.redirect(`${base}/home`, 302);
    return page(reply, t.signIn, loginForm(), false);
  });
  app.post(`${base}/login`, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const ok = body.login === RULELESS_USERNAME && body.pw === state.account(portal.id).password;
    if (!ok) return page(reply, t.signIn, loginForm(t.wrong), false, 401);
    const sid = randomBytes(18).toString("base64url");
    state.sessions.set(sid, portal.id);
    reply.setCookie(cookie, sid, { path: base, httpOnly: true, sameSite: "lax" });
    return reply.redirect(`${base}/home`, 303);
  });
  app.get(`${base}/logout`, async (request, reply) => {
    const sid = request.cookies[cookie];
    if (sid) state.sessions.delete(sid);
    return reply.redirect(`${base}/login`, 303);
  });
  app.get(`${base}/home`, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    return page(reply, t.home, `<h1>${t.home}</h1><p>${t.welcome}</p>`, true);
  });
  app.get(`${base}/profile`, async (request, reply) => {
    if (!guard(request, reply)) return reply;
    return page(reply, t.profile, `<h1>${t.profile}</h1><p>${RULELESS_USERNAME}</p>`, true);
  });

  const billsOf = () => [...state.account(portal.id).bills].reverse();
  const row = (bill: TRulelessBill, cells: string) =>
    `<tr><td>${shownDate(portal, bill.periodStart)} – ${shownDate(portal, bill.periodEnd)}</td><td>${shownMoney(portal, bill.amountCents)}</td><td>${cells}</td></tr>`;
  const table = (rows: string) =>
    `<table><thead><tr><th>${t.period}</th><th>${t.amount}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;

  if (portal.layout === "menu") {
    app.get(`${base}/billing`, async (request, reply) => {
      if (!guard(request, reply)) return reply;
      const rows = billsOf()
        .map((bill) =>
          row(
            bill,
            `<a href="${base}/billing/doc/${bill.id}.pdf">${t.download}</a> · <a href="${base}/billing/doc/${bill.id}.csv">${t.export}</a>`,
          ),
        )
        .join("");
      return page(
        reply,
        t.billing,
        `<h1>${t.billing}</h1>${table(rows)}
<h2>More documents</h2><ul>
<li><a href="${base}/billing/annual-summary.pdf">Annual summary (PDF)</a></li>
<li><a href="${base}/billing/bill-guide.pdf">How to read your bill (PDF)</a></li>
<li><a href="https://payments.example.net/statements/latest.pdf">Payment statement (PDF)</a></li>
</ul>`,
        true,
      );
    });
    app.get(`${base}/billing/annual-summary.pdf`, async (request, reply) => {
      if (!guard(request, reply)) return reply;
      const huge = Buffer.alloc(OVERSIZED_BYTES, 0x20);
      huge.write("%PDF-1.4\n");
      return reply.type("application/pdf").send(huge);
    });
    // Named like a PDF, but an HTML page: not a document.
    app.get(`${base}/billing/bill-guide.pdf`, async (request, reply) => {
      if (!guard(request, reply)) return reply;
      return page(reply, "Guide", "<h1>How to read your bill</h1><p>Coming soon.</p>", true);
    });
  }

  if (portal.layout === "blob-button") {
    app.get(`${base}/billing`, async (request, reply) => {
      if (!guard(request, reply)) return reply;
      const rows = billsOf()
        .map((bill) =>
          row(
            bill,
            `<button type="button" class="dl" data-doc="${bill.id}">${t.download}</button>`,
          ),
        )
        .join("");
      return page(
        reply,
        t.billing,
        `<h1>${t.billing}</h1>${table(rows)}
<script>
document.querySelectorAll("button.dl").forEach(function (button) {
  button.addEventListener("click", async function () {
    const response = await fetch("${base}/api/documents/" + button.dataset.doc, { credentials: "same-origin" });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = button.dataset.doc + ".pdf";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
});
</script>`,
        true,
      );
    });
  }

  if (portal.layout === "paginated") {
    app.get(`${base}/factures`, async (request, reply) => {
      if (!guard(request, reply)) return reply;
      const all = billsOf();
      const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
      const n = Math.min(
        pages,
        Math.max(1, Number((request.query as { page?: string }).page) || 1),
      );
      const rows = all
        .slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE)
        .map((bill) => row(bill, `<a href="${base}/factures/${bill.id}/pdf">${t.download}</a>`))
        .join("");
      const next =
        n < pages ? `<a href="${base}/factures?page=${n + 1}" rel="next">${t.next} ›</a>` : "";
      return page(
        reply,
        t.billing,
        `<h1>${t.billing}</h1>${table(rows)}<p>Page ${n}/${pages} ${next}</p>`,
        true,
      );
    });
  }

  const documentRoute =
    portal.layout === "paginated"
      ? `${base}/factures/:file/pdf`
      : portal.layout === "blob-button"
        ? `${base}/api/documents/:file`
        : `${base}/billing/doc/:file`;
  app.get<{ Params: { file: string } }>(documentRoute, async (request, reply) => {
    if (!signedIn(request)) return reply.code(401).type("text/plain").send("Sign in first.");
    const match = /^(.+?)(?:\.(pdf|csv))?$/.exec(request.params.file);
    const bill = state.account(portal.id).bills.find((b) => b.id === match?.[1]);
    if (!bill) return reply.code(404).type("text/plain").send("Not found");
    if (match?.[2] === "csv") {
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${bill.id}.csv"`)
        .send(
          `bill,period_start,period_end,usage,amount\r\n${bill.id},${bill.periodStart},${bill.periodEnd},${bill.usage},${(bill.amountCents / 100).toFixed(2)}\r\n`,
        );
    }
    return reply
      .type("application/pdf")
      .header("content-disposition", `attachment; filename="${bill.id}.pdf"`)
      .send(rulelessBillPdf(portal, bill));
  });
}

/** Catalog rows without collection rules, which is the point. */
export function rulelessSandboxProviders(baseUrl: string) {
  return RULELESS_PORTAL_IDS.map((id) => {
    const portal = RULELESS_PORTALS[id];
    return rulelessProviderRow(
      {
        id: portal.catalogId,
        name: portal.name,
        country: portal.country,
        utility: portal.utility,
        loginPath: `/${portal.id}/login`,
      },
      baseUrl,
    );
  });
}
