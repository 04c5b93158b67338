import type { TSandboxAccount, TSandboxBill } from "./accounts";
import { formatDate, formatMoney, formatUsage, plainAmount } from "./format";
import { portalPath, type TPortal } from "./portals";

// HTML of the portal pages. Every page goes through `layout`, which gives each company its
// own header, colours, logo and footer. The bills table is the scraping contract: its rows
// carry locale-free `data-*` attributes (see README) that must stay stable.

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** JSON that can sit inside an inline <script> without closing it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

function css(portal: TPortal): string {
  const t = portal.theme;
  return `
:root{--primary:${t.primary};--primary-text:${t.primaryText};--accent:${t.accent};--bg:${t.background};--surface:${t.surface};--text:${t.text};--radius:${t.radius}}
*{box-sizing:border-box}
body{margin:0;font-family:${t.font};background:var(--bg);color:var(--text);min-height:100vh;display:flex;flex-direction:column}
a{color:var(--primary)}
.topbar{background:var(--primary);color:var(--primary-text)}
.topbar-inner{max-width:1040px;margin:0 auto;padding:14px 24px;display:flex;align-items:center;gap:14px}
.brand{display:flex;align-items:center;gap:12px;color:inherit;text-decoration:none}
.brand-name{font-size:22px;font-weight:700;letter-spacing:.3px}
.brand-tagline{font-size:12px;opacity:.8}
.topnav{margin-left:auto;display:flex;gap:18px;font-size:14px}
.topnav a{color:var(--primary-text);text-decoration:none;opacity:.9}
.topnav a:hover{text-decoration:underline}
.stripe{height:5px;background:var(--accent)}
main{flex:1;width:100%;max-width:1040px;margin:0 auto;padding:32px 24px}
.card{background:var(--surface);border-radius:var(--radius);box-shadow:0 2px 12px rgba(0,0,0,.08);padding:32px}
.auth{max-width:440px;margin:24px auto}
.auth h1{margin-top:0;font-size:26px}
.muted{opacity:.7}
label{display:block;font-weight:600;margin:18px 0 6px;font-size:14px}
input[type=text],input[type=email],input[type=password],input[inputmode=numeric]{width:100%;padding:12px 14px;font-size:16px;border:1px solid #b9c2cf;border-radius:calc(var(--radius) / 2 + 2px);background:#fff;color:#111}
input:focus{outline:3px solid var(--accent);outline-offset:1px}
.btn{display:inline-block;margin-top:22px;width:100%;padding:13px 18px;font-size:16px;font-weight:700;border:0;border-radius:var(--radius);background:var(--primary);color:var(--primary-text);cursor:pointer;font-family:inherit}
.btn:hover{filter:brightness(1.15)}
.btn[disabled]{opacity:.6;cursor:progress}
.alert{padding:12px 14px;border-radius:calc(var(--radius) / 2 + 2px);margin:12px 0;font-size:14px}
.alert-error{background:#fde8e8;color:#8a1111;border:1px solid #f5b5b5}
.alert-info{background:#e8f1fd;color:#12386b;border:1px solid #b5cdf5}
.identity{display:flex;justify-content:space-between;align-items:center;padding:10px 14px;border:1px solid #d5dbe3;border-radius:var(--radius);font-size:14px}
.links{margin-top:18px;font-size:14px;display:flex;justify-content:space-between}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:16px;margin:20px 0}
.summary div{background:var(--bg);padding:14px;border-radius:var(--radius)}
.summary dt{font-size:12px;text-transform:uppercase;opacity:.7}
.summary dd{margin:4px 0 0;font-weight:600}
table.bills{width:100%;border-collapse:collapse;margin-top:12px;font-size:15px}
.bills th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.5px;border-bottom:2px solid var(--accent);padding:10px 8px}
.bills td{padding:12px 8px;border-bottom:1px solid #e3e7ee}
.bills td.num{text-align:right;font-variant-numeric:tabular-nums}
.bills a.dl{display:inline-block;padding:3px 8px;margin-right:4px;border:1px solid var(--primary);border-radius:4px;font-size:12px;text-decoration:none}
footer{background:#1d232b;color:#c9d1dc;font-size:13px}
footer .inner{max-width:1040px;margin:0 auto;padding:20px 24px;display:flex;justify-content:space-between;gap:20px;flex-wrap:wrap}
footer a{color:#c9d1dc}
@media (max-width:600px){.brand-tagline,.topnav .optional{display:none}.card{padding:22px}}
`;
}

export function layout(
  portal: TPortal,
  options: { title: string; body: string; signedIn?: boolean; script?: string },
): string {
  const t = portal.texts;
  const nav = options.signedIn
    ? `<a href="${portalPath(portal, "account")}">${escapeHtml(t.accountTitle)}</a>
       <a href="${portalPath(portal, "bills")}">${escapeHtml(t.allBills)}</a>
       <a href="${portalPath(portal, "logout")}" id="logout" data-logout>${escapeHtml(t.logout)}</a>`
    : `<a class="optional" href="#help">${escapeHtml(t.help)}</a>`;
  return `<!doctype html>
<html lang="${portal.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} | ${escapeHtml(portal.name)}</title>
<link rel="icon" href="data:,">
<style>${css(portal)}</style>
</head>
<body class="portal-${portal.id}">
<header class="topbar"><div class="topbar-inner">
<a class="brand" href="/${portal.id}/">${portal.theme.logo}<span><span class="brand-name">${escapeHtml(portal.name)}</span><br><span class="brand-tagline">${escapeHtml(portal.theme.tagline)}</span></span></a>
<nav class="topnav">${nav}</nav>
</div></header>
<div class="stripe"></div>
<main>${options.body}</main>
<footer><div class="inner"><span>${escapeHtml(t.footer)}</span><span><a id="help" href="#help">${escapeHtml(t.help)}</a></span></div></footer>
${options.script ? `<script>${options.script}</script>` : ""}
</body>
</html>`;
}

function alerts(error?: string, notice?: string): string {
  return [
    error
      ? `<div class="alert alert-error" role="alert" data-testid="login-error">${escapeHtml(error)}</div>`
      : "",
    notice ? `<div class="alert alert-info" role="status">${escapeHtml(notice)}</div>` : "",
  ].join("");
}

function input(
  id: string,
  label: string,
  type: "text" | "email" | "password",
  options: { value?: string; autocomplete: string },
): string {
  const value = options.value ? ` value="${escapeHtml(options.value)}"` : "";
  return `<label for="${id}">${escapeHtml(label)}</label>
<input id="${id}" name="${id}" type="${type}" autocomplete="${options.autocomplete}" required${value}>`;
}

type TLoginView = { error?: string; notice?: string; username?: string };

/** Username and password on one page: plain, fr and both MFA portals. */
export function passwordLoginPage(portal: TPortal, view: TLoginView): string {
  const t = portal.texts;
  const usernameType = portal.fields.username === "username" ? "text" : "email";
  const body = `<section class="card auth">
<h1>${escapeHtml(t.signInTitle)}</h1>
<p class="muted">${escapeHtml(t.signInIntro)}</p>
${alerts(view.error, view.notice)}
<form method="post" action="${portalPath(portal, "login")}" novalidate>
${input(portal.fields.username, t.usernameLabel, usernameType, { value: view.username, autocomplete: "username" })}
${input(portal.fields.password, t.passwordLabel, "password", { autocomplete: "current-password" })}
<button class="btn" id="${portal.fields.submit}" type="submit">${escapeHtml(t.submitButton)}</button>
</form>
</section>`;
  return layout(portal, { title: t.signInTitle, body });
}

/** Identifier-first, step 1: only the email. */
export function identifierPage(portal: TPortal, view: TLoginView): string {
  const t = portal.texts;
  const body = `<section class="card auth">
<h1>${escapeHtml(t.signInTitle)}</h1>
<p class="muted">${escapeHtml(t.signInIntro)}</p>
${alerts(view.error, view.notice)}
<form method="post" action="${portalPath(portal, "login")}" novalidate>
${input(portal.fields.username, t.usernameLabel, "email", { value: view.username, autocomplete: "username" })}
<button class="btn" id="${portal.fields.submit}" type="submit">${escapeHtml(t.continueButton)}</button>
</form>
</section>`;
  return layout(portal, { title: t.signInTitle, body });
}

/** Identifier-first, step 2: the password, with the identity chosen on step 1. */
export function passwordStepPage(portal: TPortal, username: string, view: TLoginView): string {
  const t = portal.texts;
  const body = `<section class="card auth">
<h1>${escapeHtml(t.signInTitle)}</h1>
<div class="identity"><span data-identity>${escapeHtml(username)}</span><a href="${portalPath(portal, "login")}?change=1">${escapeHtml(t.changeUser)}</a></div>
${alerts(view.error, view.notice)}
<form method="post" action="${portalPath(portal, "password")}" novalidate>
<input type="hidden" name="username" value="${escapeHtml(username)}" autocomplete="username">
${input(portal.fields.password, t.passwordLabel, "password", { autocomplete: "current-password" })}
<button class="btn" id="${portal.fields.submit}" type="submit">${escapeHtml(t.submitButton)}</button>
</form>
</section>`;
  return layout(portal, { title: t.signInTitle, body });
}

export function codePage(
  portal: TPortal,
  destination: string,
  view: { error?: string; notice?: string },
): string {
  const t = portal.texts;
  const id = portal.fields.code;
  const body = `<section class="card auth">
<h1>${escapeHtml(t.codeTitle)}</h1>
<p>${escapeHtml(t.codeIntro(destination))}</p>
${alerts(view.error, view.notice)}
<form method="post" action="${portalPath(portal, "code")}" novalidate>
<label for="${id}">${escapeHtml(t.codeLabel)}</label>
<input id="${id}" name="${id}" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button class="btn" id="${portal.fields.submit}" type="submit">${escapeHtml(t.codeButton)}</button>
</form>
<form method="post" action="${portalPath(portal, "code")}/resend" class="links"><button type="submit" style="background:none;border:0;padding:0;color:var(--primary);text-decoration:underline;cursor:pointer;font:inherit">${escapeHtml(t.codeResend)}</button><a href="${portalPath(portal, "login")}?change=1">${escapeHtml(t.changeUser)}</a></form>
</section>`;
  return layout(portal, { title: t.codeTitle, body });
}

/**
 * The JS-only login: an empty shell that a script fills with inputs and a button, and that
 * signs in with `fetch`. There is deliberately no <form>, so nothing works without JS and
 * a worker cannot rely on form submission.
 */
export function spaLoginPage(portal: TPortal): string {
  const t = portal.texts;
  const config = {
    api: `/${portal.id}/api/session`,
    fields: portal.fields,
    texts: {
      title: t.signInTitle,
      intro: t.signInIntro,
      username: t.usernameLabel,
      password: t.passwordLabel,
      submit: t.submitButton,
      missing: t.missingFields,
    },
  };
  const script = `(() => {
const cfg = ${scriptJson(config)};
const app = document.getElementById("app");
const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const user = el("input", { id: cfg.fields.username, type: "email", autocomplete: "username" });
const pass = el("input", { id: cfg.fields.password, type: "password", autocomplete: "current-password" });
const error = el("div", { className: "alert alert-error", hidden: true });
error.setAttribute("role", "alert");
error.dataset.testid = "login-error";
const button = el("button", { id: cfg.fields.submit, type: "button", className: "btn", textContent: cfg.texts.submit });
app.replaceChildren(el("section", { className: "card auth" }, [
  el("h1", { textContent: cfg.texts.title }),
  el("p", { className: "muted", textContent: cfg.texts.intro }),
  error,
  el("label", { htmlFor: user.id, textContent: cfg.texts.username }), user,
  el("label", { htmlFor: pass.id, textContent: cfg.texts.password }), pass,
  button,
]));
let busy = false;
const showError = (message) => { error.textContent = message; error.hidden = false; };
async function signIn() {
  if (busy) return;
  if (!user.value || !pass.value) { showError(cfg.texts.missing); return; }
  busy = true; button.disabled = true; error.hidden = true;
  try {
    const res = await fetch(cfg.api, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ email: user.value, password: pass.value }),
    });
    const data = await res.json();
    if (res.ok && data.ok) { window.location.assign(data.redirect); return; }
    pass.value = "";
    showError(data.message);
    pass.focus();
  } catch {
    showError("Something went wrong. Please try again.");
  } finally {
    busy = false; button.disabled = false;
  }
}
button.addEventListener("click", () => { void signIn(); });
for (const field of [user, pass]) {
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); void signIn(); }
  });
}
user.focus();
})();`;
  const body = `<div id="app" aria-live="polite"><p class="muted">Loading…</p></div>
<noscript><p>Please enable JavaScript to log in to ${escapeHtml(portal.name)}.</p></noscript>`;
  return layout(portal, { title: t.signInTitle, body, script });
}

function billsTable(portal: TPortal, bills: TSandboxBill[]): string {
  const t = portal.texts;
  if (bills.length === 0) return `<p class="muted" data-no-bills>${escapeHtml(t.noBills)}</p>`;
  const sorted = [...bills].sort(
    (a, b) => b.periodStart.localeCompare(a.periodStart) || a.id.localeCompare(b.id),
  );
  const rows = sorted
    .map((bill) => {
      const base = `${portalPath(portal, "bills")}/${encodeURIComponent(bill.id)}`;
      const attrs = [
        ["data-bill-id", bill.id],
        ["data-utility", bill.utility],
        ["data-period-start", bill.periodStart],
        ["data-period-end", bill.periodEnd],
        ["data-issued-on", bill.issuedOn],
        ["data-due-on", bill.dueOn],
        ["data-usage", String(bill.usage)],
        ["data-unit", bill.unit],
        ["data-amount", plainAmount(bill.amountCents)],
        ["data-currency", bill.currency],
        ["data-pdf-url", `${base}.pdf`],
        ["data-csv-url", `${base}.csv`],
      ]
        .map(([name, value]) => `${name}="${escapeHtml(value ?? "")}"`)
        .join(" ");
      return `<tr ${attrs}>
<td>${escapeHtml(formatDate(portal.locale, bill.periodStart))} – ${escapeHtml(formatDate(portal.locale, bill.periodEnd))}</td>
<td>${escapeHtml(t.utility[bill.utility])}</td>
<td class="num">${escapeHtml(formatUsage(portal.locale, bill.usage, bill.unit))}</td>
<td class="num">${escapeHtml(formatMoney(portal.locale, bill.amountCents, bill.currency))}</td>
<td>${escapeHtml(formatDate(portal.locale, bill.dueOn))}</td>
<td><a class="dl" href="${base}.pdf" download>PDF</a><a class="dl" href="${base}.csv" download>CSV</a></td>
</tr>`;
    })
    .join("\n");
  return `<table class="bills" data-bills>
<thead><tr><th>${escapeHtml(t.colPeriod)}</th><th>${escapeHtml(t.colUtility)}</th><th>${escapeHtml(t.colUsage)}</th><th>${escapeHtml(t.colAmount)}</th><th>${escapeHtml(t.colDue)}</th><th>${escapeHtml(t.colDownload)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

export function accountPage(
  portal: TPortal,
  account: TSandboxAccount,
  view: { allBills: boolean },
): string {
  const t = portal.texts;
  const title = view.allBills ? t.billsTitle : t.accountTitle;
  const body = `<section class="card" data-account="${escapeHtml(account.accountNumber)}">
<h1>${escapeHtml(view.allBills ? t.billsTitle : t.greeting(account.holderName))}</h1>
<dl class="summary">
<div><dt>${escapeHtml(t.accountNumber)}</dt><dd data-account-number>${escapeHtml(account.accountNumber)}</dd></div>
<div><dt>${escapeHtml(t.serviceAddress)}</dt><dd>${escapeHtml(account.serviceAddress)}</dd></div>
</dl>
${view.allBills ? "" : `<h2>${escapeHtml(t.billsTitle)}</h2>`}
${billsTable(portal, account.bills)}
</section>`;
  return layout(portal, { title, body, signedIn: true });
}

export function loggedOutPage(portal: TPortal): string {
  const t = portal.texts;
  const body = `<section class="card auth"><h1>${escapeHtml(t.loggedOut)}</h1>
<p><a href="${portalPath(portal, "login")}">${escapeHtml(t.signInTitle)}</a></p></section>`;
  return layout(portal, { title: t.loggedOut, body });
}

/** "(•••) •••-0142" / "a•••e@example.com": enough to recognise, not to read. */
export function maskDestination(channel: "sms" | "email", to: string): string {
  if (channel === "sms") return `(•••) •••-${to.replace(/\D/g, "").slice(-4)}`;
  const [local = "", domain = ""] = to.split("@");
  return `${local.slice(0, 1)}•••${local.slice(-1)}@${domain}`;
}
