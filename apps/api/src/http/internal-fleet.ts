// Internal endpoints for the worker fleet, authenticated with the fleet token, served
// only on the API's internal listener (app.ts `buildInternalApp`). In Kubernetes they are
// reachable only from worker pods (NetworkPolicy); a heartbeat is also admitted only
// from a worker the orchestrator lists (services/fleet/admit.ts).
import { timingSafeEqual } from "node:crypto";
import type { TDb } from "@meterlink/db";
import { ZLoginOutcome } from "@meterlink/shared/stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { admitWorker, type TFleetAdmission } from "../services/fleet/admit";
import { recordLoginOutcome } from "../services/fleet/outcome";
import { deregisterWorker, recordHeartbeat, ZHeartbeat } from "../services/fleet/registry";

const ZOutcomeReport = z.object({
  sessionId: z.uuid(),
  providerId: z.string(),
  outcome: ZLoginOutcome,
  sealedCredential: z.string().max(20_000).nullable(),
  finalUrl: z.string().max(4_000).nullable(),
});

function authorized(req: FastifyRequest, fleetToken: string): boolean {
  const header = req.headers.authorization ?? "";
  const expected = Buffer.from(`Bearer ${fleetToken}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function registerInternalFleetRoutes(
  app: FastifyInstance,
  deps: { db: TDb; fleetToken: string; admission: TFleetAdmission },
) {
  app.register(async (internal) => {
    internal.addHook("onRequest", async (req, reply) => {
      if (!authorized(req, deps.fleetToken)) {
        return reply
          .status(401)
          .send({ error: { code: "UNAUTHORIZED", message: "Fleet token required." } });
      }
    });
    internal.post("/internal/fleet/heartbeat", async (req, reply) => {
      const parsed = ZHeartbeat.safeParse(req.body);
      if (!parsed.success)
        return reply
          .status(400)
          .send({ error: { code: "BAD_REQUEST", message: parsed.error.message } });
      const verdict = await admitWorker(
        deps.db,
        deps.admission,
        parsed.data,
        req.socket.remoteAddress,
      );
      if (!verdict.ok) {
        req.log.warn({ workerId: parsed.data.workerId, reason: verdict.message }, "worker refused");
        return reply
          .status(verdict.status)
          .send({ error: { code: verdict.code, message: verdict.message } });
      }
      await recordHeartbeat(deps.db, parsed.data);
      return { ok: true };
    });
    internal.post("/internal/fleet/deregister", async (req, reply) => {
      const parsed = z.object({ workerId: z.string().min(1) }).safeParse(req.body);
      if (!parsed.success)
        return reply
          .status(400)
          .send({ error: { code: "BAD_REQUEST", message: "workerId required" } });
      await deregisterWorker(deps.db, parsed.data.workerId);
      return { ok: true };
    });
    internal.post("/internal/fleet/outcome", async (req, reply) => {
      const parsed = ZOutcomeReport.safeParse(req.body);
      if (!parsed.success)
        return reply
          .status(400)
          .send({ error: { code: "BAD_REQUEST", message: "invalid outcome report" } });
      await recordLoginOutcome(deps.db, {
        loginSessionId: parsed.data.sessionId,
        outcome: parsed.data.outcome,
        sealedCredential: parsed.data.sealedCredential,
        finalUrl: parsed.data.finalUrl,
      });
      return { ok: true };
    });
  });
}
