import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findAccount } from "../accounts";
import { billCsv, billPdf } from "../documents";
import { portalPath, type TPortal } from "../portals";
import {
  accountPage,
  codePage,
  identifierPage,
  loggedOutPage,
  maskDestination,
  passwordLoginPage,
  passwordStepPage,
  spaLoginPage,
} from "../render";
import type { SandboxState, TSession } from "../state";

// One fake utility's routes, all under `/{portal.id}/`. The login flow follows the portal's
// shape; every credential or code submission is recorded in the state as typed, with its
// result, so tests can compare what a remote browser typed with what the portal received.

type TCredentialOutcome =
  | { kind: "missing" }
  | { kind: "locked" }
  | { kind: "wrong" }
  | { kind: "ok"; username: string };

type TBody = Record<string, unknown>;

function field(body: unknown, name: string): string {
  if (typeof body !== "object" || body === null) return "";
  const value = (body as TBody)[name];
  return typeof value === "string" ? value : "";
}

export function registerPortal(app: FastifyInstance, portal: TPortal, state: SandboxState): void {
  const t = portal.texts;
  const mfaChannel = portal.mfa === "none" ? undefined : portal.mfa;

  const cookieOptions = {
    path: `/${portal.id}`,
    httpOnly: true,
    sameSite: "lax" as const,
  };
  const sidOf = (request: FastifyRequest) => request.cookies[portal.sessionCookie];
  const sessionOf = (request: FastifyRequest) => state.getSession(portal.id, sidOf(request));

  /** A fresh session id on every step up, so an id seen before login is never trusted after. */
  function startSession(request: FastifyRequest, reply: FastifyReply, session: TSession): void {
    state.endSession(sidOf(request));
    reply.setCookie(portal.sessionCookie, state.createSession(session), cookieOptions);
  }

  function endSession(request: FastifyRequest, reply: FastifyReply): void {
    state.endSession(sidOf(request));
    reply.clearCookie(portal.sessionCookie, cookieOptions);
  }

  function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
    return reply.code(status).type("text/html; charset=utf-8").send(body);
  }

  function checkCredentials(username: string, password: string): TCredentialOutcome {
    const base = { portal: portal.id, step: "password" as const, username, password, code: null };
    if (!username.trim() || !password) {
      state.recordAttempt({ ...base, result: "missing-fields" });
      return { kind: "missing" };
    }
    if (state.isLocked(portal.id, username)) {
      state.recordAttempt({ ...base, result: "locked" });
      return { kind: "locked" };
    }
    const canonical = state.checkPassword(portal.id, username, password);
    if (!canonical) {
      const lockedNow = state.recordFailure(portal.id, username);
      state.recordAttempt({ ...base, result: "wrong-password" });
      return lockedNow ? { kind: "locked" } : { kind: "wrong" };
    }
    state.clearFailures(portal.id, canonical);
    state.recordAttempt({ ...base, result: mfaChannel ? "mfa-required" : "success" });
    return { kind: "ok", username: canonical };
  }

  function outcomeMessage(outcome: Exclude<TCredentialOutcome, { kind: "ok" }>): string {
    if (outcome.kind === "missing") return t.missingFields;
    return outcome.kind === "locked" ? t.locked : t.wrongPassword;
  }

  function sendCode(username: string) {
    const account = findAccount(portal.id, username);
    if (!account || !mfaChannel) return undefined;
    const to = (mfaChannel === "sms" ? account.phone : account.email) ?? account.username;
    return state.issueCode(portal.id, account.username, {
      channel: mfaChannel,
      to,
      text: (code) => t.codeMessage(portal.name, code),
    });
  }

  /** After a correct password: straight in, or on to the one-time code page. */
  function afterPassword(
    request: FastifyRequest,
    reply: FastifyReply,
    username: string,
  ): FastifyReply {
    if (mfaChannel) {
      sendCode(username);
      startSession(request, reply, { portal: portal.id, stage: "mfa", username });
      return reply.redirect(portalPath(portal, "code"), 303);
    }
    startSession(request, reply, { portal: portal.id, stage: "authenticated", username });
    return reply.redirect(portalPath(portal, "account"), 303);
  }

  const home = async (request: FastifyRequest, reply: FastifyReply) => {
    const signedIn = sessionOf(request)?.stage === "authenticated";
    return reply.redirect(portalPath(portal, signedIn ? "account" : "login"), 302);
  };
  app.get(`/${portal.id}`, home);
  app.get(`/${portal.id}/`, home);

  app.get(portalPath(portal, "login"), async (request, reply) => {
    const query = request.query as TBody;
    if (field(query, "change")) endSession(request, reply);
    else if (sessionOf(request)?.stage === "authenticated") {
      return reply.redirect(portalPath(portal, "account"), 302);
    }
    if (portal.shape === "spa") return html(reply, spaLoginPage(portal));
    if (portal.shape === "two-step") return html(reply, identifierPage(portal, {}));
    return html(reply, passwordLoginPage(portal, {}));
  });

  if (portal.shape === "spa") {
    app.post(`/${portal.id}/api/session`, async (request, reply) => {
      const outcome = checkCredentials(
        field(request.body, "email"),
        field(request.body, "password"),
      );
      if (outcome.kind === "ok") {
        startSession(request, reply, {
          portal: portal.id,
          stage: "authenticated",
          username: outcome.username,
        });
        return reply.send({ ok: true, redirect: portalPath(portal, "account") });
      }
      const status = outcome.kind === "missing" ? 400 : outcome.kind === "locked" ? 423 : 401;
      const error = outcome.kind === "wrong" ? "wrong-password" : outcome.kind;
      return reply.code(status).send({ ok: false, error, message: outcomeMessage(outcome) });
    });
  } else if (portal.shape === "two-step") {
    app.post(portalPath(portal, "login"), async (request, reply) => {
      const username = field(request.body, portal.fields.username);
      if (!username.trim()) {
        return html(reply, identifierPage(portal, { error: t.missingFields }));
      }
      // Like most identifier-first portals, any address moves on to the password step, so
      // the first page never tells which addresses have accounts.
      state.recordAttempt({
        portal: portal.id,
        step: "identifier",
        username,
        password: null,
        code: null,
        result: "continue",
      });
      startSession(request, reply, { portal: portal.id, stage: "identified", username });
      return reply.redirect(portalPath(portal, "password"), 303);
    });

    app.get(portalPath(portal, "password"), async (request, reply) => {
      const session = sessionOf(request);
      if (session?.stage !== "identified") return reply.redirect(portalPath(portal, "login"), 303);
      return html(reply, passwordStepPage(portal, session.username, {}));
    });

    app.post(portalPath(portal, "password"), async (request, reply) => {
      const session = sessionOf(request);
      if (session?.stage !== "identified") return reply.redirect(portalPath(portal, "login"), 303);
      const outcome = checkCredentials(
        session.username,
        field(request.body, portal.fields.password),
      );
      if (outcome.kind === "ok") return afterPassword(request, reply, outcome.username);
      return html(
        reply,
        passwordStepPage(portal, session.username, { error: outcomeMessage(outcome) }),
      );
    });
  } else {
    app.post(portalPath(portal, "login"), async (request, reply) => {
      const username = field(request.body, portal.fields.username);
      const outcome = checkCredentials(username, field(request.body, portal.fields.password));
      if (outcome.kind === "ok") return afterPassword(request, reply, outcome.username);
      return html(reply, passwordLoginPage(portal, { error: outcomeMessage(outcome), username }));
    });
  }

  if (mfaChannel) {
    const destinationOf = (username: string) => {
      const last = state.lastCode(portal.id, username);
      return last ? maskDestination(mfaChannel, last.to) : "";
    };

    app.get(portalPath(portal, "code"), async (request, reply) => {
      const session = sessionOf(request);
      if (session?.stage !== "mfa") return reply.redirect(portalPath(portal, "login"), 303);
      const notice = field(request.query, "resent") ? t.codeResent : undefined;
      return html(reply, codePage(portal, destinationOf(session.username), { notice }));
    });

    app.post(portalPath(portal, "code"), async (request, reply) => {
      const session = sessionOf(request);
      if (session?.stage !== "mfa") return reply.redirect(portalPath(portal, "login"), 303);
      const code = field(request.body, portal.fields.code);
      const base = { portal: portal.id, step: "code" as const, username: session.username };
      if (state.isLocked(portal.id, session.username)) {
        state.recordAttempt({ ...base, password: null, code, result: "locked" });
        endSession(request, reply);
        return html(reply, passwordLoginPage(portal, { error: t.locked }));
      }
      if (state.consumeCode(portal.id, session.username, code)) {
        state.clearFailures(portal.id, session.username);
        state.recordAttempt({ ...base, password: null, code, result: "success" });
        startSession(request, reply, { ...session, stage: "authenticated" });
        return reply.redirect(portalPath(portal, "account"), 303);
      }
      state.recordAttempt({ ...base, password: null, code, result: "wrong-code" });
      if (state.recordFailure(portal.id, session.username)) {
        endSession(request, reply);
        return html(reply, passwordLoginPage(portal, { error: t.locked }));
      }
      return html(reply, codePage(portal, destinationOf(session.username), { error: t.wrongCode }));
    });

    app.post(`${portalPath(portal, "code")}/resend`, async (request, reply) => {
      const session = sessionOf(request);
      if (session?.stage !== "mfa") return reply.redirect(portalPath(portal, "login"), 303);
      sendCode(session.username);
      return reply.redirect(`${portalPath(portal, "code")}?resent=1`, 303);
    });
  }

  /** The signed-in account, or undefined after sending the visitor to the login page. */
  function requireAccount(request: FastifyRequest, reply: FastifyReply) {
    const session = sessionOf(request);
    const account =
      session?.stage === "authenticated" ? findAccount(portal.id, session.username) : undefined;
    if (!account) void reply.redirect(portalPath(portal, "login"), 303);
    return account;
  }

  app.get(portalPath(portal, "account"), async (request, reply) => {
    const account = requireAccount(request, reply);
    if (!account) return reply;
    return html(reply, accountPage(portal, account, { allBills: false }));
  });

  app.get(portalPath(portal, "bills"), async (request, reply) => {
    const account = requireAccount(request, reply);
    if (!account) return reply;
    return html(reply, accountPage(portal, account, { allBills: true }));
  });

  app.get<{ Params: { file: string } }>(
    `${portalPath(portal, "bills")}/:file`,
    async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const match = /^(.+)\.(pdf|csv)$/.exec(request.params.file);
      const bill = match ? account.bills.find((b) => b.id === match[1]) : undefined;
      if (!match || !bill) return reply.code(404).type("text/plain").send("Not found");
      const disposition = `attachment; filename="${bill.id}.${match[2]}"`;
      reply.header("content-disposition", disposition);
      if (match[2] === "pdf")
        return reply.type("application/pdf").send(billPdf(portal, account, bill));
      return reply.type("text/csv; charset=utf-8").send(billCsv(portal, bill));
    },
  );

  app.get(portalPath(portal, "logout"), async (request, reply) => {
    endSession(request, reply);
    return html(reply, loggedOutPage(portal));
  });
}
