import type { FastifyInstance, FastifyReply } from "fastify";
import { PORTAL_IDS, type TPortalId } from "../accounts";
import { resolvePortalId } from "../portals";
import type { SandboxState } from "../state";

// The control API: ground truth for tests and benchmarks (what each portal received, the
// codes it "sent"), and a reset. It is registered only when the server is started with
// `control: true`; otherwise these paths are plain 404s. Responses are documented in
// README.md: keep the two in step.

type TQuery = { portal?: string; username?: string };

export function registerControl(app: FastifyInstance, state: SandboxState): void {
  /** undefined = all portals; null = an unknown portal was asked for (already answered). */
  function portalFilter(
    value: string | undefined,
    reply: FastifyReply,
  ): TPortalId | undefined | null {
    if (value === undefined || value === "") return undefined;
    const portal = resolvePortalId(value);
    if (portal) return portal;
    void reply.code(404).send({ error: "unknown-portal", portals: PORTAL_IDS });
    return null;
  }

  app.get<{ Querystring: TQuery }>("/_control/attempts", async (request, reply) => {
    const portal = portalFilter(request.query.portal, reply);
    if (portal === null) return reply;
    const username = request.query.username?.trim().toLowerCase();
    const attempts = state
      .listAttempts(portal)
      .filter((a) => !username || a.username.trim().toLowerCase() === username);
    return { attempts };
  });

  app.get<{ Querystring: TQuery }>("/_control/codes", async (request, reply) => {
    const portal = portalFilter(request.query.portal, reply);
    if (portal === null) return reply;
    return { messages: state.listOutbox(portal) };
  });

  app.get<{ Params: { portal: string; username: string } }>(
    "/_control/codes/:portal/:username",
    async (request, reply) => {
      const portal = portalFilter(request.params.portal, reply);
      if (portal === null) return reply;
      const code = portal ? state.lastCode(portal, request.params.username) : undefined;
      if (!code) return reply.code(404).send({ error: "no-code" });
      return code;
    },
  );

  app.get("/_control/locks", async () => ({ locks: state.listLocks() }));

  app.post<{ Querystring: TQuery }>("/_control/reset", async (request, reply) => {
    const body = request.body;
    const fromBody =
      typeof body === "object" &&
      body !== null &&
      "portal" in body &&
      typeof body.portal === "string"
        ? body.portal
        : undefined;
    const portal = portalFilter(request.query.portal ?? fromBody, reply);
    if (portal === null) return reply;
    state.reset(portal);
    return { ok: true, portal: portal ?? null };
  });
}
