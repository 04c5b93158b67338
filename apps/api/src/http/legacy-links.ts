// The previous system's magic links, still working: `/p/connect/{publicCompanyId}/{secret}`
// (contributor) and `/p/connect/{publicCompanyId}/workflow/{secret}` (reconnect) forward
// to the flow of the invitation they were imported as (`npm run cli -- legacy-links
// import FILE`), so the recipient lands in the same flow as with a new link. An unknown
// path gets the flow's "this link is not valid" page, saying nothing about what exists.
// The paths hold secrets: the logger masks them (logger.ts), and neither answer may be
// cached or leak through a Referer.
import type { TDb } from "@meterlink/db";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { TLegacyKind } from "../services/legacy-links/paths";
import { legacyLinkToken } from "../services/legacy-links/resolve";

/**
 * Token-shaped (so the flow looks it up) but no invitation's: the flow shows its
 * "this link is not valid" page for it.
 */
export const UNKNOWN_LINK_PATH = "/p/i/legacy-link-not-found";

export function registerLegacyLinks(app: FastifyInstance, deps: { db: TDb; tokenKey: Buffer }) {
  async function forward(
    reply: FastifyReply,
    link: { kind: TLegacyKind; publicCompanyId: string; secret: string },
  ) {
    const token = await legacyLinkToken(deps.db, deps.tokenKey, link);
    return reply
      .header("cache-control", "no-store")
      .header("referrer-policy", "no-referrer")
      .redirect(token ? `/p/i/${token}` : UNKNOWN_LINK_PATH, 302);
  }
  app.get<{ Params: { publicCompanyId: string; secret: string } }>(
    "/p/connect/:publicCompanyId/workflow/:secret",
    (request, reply) => forward(reply, { kind: "reconnect", ...request.params }),
  );
  app.get<{ Params: { publicCompanyId: string; secret: string } }>(
    "/p/connect/:publicCompanyId/:secret",
    (request, reply) => forward(reply, { kind: "contributor", ...request.params }),
  );
}
