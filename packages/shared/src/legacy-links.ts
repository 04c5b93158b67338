// The import file of legacy magic links (`npm run cli -- legacy-links import FILE`): links
// of the previous system, at `/p/connect/{publicCompanyId}/{secret}` (contributor) and
// `/p/connect/{publicCompanyId}/workflow/{secret}` (reconnect), which must keep working.
import { z } from "zod";
import { MAX_INT4 } from "./invitation";

/** A path segment of the old URL: what its router accepted. */
const ZSegment = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, { error: "Use only letters, digits, - and _ (a URL path segment)." })
  .max(200);

const ZTimestamp = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time." });

export const ZLegacyLink = z
  .strictObject({
    /** The Meterlink company the link belongs to. */
    companyId: z.uuid({ error: "Give the Meterlink company id (a UUID)." }),
    /** The company's id in the old URLs. */
    publicCompanyId: ZSegment.min(1),
    secret: ZSegment.min(16, { error: "A link secret is at least 16 characters." }),
    kind: z.enum(["contributor", "reconnect"], { error: "kind is contributor or reconnect." }),
    /** Required for `reconnect` (the /workflow/ links): the connection to sign in again. */
    targetConnectionId: z.uuid().optional(),
    allowedEmails: z.array(z.email().toLowerCase()).max(100).default([]),
    expiresAt: ZTimestamp.nullable().default(null),
    maxUses: z.number().int().min(1).max(MAX_INT4).nullable().default(null),
    uses: z.number().int().min(0).max(MAX_INT4).default(0),
    revokedAt: ZTimestamp.nullable().default(null),
    createdAt: ZTimestamp.optional(),
    locale: z.enum(["en", "fr", "de", "es", "ja"]).default("en"),
    externalReference: z.string().trim().min(1).max(255).optional(),
  })
  .refine((link) => link.kind !== "reconnect" || link.targetConnectionId, {
    error: "A reconnect (/workflow/) link needs targetConnectionId.",
    path: ["targetConnectionId"],
  });
export type TLegacyLink = z.output<typeof ZLegacyLink>;

export const ZLegacyLinkFile = z.strictObject({ links: z.array(ZLegacyLink).max(100_000) });
