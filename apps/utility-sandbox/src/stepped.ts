// Lakeshore Energy: a script-only portal without collection rules whose sign-in takes four
// steps, none of them a form navigation until the last: the email (sent by `fetch`, the
// page swaps in the password field at the same URL), the password (sent by XHR), a
// one-time code sent "by SMS" for every sign-in (sent by `fetch`), then a "Remember this
// device?" page with two buttons and no field at all. Only a recipe learned from the
// recipient's live sign-in can sign in here again, and only with a FRESH code (#19): a
// code is valid for the sign-in it was sent for, once.
// Control (with `control`): `GET /_control/ruleless/lakeshore/code` the last code sent;
// `POST /_control/ruleless/lakeshore/security-question` adds a step after the password
// that no recorded sign-in has (a security question), as a portal may one day.
import { randomBytes, randomInt } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rulelessProviderRow } from "./catalog-row";
import { escapeHtml, scriptJson } from "./render";
import { statementPdf } from "./two-step";

export const STEPPED_USERNAME = "jordan@lakeshore.example";
export const STEPPED_PASSWORD = "shore-lights-4";
const BASE = "/lakeshore";
const NAME = "Lakeshore Energy";

const BILLS = [
  { id: "LK-202609", periodStart: "2026-09-01", periodEnd: "2026-09-30", amount: "73.10" },
  { id: "LK-202610", periodStart: "2026-10-01", periodEnd: "2026-10-31", amount: "79.45" },
];

type TPending = {
  email: string;
  step: "password" | "question" | "code" | "remember";
  code: string;
};

const LOGIN_SCRIPT = (cfg: { base: string }) => `(() => {
const cfg = ${scriptJson(cfg)};
const app = document.getElementById("app");
const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const error = el("p", { className: "error", hidden: true });
error.setAttribute("role", "alert");
const fail = (message) => { error.textContent = message; error.hidden = false; };
function onEnter(input, go) {
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); go(); } });
}
function emailStep() {
  const email = el("input", { id: "lk-email", type: "email", autocomplete: "username" });
  const next = el("button", { id: "lk-next", type: "button", textContent: "Next" });
  const go = async () => {
    if (!email.value) return fail("Enter your email address.");
    const res = await fetch(cfg.base + "/api/identify", {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: email.value }),
    });
    if (res.ok) passwordStep(email.value); else fail("We could not find that account.");
  };
  next.addEventListener("click", () => { void go(); });
  onEnter(email, go);
  app.replaceChildren(error, el("label", { htmlFor: email.id, textContent: "Email address" }), email, next);
  email.focus();
}
function passwordStep(address) {
  error.hidden = true;
  const pass = el("input", { id: "lk-password", type: "password", autocomplete: "current-password" });
  const signIn = el("button", { id: "lk-sign-in", type: "button", textContent: "Sign in" });
  const go = () => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", cfg.base + "/api/password");
    xhr.setRequestHeader("content-type", "application/json");
    xhr.onload = () => {
      const data = JSON.parse(xhr.responseText);
      if (data.ok) { window.location.assign(data.redirect); return; }
      pass.value = "";
      fail(data.message);
    };
    xhr.send(JSON.stringify({ password: pass.value }));
  };
  signIn.addEventListener("click", go);
  onEnter(pass, go);
  app.replaceChildren(error, el("p", { textContent: "Signing in as " + address }),
    el("label", { htmlFor: pass.id, textContent: "Password" }), pass, signIn);
  pass.focus();
}
emailStep();
})();`;

const CODE_SCRIPT = (cfg: { base: string }) => `(() => {
const cfg = ${scriptJson(cfg)};
const code = document.getElementById("lk-code");
const error = document.getElementById("lk-error");
async function go() {
  const res = await fetch(cfg.base + "/api/verify", {
    method: "POST", credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: code.value }),
  });
  const data = await res.json();
  if (data.ok) { window.location.assign(data.redirect); return; }
  code.value = "";
  error.textContent = data.message; error.hidden = false;
}
document.getElementById("lk-verify").addEventListener("click", () => { void go(); });
code.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); void go(); } });
code.focus();
})();`;

export function registerSteppedPortal(app: FastifyInstance, options: { control: boolean }): void {
  const pending = new Map<string, TPending>();
  const sessions = new Set<string>();
  let lastCode = "";
  let securityQuestion = false;
  const page = (reply: FastifyReply, body: string, script = "", status = 200) =>
    reply
      .code(status)
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${NAME}</title><link rel="icon" href="data:,"></head><body><h1>${NAME}</h1>${body}${script ? `<script>${script}</script>` : ""}</body></html>`,
      );
  const pendingOf = (request: FastifyRequest) =>
    pending.get(request.cookies.lakeshore_pending ?? "");
  const signedIn = (request: FastifyRequest) => sessions.has(request.cookies.lakeshore_sid ?? "");
  const sendCode = (login: TPending) => {
    login.code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    lastCode = login.code;
    login.step = "code";
  };

  app.get(`${BASE}/login`, async (_request, reply) =>
    page(reply, `<div id="app"><p>Loading…</p></div>`, LOGIN_SCRIPT({ base: BASE })),
  );
  app.post(`${BASE}/api/identify`, async (request, reply) => {
    const email = String((request.body as { email?: unknown } | null)?.email ?? "");
    const id = randomBytes(12).toString("base64url");
    pending.set(id, { email, step: "password", code: "" });
    reply.setCookie("lakeshore_pending", id, { path: BASE, httpOnly: true, sameSite: "lax" });
    return { ok: true };
  });
  app.post(`${BASE}/api/password`, async (request) => {
    const login = pendingOf(request);
    const password = (request.body as { password?: unknown } | null)?.password;
    if (!login || login.email !== STEPPED_USERNAME || password !== STEPPED_PASSWORD) {
      return { ok: false, message: "The email address or password is incorrect." };
    }
    if (securityQuestion) {
      login.step = "question";
      return { ok: true, redirect: `${BASE}/question` };
    }
    sendCode(login);
    return { ok: true, redirect: `${BASE}/verify` };
  });
  app.get(`${BASE}/question`, async (request, reply) => {
    if (pendingOf(request)?.step !== "question") return reply.redirect(`${BASE}/login`, 303);
    return page(
      reply,
      `<h2>One more check</h2><form method="post" action="${BASE}/question"><label for="lk-pet">Name of your first pet</label> <input id="lk-pet" name="pet"><button type="submit">Continue</button></form>`,
    );
  });
  app.post(`${BASE}/question`, async (request, reply) => {
    const login = pendingOf(request);
    if (login?.step !== "question") return reply.redirect(`${BASE}/login`, 303);
    sendCode(login);
    return reply.redirect(`${BASE}/verify`, 303);
  });
  app.get(`${BASE}/verify`, async (request, reply) => {
    if (pendingOf(request)?.step !== "code") return reply.redirect(`${BASE}/login`, 303);
    return page(
      reply,
      `<h2>Check your phone</h2><p>We sent a 6-digit code by text message to the number ending 42.</p>
<p id="lk-error" role="alert" hidden></p>
<label for="lk-code">Verification code</label> <input id="lk-code" inputmode="numeric" maxlength="6" autocomplete="one-time-code">
<button type="button" id="lk-verify">Verify</button>`,
      CODE_SCRIPT({ base: BASE }),
    );
  });
  app.post(`${BASE}/api/verify`, async (request) => {
    const login = pendingOf(request);
    const code = String((request.body as { code?: unknown } | null)?.code ?? "");
    if (login?.step !== "code" || !login.code || code !== login.code) {
      return { ok: false, message: "That code is not valid. Check the latest text message." };
    }
    // Once: a code cannot sign in twice.
    login.code = "";
    login.step = "remember";
    return { ok: true, redirect: `${BASE}/remember` };
  });
  app.get(`${BASE}/remember`, async (request, reply) => {
    if (pendingOf(request)?.step !== "remember") return reply.redirect(`${BASE}/login`, 303);
    return page(
      reply,
      `<h2>Remember this device?</h2><p>We can skip the text message next time on this browser.</p>
<form method="post" action="${BASE}/remember"><button type="submit" name="remember" value="no">Not now</button> <button type="submit" name="remember" value="yes">Remember this device</button></form>`,
    );
  });
  app.post(`${BASE}/remember`, async (request, reply) => {
    const id = request.cookies.lakeshore_pending ?? "";
    if (pending.get(id)?.step !== "remember") return reply.redirect(`${BASE}/login`, 303);
    pending.delete(id);
    const sid = randomBytes(18).toString("base64url");
    sessions.add(sid);
    reply.setCookie("lakeshore_sid", sid, { path: BASE, httpOnly: true, sameSite: "lax" });
    return reply.redirect(`${BASE}/account`, 303);
  });
  app.get(`${BASE}/account`, async (request, reply) => {
    if (!signedIn(request)) return reply.redirect(`${BASE}/login`, 303);
    const rows = BILLS.map(
      (bill) =>
        `<li>${escapeHtml(bill.periodStart)} – ${escapeHtml(bill.periodEnd)}: $${bill.amount} <a href="${BASE}/statements/${bill.id}.pdf">Download bill</a></li>`,
    ).join("");
    return page(reply, `<h2>Your statements</h2><ul>${rows}</ul>`);
  });
  app.get<{ Params: { file: string } }>(`${BASE}/statements/:file`, async (request, reply) => {
    if (!signedIn(request)) return reply.code(401).type("text/plain").send("Sign in first.");
    const bill = BILLS.find((b) => `${b.id}.pdf` === request.params.file);
    if (!bill) return reply.code(404).type("text/plain").send("Not found");
    return reply.type("application/pdf").send(statementPdf(NAME, bill));
  });
  if (!options.control) return;
  app.get(`/_control/ruleless/lakeshore/code`, async () => ({ code: lastCode }));
  app.post(`/_control/ruleless/lakeshore/security-question`, async () => {
    securityQuestion = true;
    return { ok: true };
  });
}

/** Its catalog row: no `rules`, like the other rule-less portals. */
export function steppedSandboxProvider(baseUrl: string) {
  return rulelessProviderRow(
    { id: "sandbox-lakeshore", name: NAME, loginPath: `${BASE}/login`, mfa: "sms" },
    baseUrl,
  );
}
