import { z } from "zod";
import { ZCountry, ZUtilityType } from "./invitation";

/** One utility in a catalog file (`catalog/*.json`, `npm run cli -- providers import`). */
export const ZCatalogProvider = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    error: "must be a stable slug of lowercase letters, digits and dashes, e.g. pge-us",
  }),
  name: z.string().trim().min(1, { error: "Enter the utility's name." }).max(200),
  country: ZCountry,
  /** https and public: checked by the importer, which derives the allowed hostnames. */
  loginUrl: z.string().trim().min(1, { error: "Enter the https address of the sign-in page." }),
  /** Optional: when absent, the registrable domain of loginUrl (and its subdomains). */
  allowedHostnames: z.array(z.string().trim().toLowerCase().min(1)).min(1).optional(),
  utilityTypes: z.array(ZUtilityType).min(1, { error: "List at least one utility type." }),
  mfa: z.enum(["none", "sms", "email"]).default("none"),
  /**
   * Where its code texts come from (a short code, a phone number, an alphanumeric sender
   * id): how a code sent to a shared number finds its connection. Absent: what is stored
   * (configured before, or learned from codes) is kept.
   */
  smsSenders: z
    .array(
      z
        .string()
        .trim()
        .regex(/^(\+?[\d\s().-]{3,20}|[A-Za-z0-9 ]{2,11})$/, {
          error: "must be a short code, a phone number or a sender name of up to 11 letters",
        }),
    )
    .optional(),
  rules: z.record(z.string(), z.unknown()).optional(),
});
export type TCatalogProvider = z.infer<typeof ZCatalogProvider>;

export const ZCatalogFile = z.object({ providers: z.array(ZCatalogProvider) });

/** REST `GET /api/v1/providers`: find the `providerId` to prefill an invitation. */
export const ZApiListProviders = z.strictObject({
  /** Matched against the name, the login address and the id. */
  search: z.string().trim().max(200).optional(),
  country: ZCountry.optional(),
});

export const ZApiProvider = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  loginUrl: z.string(),
  utilityTypes: z.array(z.string()),
  mfa: z.enum(["none", "sms", "email"]),
  isSandbox: z.boolean(),
});

export const ZApiProviderList = z.object({ data: z.array(ZApiProvider) });
