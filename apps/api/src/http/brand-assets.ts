// A company's uploaded brand files over plain HTTP, for places that cannot take a data:
// URL: email clients (they drop data: images), and the recipient page's favicon and font.
// Public by design (logos appear in emails sent to anyone); addressed by the company's
// id, never by anything secret. Uploaded SVG is served sandboxed so it can never run
// script on this origin.
import { company, type TDb } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { z } from "zod";

const DATA_URL = /^data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/]+={0,2})$/i;
const ZCompanyId = z.uuid();

/** The path a company's logo is served at; `version` changes when the logo does (caches). */
export function brandLogoPath(companyId: string, logoUrl: string): string {
  return `/brand/${companyId}/logo?v=${versionOf(logoUrl)}`;
}

/** The path a company's uploaded WOFF2 font is served at, versioned like the logo's. */
export function brandFontPath(companyId: string, fontFile: string): string {
  return `/brand/${companyId}/font?v=${versionOf(fontFile)}`;
}

const FONT_DATA_URL = /^data:font\/woff2;base64,([A-Za-z0-9+/]+={0,2})$/;
const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** A short, stable fingerprint of the stored value (not a security measure: cache busting). */
function versionOf(value: string): string {
  let hash = 2166136261;
  for (let index = 0; index < value.length; index += 97) {
    hash = Math.imul(hash ^ value.charCodeAt(index), 16777619);
  }
  return `${(hash >>> 0).toString(36)}${value.length.toString(36)}`;
}

export function registerBrandAssets(app: FastifyInstance, { db }: { db: TDb }) {
  app.get<{ Params: { companyId: string }; Querystring: { v?: string } }>(
    "/brand/:companyId/font",
    async (request, reply) => {
      const notFound = () =>
        reply
          .status(404)
          .send({ error: { code: "NOT_FOUND", message: "This company has no uploaded font." } });
      const id = ZCompanyId.safeParse(request.params.companyId);
      if (!id.success) return notFound();
      const [row] = await db
        .select({ fontFile: company.fontFile })
        .from(company)
        .where(eq(company.id, id.data));
      const base64 = row?.fontFile ? FONT_DATA_URL.exec(row.fontFile)?.[1] : undefined;
      if (!row?.fontFile || !base64) return notFound();
      // The current version's address never changes content, so it is cached for good; any
      // other address (no or an old `v`) is revalidated, so a new upload is seen at once.
      const current = request.query.v === versionOf(row.fontFile);
      return reply
        .header("content-type", "font/woff2")
        .header(
          "cache-control",
          current ? `public, max-age=${YEAR_SECONDS}, immutable` : "no-cache",
        )
        .header("x-content-type-options", "nosniff")
        .header("cross-origin-resource-policy", "same-origin")
        .send(Buffer.from(base64, "base64"));
    },
  );

  app.get<{ Params: { companyId: string } }>("/brand/:companyId/logo", async (request, reply) => {
    const notFound = () =>
      reply
        .status(404)
        .send({ error: { code: "NOT_FOUND", message: "This company has no logo." } });
    const id = ZCompanyId.safeParse(request.params.companyId);
    if (!id.success) return notFound();
    const [row] = await db
      .select({ logoUrl: company.logoUrl })
      .from(company)
      .where(eq(company.id, id.data));
    const logo = row?.logoUrl;
    if (!logo) return notFound();
    if (logo.startsWith("https://")) return reply.redirect(logo, 302);
    const match = DATA_URL.exec(logo);
    if (!match?.[1] || !match[2]) return notFound();
    return reply
      .header("content-type", match[1])
      .header("cache-control", "public, max-age=3600")
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .header("cross-origin-resource-policy", "cross-origin")
      .send(Buffer.from(match[2], "base64"));
  });
}
