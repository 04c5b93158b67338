// What a collection found: bills (from a provider's rules or generic discovery) and the
// documents it refused. Used by the worker's collect API (./connection.ts) and by the
// fleet report of first bills read inside a recipient's own session (./fleet.ts).
import { z } from "zod";

const ZIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ZBillFileKind = z.enum(["pdf", "csv", "xlsx"]);

export const ZCollectedBill = z.object({
  id: z.string().min(1).max(200),
  utility: z.string().max(50).nullable(),
  periodStart: ZIsoDate.nullable(),
  periodEnd: ZIsoDate.nullable(),
  issuedOn: ZIsoDate.nullable(),
  dueOn: ZIsoDate.nullable(),
  usage: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .nullable(),
  unit: z.string().max(20).nullable(),
  amount: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .nullable(),
  currency: z.string().max(10).nullable(),
  /**
   * The utility account number printed on the bill, when read from it. Optional: a worker
   * of an older version sends none.
   */
  accountNumber: z.string().max(64).nullish(),
  /** Only for bills not in `knownBillIds`. */
  files: z.array(
    z.object({
      kind: ZBillFileKind,
      contentType: z.string().max(200),
      base64: z.string(),
    }),
  ),
});
export type TCollectedBill = z.infer<typeof ZCollectedBill>;

/** A document generic discovery saw and refused (named by host and path, never a query). */
export const ZCollectNote = z.object({
  reason: z.enum(["too_large", "not_a_document", "off_host", "download_failed"]),
  document: z.string().max(300),
});
export type TCollectNote = z.infer<typeof ZCollectNote>;
