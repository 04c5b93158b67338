// Wire schemas of bill collection: the worker's collect API (called by the collection
// job with the fleet token), the inbound MFA webhooks, and the admin's connection view.
// Nothing here carries a plaintext credential: the job seals the stored credential to the
// collecting worker's own ephemeral key (`ZCollectRequest.sealedCredential`, a JWE that
// names the session and expires in minutes), so only that worker process can open it.
import { z } from "zod";
import { ZCollectedBill, ZCollectNote } from "./collected";
import { ZProviderRules } from "./fleet";
import { ZLoginRecipe } from "./recipe";

// ---------------------------------------------------------------------------------------
// Worker collect API: POST /sessions/:id/collect, POST /sessions/:id/code

/** A provider's login recipe plus where its bills are listed. */
export const ZCollectRecipe = ZProviderRules.extend({
  /**
   * One element per bill, carrying data-bill-id, data-period-start… Without it the worker
   * finds bills by generic discovery (document links and buttons on the signed-in pages).
   */
  billsSelector: z.string().min(1).max(300).optional(),
  /** Shown instead of the list when the account has no bills yet. */
  noBillsSelector: z.string().max(300).default("[data-no-bills]"),
  /** Path of the bills list, when the signed-in landing page does not show it. */
  billsPath: z.string().startsWith("/").max(500).optional(),
  /** Texts that mean "locked" rather than "wrong password" (a generic pattern otherwise). */
  lockedText: z.array(z.string().min(1).max(200)).max(20).optional(),
});
export type TCollectRecipe = z.infer<typeof ZCollectRecipe>;
export type TCollectRecipeInput = z.input<typeof ZCollectRecipe>;

export const ZCollectCredential = z.object({
  username: z.string().min(1).max(1024),
  password: z.string().min(1).max(1024),
});
export type TCollectCredential = z.infer<typeof ZCollectCredential>;

export const ZCollectRequest = z.object({
  /** Compact JWE (ECDH-ES+A256KW) of a TCollectCredential, sealed to the worker's key. */
  sealedCredential: z.string().min(1).max(20_000),
  recipe: ZCollectRecipe,
  /** The connection's learned login recipe: replayed before the generic sign-in. */
  learnedRecipe: ZLoginRecipe.nullable().default(null),
  /** Bills already stored: listed again, never downloaded again. */
  knownBillIds: z.array(z.string().max(200)).max(5000).default([]),
  /** How long the worker waits for POST /code after answering `mfa_required`. */
  mfaWaitMs: z
    .number()
    .int()
    .min(1_000)
    .max(15 * 60_000)
    .default(4 * 60_000),
  /** The connection's collection start date: older bills are not downloaded. */
  collectFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
});
export type TCollectRequest = z.infer<typeof ZCollectRequest>;
export type TCollectRequestInput = z.input<typeof ZCollectRequest>;
/** A collect request once the worker opened its credential: lives only inside the worker. */
export type TOpenedCollectRequest = Omit<TCollectRequest, "sealedCredential"> & {
  credential: TCollectCredential;
};

export const ZCollectCode = z.object({ code: z.string().regex(/^[0-9A-Za-z]{4,10}$/) });

export const ZCollectFailureReason = z.enum([
  "wrong_password",
  "locked",
  "mfa_timeout",
  "mfa_rejected",
  "portal_changed",
  "provider_down",
  /** The portal showed a sign-in step the learned recipe never saw: a live sign-in again. */
  "needs_recipient",
]);
export type TCollectFailureReason = z.infer<typeof ZCollectFailureReason>;

// Collected bills and refusal notes live in ./collected.ts (the fleet's reports use them
// too, and ./fleet.ts cannot import this file, which imports it).
export {
  type TCollectedBill,
  type TCollectNote,
  ZBillFileKind,
  ZCollectedBill,
  ZCollectNote,
} from "./collected";

export const ZCollectResult = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ok"),
    bills: z.array(ZCollectedBill),
    notes: z.array(ZCollectNote).max(100).default([]),
  }),
  /** The session waits for POST /sessions/:id/code (bounded by `mfaWaitMs`). */
  z.object({ status: z.literal("mfa_required") }),
  z.object({
    status: z.literal("failed"),
    reason: ZCollectFailureReason,
    /** Which learned-recipe step failed ("step 1 of 2: identifier field"), when one did. */
    step: z.string().max(200).optional(),
  }),
]);
export type TCollectResult = z.infer<typeof ZCollectResult>;

// ---------------------------------------------------------------------------------------
// Inbound MFA webhooks (Standard Webhooks signature; see apps/api/src/http/inbound-hooks.ts)

const ZAddressList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** A forwarded email, as an inbound-mail provider (or our own relay) posts it. */
export const ZInboundEmail = z.object({
  to: ZAddressList,
  from: z.string().max(500).optional(),
  subject: z.string().max(2000).default(""),
  text: z.string().max(200_000).default(""),
  html: z.string().max(500_000).optional(),
});
export type TInboundEmail = z.infer<typeof ZInboundEmail>;

/** A forwarded SMS (Twilio's field names accepted as well). */
export const ZInboundSms = z
  .object({
    to: z.string().max(50).optional(),
    To: z.string().max(50).optional(),
    from: z.string().max(50).optional(),
    From: z.string().max(50).optional(),
    text: z.string().max(5_000).optional(),
    body: z.string().max(5_000).optional(),
    Body: z.string().max(5_000).optional(),
  })
  .transform((v) => ({
    to: v.to ?? v.To ?? "",
    from: v.from ?? v.From ?? null,
    text: v.text ?? v.body ?? v.Body ?? "",
  }))
  .refine((v) => v.to.length > 0, { message: "`to` is required", path: ["to"] });
export type TInboundSms = z.infer<typeof ZInboundSms>;

// ---------------------------------------------------------------------------------------
// Admin

export const ZConnectionGet = z.object({ id: z.uuid() });

export const CONNECTION_ERROR_MESSAGES: Record<TCollectFailureReason | "no_credential", string> = {
  wrong_password:
    "The utility did not accept the saved password (it may have been changed). Send a reconnect invitation so the account owner can sign in again.",
  locked:
    "The utility has locked this account after failed sign-ins. Once it is unlocked, send a reconnect invitation.",
  mfa_timeout:
    "The utility asked for a one-time code and none arrived in time. Ask the account owner to forward their codes to this connection's address, then send a reconnect invitation.",
  mfa_rejected:
    "The utility did not accept the one-time code we received. Send a reconnect invitation so the account owner can sign in again.",
  portal_changed:
    "The utility's website has changed and we could not read it. Our team has been told; nothing to do on your side.",
  provider_down: "The utility's website did not answer. We will try again automatically.",
  needs_recipient:
    "The utility asked for a sign-in step we have not seen before. Send a reconnect invitation so the account owner signs in once more; we will learn the new step.",
  no_credential: "No sign-in details are stored for this connection. Send a reconnect invitation.",
};
