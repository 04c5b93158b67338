// Wire schemas for invitations, shared by the API (tRPC and REST) and the web app.
// Objects are strict (an unknown field is a 400 naming it, never silently dropped) and
// every integer is bounded by what its database column holds.
import countries from "i18n-iso-countries";
import { z } from "zod";

/** The largest value of a PostgreSQL `integer` column. */
export const MAX_INT4 = 2_147_483_647;

export const UTILITY_TYPES = ["electricity", "gas", "water", "district_heating"] as const;
export const ZUtilityType = z.enum(UTILITY_TYPES);
export type TUtilityType = z.infer<typeof ZUtilityType>;

const ZEmail = z
  .email({ error: "Enter a valid email address, like name@example.com." })
  .max(254)
  .transform((value) => value.trim().toLowerCase());

const ALPHA2 = new Set(Object.keys(countries.getAlpha2Codes()));

/** An ISO 3166-1 alpha-2 code of an assigned country (the list is i18n-iso-countries'). */
export const ZCountry = z
  .string()
  .refine((code) => ALPHA2.has(code), {
    error: "Use an ISO 3166 two-letter country code in capitals, like US or FR.",
  })
  .meta({ description: "ISO 3166-1 alpha-2 country code, like `FR`.", example: "FR" });

export const ZExpiry = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("never") }),
  z.strictObject({
    kind: z.literal("duration"),
    days: z
      .number()
      .int()
      .min(1, { error: "An invitation must last at least one day." })
      .max(365, { error: "An invitation can last at most 365 days." }),
  }),
  z.strictObject({
    kind: z.literal("date"),
    at: z.iso.datetime({ offset: true, error: "Pick a date and time." }),
  }),
]);
export type TExpiry = z.infer<typeof ZExpiry>;

export const ZPrefill = z.strictObject({
  providerId: z.string().min(1).max(100).nullish(),
  // It reaches the recipient's search box and address bar: https only, never
  // javascript:, data:, ftp: or plain http.
  providerUrl: z
    .url({
      protocol: /^https$/,
      hostname: z.regexes.domain,
      error: "Enter the utility's website address, starting with https://.",
    })
    .max(2000)
    .nullish(),
  country: ZCountry.nullish(),
  siteIds: z
    .array(z.uuid({ error: "Unknown site." }))
    .max(200)
    .default([]),
  utilityTypes: z.array(ZUtilityType).max(UTILITY_TYPES.length).default([]),
  ownerEmail: ZEmail.nullish(),
  collectionStartDate: z.iso.date({ error: "Use a date like 2026-01-31." }).nullish(),
});
export type TPrefill = z.infer<typeof ZPrefill>;

export const ZDelivery = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("email"),
    recipients: z.array(ZEmail).min(1, { error: "Add at least one recipient." }).max(50),
  }),
  z.strictObject({ kind: z.literal("manual") }),
]);

const METADATA_KEY = /^[A-Za-z0-9_.-]{1,40}$/;
export const MAX_METADATA_KEYS = 20;

/** The integrator's own string map, echoed back and in webhooks; never shown to recipients. */
export const ZMetadata = z
  .record(
    z.string().regex(METADATA_KEY, {
      error: "Metadata keys are 1 to 40 letters, digits, `_`, `-` or `.`.",
    }),
    z.string().max(500, { error: "Metadata values are strings of at most 500 characters." }),
  )
  .refine((map) => Object.keys(map).length <= MAX_METADATA_KEYS, {
    error: `At most ${MAX_METADATA_KEYS} metadata keys.`,
  })
  .meta({ description: "Your own keys and values (at most 20, strings only)." });
export type TMetadata = z.infer<typeof ZMetadata>;

/** An https page (loopback http for development); its origin is checked server-side. */
export const ZRedirectUrl = z
  .url({ protocol: /^https?$/, error: "Enter the address to send recipients back to." })
  .max(2000)
  .refine(
    (value) =>
      value.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(value),
    { error: "Use an https:// address (plain http only for localhost)." },
  );

/** Longest link life, whichever way it is given. */
export const MAX_EXPIRY_SECONDS = 365 * 24 * 60 * 60;

const ZInvitationCommon = z.strictObject({
  allowedEmails: z.array(ZEmail).max(100).default([]),
  /** Absent: never expires (unless expiresInSeconds is given). */
  expiry: ZExpiry.optional(),
  /** The other way to say how long the link lives, for integrations that count seconds. */
  expiresInSeconds: z
    .number()
    .int()
    .min(60, { error: "An invitation must last at least 60 seconds." })
    .max(MAX_EXPIRY_SECONDS, { error: "An invitation can last at most 365 days." })
    .optional(),
  metadata: ZMetadata.optional(),
  externalReference: z.string().trim().min(1).max(255).optional(),
  redirectUrl: ZRedirectUrl.optional(),
  /** null = unlimited. */
  maxUses: z
    .number()
    .int()
    .min(1, { error: "Max uses must be at least 1, or unlimited." })
    .max(MAX_INT4, { error: `Max uses can be at most ${MAX_INT4}, or unlimited (null).` })
    .nullable()
    .default(1),
  delivery: ZDelivery,
  message: z.string().trim().max(1000).optional(),
  locale: z.enum(["en", "fr", "de", "es", "ja"]).default("en"),
  /** The admin's own label for the invitation, shown in lists instead of "Shared link …". */
  name: z
    .string()
    .trim()
    .max(120, { error: "A name can be at most 120 characters." })
    .optional()
    .transform((value) => value || undefined),
});

export const ZCreateInvitation = z.discriminatedUnion("kind", [
  ZInvitationCommon.extend({
    kind: z.literal("contributor"),
    prefill: ZPrefill.default({ siteIds: [], utilityTypes: [] }),
  }),
  ZInvitationCommon.extend({
    kind: z.literal("reconnect"),
    targetConnectionId: z.uuid({ error: "Pick a connection." }),
  }),
]);
export type TCreateInvitation = z.input<typeof ZCreateInvitation>;
export type TCreateInvitationParsed = z.output<typeof ZCreateInvitation>;

export const ZInvitationStatusFilter = z.enum(["all", "active", "expired", "revoked", "fulfilled"]);

/** Far past any real list; keeps the row offset inside what PostgreSQL takes. */
export const MAX_PAGE = 100_000;

export const ZListInvitations = z.strictObject({
  status: ZInvitationStatusFilter.default("all"),
  search: z.string().trim().max(200).optional(),
  page: z.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});
export type TListInvitations = z.input<typeof ZListInvitations>;

export const ZInvitationId = z.object({ id: z.uuid({ error: "Unknown invitation." }) });

/** The funnel of the invitations sent in a period: the last `days`, or from–to. */
export const ZInvitationFunnelInput = z
  .strictObject({
    days: z.number().int().min(1).max(366).default(30),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((value) => !value.from || !value.to || value.from < value.to, {
    error: "The period must start before it ends.",
    path: ["to"],
  });
export type TInvitationFunnelInput = z.output<typeof ZInvitationFunnelInput>;

/** Revoking, with an optional reason kept on the `revoked` event (the activity log). */
export const ZRevokeInvitation = ZInvitationId.extend({
  reason: z
    .string()
    .trim()
    .max(500, { error: "Keep the reason under 500 characters." })
    .optional()
    .transform((value) => value || undefined),
});

/** The token as it appears in `/p/i/{token}`: 32 random bytes, base64url. */
export const ZInvitationToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, { error: "This link is not valid." });

export const ZRecipientOpen = z.object({
  token: ZInvitationToken,
  /** Proof of address carried by a platform-sent email link (`?r=`). */
  proof: z.string().max(200).optional(),
});

/** An IANA time zone the runtime knows ("Europe/Paris"); anything else is refused. */
export const ZTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { error: "Unknown time zone: use an IANA name such as Europe/Paris." },
  );

export const ZRequestVerification = z.object({
  token: ZInvitationToken,
  email: ZEmail,
  /** The language the recipient's page speaks: the email is written in it. */
  locale: z.enum(["en", "fr", "de", "es", "ja"]).optional(),
  /**
   * The recipient's time zone: the email's expiry time is shown in it. A hint only: one
   * the server does not know is dropped (UTC is shown) rather than failing the request.
   */
  timeZone: ZTimeZone.optional().catch(undefined),
});
export const ZVerifyEmail = z.object({
  token: ZInvitationToken,
  code: z.string().min(10).max(200),
});

export const ZManualCredential = z.object({
  method: z.literal("manual"),
  username: z
    .string()
    .min(1, { error: "Enter the username you use on the utility's website." })
    .max(200),
  password: z.string().min(1, { error: "Enter the password." }).max(500),
  notes: z.string().max(2000).optional(),
});
export const ZLiveCredential = z.object({
  method: z.literal("live"),
  loginSessionId: z.uuid(),
});

export const ZRecipientComplete = z.object({
  token: ZInvitationToken,
  provider: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("catalog"), providerId: z.string().min(1).max(100) }),
    z.object({
      kind: z.literal("manual"),
      name: z.string().trim().min(2, { error: "Enter the utility's name." }).max(200),
      url: z.url({ error: "Enter the utility's website address." }).optional(),
      country: ZCountry.optional(),
    }),
  ]),
  credential: z.discriminatedUnion("method", [ZManualCredential, ZLiveCredential]),
  siteIds: z.array(z.uuid()).max(200).default([]),
  utilityTypes: z.array(ZUtilityType).max(UTILITY_TYPES.length).default([]),
  ownerEmail: ZEmail.nullish(),
  collectionStartDate: z.iso.date().nullish(),
  /**
   * When this utility account is already connected in the company: "ask" refuses with
   * reason `alreadyConnected` so the recipient can choose; "addSites" adds the chosen
   * sites to the existing connection; "connectAnyway" makes a second one (flagged).
   */
  onDuplicate: z.enum(["ask", "addSites", "connectAnyway"]).default("ask"),
});
export type TRecipientComplete = z.input<typeof ZRecipientComplete>;

export const ZProviderSearch = z.object({
  country: ZCountry.nullish(),
  query: z.string().trim().max(200).nullish(),
});
