import { loginSession, provider, worker } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq } from "drizzle-orm";
import type { TContextInner } from "../../trpc";
import { forwardingAddressForRecipient } from "../connections/forwarding";
import { endLoginSession, endLoginSessions, recordLoginOutcome } from "../fleet/sessions";
import { issueStreamTicket, streamPath } from "../fleet/tickets";
import { getWorkerSession, WorkerUnavailable } from "../fleet/worker-client";
import { activeInvitationByToken, requireRecipientSession } from "./resolve";
import { requireFleet } from "./start-login";

async function ownLoginSession(
  ctx: TContextInner,
  input: { token: string; loginSessionId: string },
) {
  const row = await activeInvitationByToken(ctx, input.token);
  const session = await requireRecipientSession(ctx, row);
  const [login] = await ctx.db
    .select({ login: loginSession, workerUrl: worker.url, mfa: provider.mfa })
    .from(loginSession)
    .leftJoin(worker, eq(worker.id, loginSession.workerId))
    .leftJoin(provider, eq(provider.id, loginSession.providerId))
    .where(
      and(
        eq(loginSession.id, input.loginSessionId),
        eq(loginSession.recipientSessionId, session.id),
      ),
    );
  if (!login)
    throw new AppError("NOT_FOUND", "This sign-in session has ended. Start again.", {
      reason: "loginEnded",
    });
  return login;
}

/**
 * Where the live sign-in stands. When the worker's own report has not arrived yet, the
 * worker is asked; a worker that no longer answers ends the session as lost.
 */
export async function loginStatus({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; loginSessionId: string };
}) {
  const fleet = requireFleet(ctx);
  const { login, workerUrl, mfa } = await ownLoginSession(ctx, input);
  let { outcome } = login;
  let ended = login.endedAt !== null;
  // A success whose sealed credential has not arrived yet (the ending's report can come
  // before the one that carries it) is not one completing can use: the worker is asked too.
  const unsealed = outcome === "success" && !login.sealedCredential;
  if (!ended && workerUrl && login.workerId && (outcome !== "success" || unsealed)) {
    try {
      const view = await getWorkerSession(workerUrl, fleet.token, login.id);
      if (view?.outcome && (view.outcome !== outcome || (unsealed && view.sealedCredential))) {
        await recordLoginOutcome(ctx.db, {
          workerId: login.workerId,
          loginSessionId: login.id,
          outcome: view.outcome,
          sealedCredential: view.sealedCredential,
          finalUrl: view.finalUrl,
          verified: view.verified,
          accountTag: view.accountTag ?? null,
        });
        outcome = view.outcome;
      }
      if (!view || view.state === "ended") {
        await endLoginSession(ctx.db, login.id, view?.endReason ?? "worker_lost");
        ended = true;
      }
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
      await endLoginSession(ctx.db, login.id, "worker_lost");
      ended = true;
      outcome = outcome ?? "worker_lost";
    }
  }
  return {
    outcome,
    ended,
    mfa: mfa !== null && mfa !== "none",
    forwardingAddress: await forwardingAddressForRecipient(
      ctx.db,
      ctx.config.inbound,
      login.recipientSessionId,
    ),
  };
}

/** A fresh single-use ticket to reconnect to the same live session (network hiccup). */
export async function reconnectLogin({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; loginSessionId: string };
}) {
  requireFleet(ctx);
  const { login } = await ownLoginSession(ctx, input);
  if (login.endedAt)
    throw new AppError("CONFLICT", "This sign-in session has ended. Start again.", {
      reason: "loginEnded",
    });
  return { streamUrl: streamPath(login.id, await issueStreamTicket(ctx.db, login.id)) };
}

export async function endLogin({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; loginSessionId: string };
}) {
  const { login } = await ownLoginSession(ctx, input);
  await endLoginSessions(ctx, { loginSessionId: login.id }, "recipient_ended");
  return { ended: true };
}
