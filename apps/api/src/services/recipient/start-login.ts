// Starting the live remote browser for a recipient: consent given, email verified when
// restricted, provider in the catalog (an unknown provider gets manual entry, never an
// arbitrary URL). One live browser per recipient session: a restart ends the old one.
import { connection, provider } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import type { TViewport } from "@meterlink/shared/stream";
import { eq } from "drizzle-orm";
import type { TContextInner, TFleetConfig } from "../../trpc";
import { endLiveLogins } from "../fleet/end";
import { markLoginEnded } from "../fleet/outcome";
import { leaveQueue, placeSession, queuePosition, someoneWaitingAhead } from "../fleet/place";
import { reapLostWorkers } from "../fleet/registry";
import { issueStreamTicket, streamPath } from "../fleet/tickets";
import { startWorkerSession, WorkerUnavailable } from "../fleet/worker-client";
import { recordEvent } from "../invitations/events";
import { activeInvitationByToken, requireRecipientSession } from "./resolve";

const PLACEMENT_ATTEMPTS = 3;

export const FLEET_BUSY = new AppError(
  "FLEET_BUSY",
  "All remote browsers are busy right now. Please try again in a few minutes, or enter your details by hand.",
);

export function requireFleet(ctx: Pick<TContextInner, "config">): TFleetConfig {
  if (!ctx.config.fleet) {
    throw new AppError(
      "UNAVAILABLE",
      "Live sign-in is not available right now. Enter your details by hand instead.",
    );
  }
  return ctx.config.fleet;
}

export async function startLogin({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; providerId?: string; viewport: TViewport; queueId?: string };
}) {
  const fleet = requireFleet(ctx);
  const row = await activeInvitationByToken(ctx, input.token);
  const session = await requireRecipientSession(ctx, row);
  if (!session.consentedAt) {
    throw AppError.field(
      "consent",
      "Please confirm that you agree to share access before signing in.",
    );
  }
  const inv = row.invitation;
  let providerId = input.providerId;
  if (inv.kind === "reconnect" && inv.targetConnectionId) {
    const [target] = await ctx.db
      .select()
      .from(connection)
      .where(eq(connection.id, inv.targetConnectionId));
    providerId = target?.providerId ?? providerId;
  }
  if (!providerId) throw AppError.field("providerId", "Pick your utility first.");
  const [chosen] = await ctx.db.select().from(provider).where(eq(provider.id, providerId));
  if (!chosen)
    throw AppError.field(
      "providerId",
      "We don't know this utility. Pick one from the list or enter your details by hand.",
    );

  await reapLostWorkers(ctx.db, fleet.heartbeatTtlMs);
  await endLiveLogins(ctx, { recipientSessionId: session.id }, "abandoned");

  const tried: string[] = [];
  const waitingAhead = await someoneWaitingAhead(ctx, input.queueId);
  for (let attempt = 0; !waitingAhead && attempt < PLACEMENT_ATTEMPTS; attempt++) {
    const placed = await placeSession(ctx.db, {
      mode: "interactive",
      invitationId: inv.id,
      recipientSessionId: session.id,
      providerId: chosen.id,
      heartbeatTtlMs: fleet.heartbeatTtlMs,
      excludeWorkers: tried,
    });
    if (!placed) break;
    try {
      await startWorkerSession(placed.workerUrl, fleet.token, {
        sessionId: placed.loginSessionId,
        provider: {
          id: chosen.id,
          loginUrl: chosen.loginUrl,
          allowedHostnames: chosen.allowedHostnames,
          rules: chosen.rules as Record<string, unknown>,
        },
        viewport: input.viewport,
        mode: "interactive",
      });
    } catch (error) {
      ctx.log.warn(
        {
          workerId: placed.workerId,
          reason: error instanceof WorkerUnavailable ? error.message : "error",
        },
        "worker refused a session",
      );
      await markLoginEnded(ctx.db, placed.loginSessionId, "abandoned");
      tried.push(placed.workerId);
      continue;
    }
    await leaveQueue(ctx, input.queueId);
    await recordEvent(ctx.db, {
      invitationId: inv.id,
      type: "login_started",
      actor: { type: "recipient", id: session.id },
      client: ctx.client,
      data: { loginSessionId: placed.loginSessionId, providerId: chosen.id },
    });
    const ticket = await issueStreamTicket(ctx.db, placed.loginSessionId);
    return {
      status: "started" as const,
      loginSessionId: placed.loginSessionId,
      streamUrl: streamPath(placed.loginSessionId, ticket),
      provider: { id: chosen.id, name: chosen.name, loginUrl: chosen.loginUrl, mfa: chosen.mfa },
    };
  }

  const queued = await queuePosition(ctx, {
    recipientSessionId: session.id,
    queueId: input.queueId,
  });
  if (queued.waitedMs > fleet.queueMaxMs) {
    await leaveQueue(ctx, queued.queueId);
    throw FLEET_BUSY;
  }
  return {
    status: "queued" as const,
    queueId: queued.queueId,
    position: queued.position,
    retryAfterMs: 1000,
  };
}
