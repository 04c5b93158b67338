// Internal endpoints for the worker fleet, authenticated with the fleet token, served
// only on the API's internal listener (app.ts `buildInternalApp`). In Kubernetes they are
// reachable only from worker pods (NetworkPolicy); a heartbeat is also admitted only
// from a worker the orchestrator lists (services/fleet/admit.ts). Thin: parse with
// the fleet protocol's schemas, hand to the fleet services, answer.
import { timingSafeEqual } from "node:crypto";
import type { TDb } from "@meterlink/db";
import { FLEET_ROUTES, ZHeartbeat, ZSessionReport } from "@meterlink/shared/fleet";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";
import { receiveFirstBills } from "../services/bills/first-bills";
import type { TBillStorage } from "../services/collection/storage";
import { admitWorker, type TFleetAdmission } from "../services/fleet/admit";
import { deregisterWorker, receiveHeartbeat } from "../services/fleet/registry";
import { applyWorkerEnding, recordLoginOutcome } from "../services/fleet/sessions";

const ZDeregister = z.object({ workerId: z.string().min(1).max(128) });

function authorized(req: FastifyRequest, fleetToken: string): boolean {
  const header = req.headers.authorization ?? "";
  const expected = Buffer.from(`Bearer ${fleetToken}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.status(400).send({ error: { code: "BAD_REQUEST", message } });
}

export function registerInternalFleetRoutes(
  app: FastifyInstance,
  deps: {
    db: TDb;
    fleetToken: string;
    heartbeatTtlMs: number;
    admission: TFleetAdmission;
    /** Where first bills' documents go (services/bills/first-bills.ts). */
    storage?: TBillStorage;
  },
) {
  app.register(async (internal) => {
    internal.addHook("onRequest", async (req, reply) => {
      if (!authorized(req, deps.fleetToken)) {
        return reply
          .status(401)
          .send({ error: { code: "UNAUTHORIZED", message: "Fleet token required." } });
      }
    });
    // Every worker beats every few seconds: logging each one at info drowns the log of
    // everything else. A refusal still logs (warn, below) and so does any error.
    internal.post(FLEET_ROUTES.heartbeat, { logLevel: "warn" }, async (req, reply) => {
      const parsed = ZHeartbeat.safeParse(req.body);
      if (!parsed.success) return badRequest(reply, "invalid heartbeat");
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
      const end = await receiveHeartbeat(deps.db, parsed.data, deps.heartbeatTtlMs);
      return { ok: true, end };
    });
    internal.post(FLEET_ROUTES.deregister, async (req, reply) => {
      const parsed = ZDeregister.safeParse(req.body);
      if (!parsed.success) return badRequest(reply, "workerId required");
      await deregisterWorker(deps.db, parsed.data.workerId);
      return { ok: true };
    });
    // First bills carry their documents: a bigger body than the other reports.
    internal.post(FLEET_ROUTES.report, { bodyLimit: 48 * 1024 * 1024 }, async (req, reply) => {
      const parsed = ZSessionReport.safeParse(req.body);
      if (!parsed.success) return badRequest(reply, "invalid session report");
      const report = parsed.data;
      if (report.type === "outcome") {
        await recordLoginOutcome(deps.db, {
          workerId: report.workerId,
          loginSessionId: report.sessionId,
          outcome: report.outcome,
          sealedCredential: report.sealedCredential,
          finalUrl: report.finalUrl,
          verified: report.verified,
          accountTag: report.accountTag ?? null,
          recipe: report.recipe,
        });
      } else if (report.type === "first_bills") {
        if (deps.storage) {
          await receiveFirstBills(
            { db: deps.db, storage: deps.storage, log: req.log as Logger },
            report,
          );
        }
      } else {
        await applyWorkerEnding(deps.db, report.workerId, report);
      }
      return { ok: true };
    });
  });
}
