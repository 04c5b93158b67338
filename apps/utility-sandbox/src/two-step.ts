// Ridgeway Power: an identifier-first (two-step) portal without collection rules: the
// customer number on one page (a plain text box sent by a `type="button"`), the password
// on the next. The generic sign-in finds no username field here, so only a recipe learned
// from the recipient's live sign-in can sign in again (#19). `/_control/ruleless/ridgeway/
// rename` (with `control`) redesigns the first step, as a portal relaunch would: the field
// gets a new id, name, label and type, so no recorded selector finds it.
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rulelessProviderRow } from "./catalog-row";
import { buildPdf, pdfString } from "./documents";
import { escapeHtml } from "./render";

export const TWO_STEP_USERNAME = "RW-448812";
export const TWO_STEP_PASSWORD = "ridge-line-7";
const BASE = "/ridgeway";
const NAME = "Ridgeway Power";

const BILLS = [
  { id: "RW-202608", periodStart: "2026-08-01", periodEnd: "2026-08-31", amount: "61.20" },
  { id: "RW-202609", periodStart: "2026-09-01", periodEnd: "2026-09-30", amount: "58.75" },
];

/** A one-page statement PDF with the period and amount as text (shared with ./stepped.ts). */
export function statementPdf(
  name: string,
  bill: { id: string; periodStart: string; periodEnd: string; amount: string },
): Buffer {
  const lines = [
    `Statement ${bill.id}`,
    `Billing period: ${bill.periodStart} - ${bill.periodEnd}`,
    `Amount due: $${bill.amount}`,
  ];
  const ops = [`BT 0 0 0 rg /F2 20 Tf 48 780 Td ${pdfString(name)} Tj ET`];
  lines.forEach((line, index) => {
    ops.push(`BT 0 0 0 rg /F1 12 Tf 48 ${720 - index * 24} Td ${pdfString(line)} Tj ET`);
  });
  return buildPdf(ops.join("\n"));
}

export function registerTwoStepPortal(app: FastifyInstance, options: { control: boolean }): void {
  const pending = new Map<string, string>();
  const sessions = new Set<string>();
  let renamed = false;
  const page = (reply: FastifyReply, body: string, status = 200) =>
    reply
      .code(status)
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${NAME}</title><link rel="icon" href="data:,"></head><body><h1>${NAME}</h1>${body}</body></html>`,
      );
  const signedIn = (request: FastifyRequest) => sessions.has(request.cookies.ridgeway_sid ?? "");

  app.get(`${BASE}/login`, async (_request, reply) => {
    const field = renamed
      ? `<label for="rw-member">Member ID</label> <input id="rw-member" name="member" type="tel">`
      : `<label for="rw-acct">Customer number</label> <input id="rw-acct" name="acct" type="text" placeholder="Customer number">`;
    return page(
      reply,
      `<form method="post" action="${BASE}/identify">${field}
<button type="button" id="rw-continue" onclick="this.form.submit()">Continue</button></form>`,
    );
  });
  app.post(`${BASE}/identify`, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const account = String(body.acct ?? body.member ?? "");
    const id = randomBytes(12).toString("base64url");
    pending.set(id, account);
    reply.setCookie("ridgeway_pending", id, { path: BASE, httpOnly: true, sameSite: "lax" });
    return reply.redirect(`${BASE}/password`, 303);
  });
  const passwordForm = (error?: string) =>
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}<form method="post" action="${BASE}/password">
<label for="rw-pw">Password</label> <input id="rw-pw" name="secret" type="password">
<button type="submit" id="rw-sign-in">Sign in</button></form>`;
  app.get(`${BASE}/password`, async (request, reply) => {
    if (!pending.has(request.cookies.ridgeway_pending ?? "")) {
      return reply.redirect(`${BASE}/login`, 303);
    }
    return page(reply, passwordForm());
  });
  app.post(`${BASE}/password`, async (request, reply) => {
    const account = pending.get(request.cookies.ridgeway_pending ?? "");
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (account !== TWO_STEP_USERNAME || body.secret !== TWO_STEP_PASSWORD) {
      return page(reply, passwordForm("The customer number or password is incorrect."), 401);
    }
    const sid = randomBytes(18).toString("base64url");
    sessions.add(sid);
    reply.setCookie("ridgeway_sid", sid, { path: BASE, httpOnly: true, sameSite: "lax" });
    return reply.redirect(`${BASE}/account`, 303);
  });
  app.get(`${BASE}/account`, async (request, reply) => {
    if (!signedIn(request)) return reply.redirect(`${BASE}/login`, 303);
    const rows = BILLS.map(
      (bill) =>
        `<li>${bill.periodStart} – ${bill.periodEnd}: $${bill.amount} <a href="${BASE}/statements/${bill.id}.pdf">Download bill</a></li>`,
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
  app.post(`/_control/ruleless/ridgeway/rename`, async () => {
    renamed = true;
    return { ok: true };
  });
}

/** Its catalog row: no `rules`, like the other rule-less portals. */
export function twoStepSandboxProvider(baseUrl: string) {
  return rulelessProviderRow(
    { id: "sandbox-ridgeway", name: NAME, loginPath: `${BASE}/login` },
    baseUrl,
  );
}
