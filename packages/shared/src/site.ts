import { z } from "zod";
import { ZLivemode } from "./developer";

const ZSiteName = z
  .string({ error: "Enter the site's name." })
  .trim()
  .min(1, { error: "Enter the site's name." })
  .max(200, { error: "Keep the site's name under 200 characters." });
const ZSiteAddress = z
  .string()
  .trim()
  .max(500, { error: "Keep the address under 500 characters." });
/** The company's own code for the building; unique within the company. Blank clears it. */
const ZSiteReference = z
  .string()
  .trim()
  .max(100, { error: "Keep the reference under 100 characters." })
  .nullable()
  .transform((value) => (value ? value : null));

/** The fields of a site, as typed in the form, a CSV row or a REST body. */
export const ZSiteFields = z.object({
  name: ZSiteName,
  address: ZSiteAddress.default(""),
  reference: ZSiteReference.optional().transform((value) => value ?? null),
});
export type TSiteFields = z.input<typeof ZSiteFields>;

/** An edit: only the fields sent change (no defaults, or a rename would clear the address). */
export const ZSiteChanges = z.object({
  name: ZSiteName.optional(),
  address: ZSiteAddress.optional(),
  reference: ZSiteReference.optional(),
});

export const ZCreateSite = ZSiteFields;
export const ZSiteId = z.object({ id: z.uuid({ error: "Unknown site." }) });
export const ZUpdateSite = ZSiteId.extend(ZSiteChanges.shape);
export type TUpdateSite = z.input<typeof ZUpdateSite>;

export const ZListSites = z.object({
  search: z.string().trim().max(200).nullish(),
  includeArchived: z.boolean().default(false),
});
export type TListSites = z.input<typeof ZListSites>;

/** Most rows one CSV import takes; past it the file is refused with this number. */
export const SITE_IMPORT_MAX_ROWS = 2000;

export const ZSiteImport = z.object({
  csv: z
    .string()
    .max(2_000_000, { error: "This file is over 2 MB: split it and import each part." }),
  /** Import the good rows and leave the ones with errors out. */
  skipInvalid: z.boolean().default(false),
});
export type TSiteImport = z.input<typeof ZSiteImport>;

/** One row of a CSV preview: its line in the file, what it holds, what is wrong with it. */
export type TSiteImportRow = {
  line: number;
  name: string;
  address: string;
  reference: string | null;
  errors: string[];
};

// REST (/api/v1/sites): the same fields and rules, strict about unknown parameters.
export const ZApiListSites = z.strictObject({
  /** Matched against the name, the address and the reference. */
  search: z.string().trim().max(200).optional(),
  includeArchived: z.stringbool({ error: "Use includeArchived=true or false." }).default(false),
});
export const ZApiCreateSite = z.strictObject(ZSiteFields.shape);
export const ZApiUpdateSite = z.strictObject({
  id: z.uuid({ error: "Unknown id." }),
  ...ZSiteChanges.shape,
});
export const ZApiSite = z.object({
  id: z.uuid(),
  livemode: ZLivemode,
  name: z.string(),
  address: z.string(),
  reference: z.string().nullable(),
  archivedAt: z.iso.datetime({ offset: true }).nullable(),
  /** How many connections cover this site. */
  connectionCount: z.number().int().min(0),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export const ZApiSiteList = z.object({ data: z.array(ZApiSite) });
