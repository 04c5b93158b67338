// Who may frame our pages. Every answer says `frame-ancestors 'self'`, except a
// recipient page (`/p/i/{token}…`), which also allows the origins its company listed in
// Settings › Embedding. Origins are validated on the way in (ZFrameOrigin), so each one
// goes into the header as is. X-Frame-Options is never sent: it cannot express a list,
// and browsers that know CSP ignore it anyway.
import { company, invitation, type TDb } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { hashToken } from "../lib/tokens";

const RECIPIENT_PAGE = /^\/p\/i\/([A-Za-z0-9_-]{20,100})(?:[/?#]|$)/;
const SELF_ONLY = "frame-ancestors 'self'";

/** The `frame-ancestors` directive for a recipient page's token. */
export async function recipientFrameAncestors(db: TDb, token: string): Promise<string> {
  const [row] = await db
    .select({ origins: company.allowedFrameOrigins })
    .from(invitation)
    .innerJoin(company, eq(company.id, invitation.companyId))
    .where(eq(invitation.tokenHash, hashToken(token)));
  const origins = row?.origins ?? [];
  return origins.length ? `${SELF_ONLY} ${origins.join(" ")}` : SELF_ONLY;
}

export function registerFramePolicy(app: FastifyInstance, db: TDb) {
  app.addHook("onSend", async (request, reply) => {
    const match = request.method === "GET" ? RECIPIENT_PAGE.exec(request.url) : null;
    const directive = match?.[1]
      ? await recipientFrameAncestors(db, match[1]).catch((err: unknown) => {
          // Fail closed: an unreadable policy means no third-party framing.
          request.log.warn({ err }, "could not read the company's frame origins");
          return SELF_ONLY;
        })
      : SELF_ONLY;
    const existing = reply.getHeader("content-security-policy");
    reply.header(
      "content-security-policy",
      typeof existing === "string" && existing && !existing.includes("frame-ancestors")
        ? `${existing}; ${directive}`
        : directive,
    );
    reply.removeHeader("x-frame-options");
  });
}
