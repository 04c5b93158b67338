// The fleet protocol: what the API and a browser worker say to each other over their
// internal HTTP APIs (fleet token). Worker → API: heartbeats that carry the sessions the
// worker really holds and the ones it ended lately, and a report at each outcome and at
// each ending. API → worker: start, inspect and end sessions, and the heartbeat's answer
// naming the sessions the API no longer knows. Both ends parse every body with these.
import { z } from "zod";
import { ZCollectedBill, ZCollectNote } from "./collected";
import { ZLoginRecipe } from "./recipe";
import { ZLoginOutcome, ZSessionEndReason, ZViewport } from "./stream";

const ZWorkerId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/);

const ZSessionId = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);

/**
 * Per-provider hints that sharpen outcome detection and field capture. Same shape as the
 * catalog's login recipe (utility-sandbox `TSandboxLoginRules`), so a catalog row passes
 * through unchanged; unknown keys are dropped.
 */
export const ZProviderRules = z.object({
  /** Path prefix of the pages that are still "signing in" (leaving it means success). */
  loginPathPrefix: z.string().startsWith("/").optional(),
  /** Path prefix a signed-in user lands on (reaching it means success). */
  successPathPrefix: z.string().startsWith("/").optional(),
  /** Texts the portal shows on a wrong identifier/password or lockout (case-insensitive). */
  errorText: z.array(z.string().min(1).max(200)).max(20).optional(),
  /** Texts the portal shows when it asks for a one-time code. */
  mfaText: z.array(z.string().min(1).max(200)).max(20).optional(),
  usernameSelector: z.string().max(300).optional(),
  passwordSelector: z.string().max(300).optional(),
  codeSelector: z.string().max(300).optional(),
  submitSelector: z.string().max(300).optional(),
  /** Visible only when the portal shows a sign-in error. */
  errorSelector: z.string().max(300).optional(),
  /** Visible only on a signed-in page. */
  successSelector: z.string().max(300).optional(),
});
export type TProviderRules = z.infer<typeof ZProviderRules>;

const ZHostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[a-z0-9.-]+$|^\[?[0-9a-f:]+\]?$/i, "a hostname, optionally starting with *.");

export const ZStartSession = z.object({
  sessionId: ZSessionId,
  provider: z.object({
    id: z.string().min(1).max(128),
    loginUrl: z.url({ protocol: /^https?$/ }),
    allowedHostnames: z.array(ZHostname).min(1).max(50),
    rules: ZProviderRules.optional(),
    /**
     * The provider's collection recipe (services/collection; parsed by the worker as a
     * ZCollectRecipe). Present on a recipient's session: after a successful sign-in the
     * worker reads the first bills in that same browser (an empty object: generic
     * discovery).
     */
    collect: z.record(z.string(), z.unknown()).optional(),
  }),
  viewport: ZViewport,
  /** "headless": no stream client is expected (leaving does not end the session). */
  mode: z.enum(["interactive", "headless"]).default("interactive"),
  /**
   * The company's account-tag key (@meterlink/shared/account-tag): on a recipient's
   * session the worker, the only one that sees the typed username, reports its tag.
   */
  accountTagKey: z.string().max(64).optional(),
});
export type TStartSession = z.infer<typeof ZStartSession>;

export const ZSessionState = z.enum(["starting", "running", "ended"]);

/** `GET /sessions/:id`: state and outcome, never a secret (the credential is sealed). */
export const ZSessionView = z.object({
  sessionId: z.string(),
  providerId: z.string(),
  state: ZSessionState,
  outcome: ZLoginOutcome.nullable(),
  sealedCredential: z.string().nullable(),
  finalUrl: z.string().nullable(),
  verified: z.boolean().default(true),
  /** Keyed hash of provider + username, with a success (never the username). */
  accountTag: z.string().max(64).nullish(),
  endReason: ZSessionEndReason.nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type TSessionView = z.infer<typeof ZSessionView>;

/** Error body of the worker HTTP API. */
export const ZWorkerError = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type TWorkerError = z.infer<typeof ZWorkerError>;

// ---------------------------------------------------------------------------------------
// Worker → API

/** A session the worker ended, as it tells the API (once at the time, then in heartbeats). */
export const ZSessionEnding = z.object({
  sessionId: ZSessionId,
  reason: ZSessionEndReason,
  outcome: ZLoginOutcome.nullable(),
  endedAt: z.iso.datetime(),
});
export type TSessionEnding = z.infer<typeof ZSessionEnding>;

/** Bounds what one heartbeat carries: a worker holds at most a few dozen sessions. */
export const HEARTBEAT_MAX_SESSIONS = 500;

/** A worker process's ephemeral public key (fleet identity, docs/scaling.md). */
export const ZWorkerPublicJwk = z
  .object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string() })
  .refine((jwk) => !("d" in jwk), "must be a PUBLIC key");
export type TWorkerPublicJwk = z.infer<typeof ZWorkerPublicJwk>;

export const ZHeartbeat = z.object({
  workerId: ZWorkerId,
  url: z.url({ protocol: /^https?$/ }),
  /** Interactive (recipient) slots. */
  capacity: z.number().int().min(0).max(1000),
  /** Slots for headless bill collections, on top of `capacity`: they never take a recipient's. */
  headlessCapacity: z.number().int().min(0).max(1000).default(0),
  activeSessions: z.number().int().min(0),
  version: z.string().max(100).default("unknown"),
  draining: z.boolean().default(false),
  /** When this worker process started: sessions placed on its id before then are gone. */
  bootedAt: z.iso.datetime().optional(),
  /** Every session the worker holds right now (starting or running). */
  held: z.array(ZSessionId).max(HEARTBEAT_MAX_SESSIONS).default([]),
  /** Sessions it ended lately, so an ending whose report was lost still arrives. */
  ended: z.array(ZSessionEnding).max(HEARTBEAT_MAX_SESSIONS).default([]),
  /** Checked at GET {url}/identity before admission; collection credentials are sealed to it. */
  publicKey: ZWorkerPublicJwk,
});
export type THeartbeat = z.infer<typeof ZHeartbeat>;
export type THeartbeatInput = z.input<typeof ZHeartbeat>;

/** The API's answer: sessions the worker holds that are over for the API. */
export const ZHeartbeatAnswer = z.object({
  ok: z.literal(true),
  end: z.array(ZSessionId).max(HEARTBEAT_MAX_SESSIONS).default([]),
});
export type THeartbeatAnswer = z.infer<typeof ZHeartbeatAnswer>;

/** `POST /internal/fleet/report`: a login outcome, or a session's end. */
export const ZSessionReport = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("outcome"),
    workerId: ZWorkerId,
    sessionId: ZSessionId,
    providerId: z.string().max(128),
    outcome: ZLoginOutcome,
    /** JWE sealed to the vault key; only with a success. */
    sealedCredential: z.string().max(20_000).nullable(),
    finalUrl: z.string().max(4_000).nullable(),
    /** False when the recipient said "I'm signed in" and the portal showed nothing. */
    verified: z.boolean().default(true),
    /** Keyed hash of provider + username, with a success (never the username). */
    accountTag: z.string().max(64).nullish(),
    /** How the recipient signed in (non-secret shape); only with a success, when recorded. */
    recipe: ZLoginRecipe.nullable().default(null),
  }),
  ZSessionEnding.extend({ type: z.literal("ended"), workerId: ZWorkerId }),
  /** The first bills, read in the recipient's own signed-in session before it ended. */
  z.object({
    type: z.literal("first_bills"),
    workerId: ZWorkerId,
    sessionId: ZSessionId,
    /** `reading` first, when the worker starts (completing waits for the bills then). */
    status: z.enum(["reading", "ok", "failed"]),
    bills: z.array(ZCollectedBill).max(500).default([]),
    notes: z.array(ZCollectNote).max(100).default([]),
  }),
]);
export type TSessionReport = z.infer<typeof ZSessionReport>;
export type TSessionReportInput = z.input<typeof ZSessionReport>;

export const FLEET_ROUTES = {
  heartbeat: "/internal/fleet/heartbeat",
  deregister: "/internal/fleet/deregister",
  report: "/internal/fleet/report",
} as const;

/**
 * Why a login session ended, as `login_session.end_reason` records it: the worker's own
 * reasons, and the ones only the API can see.
 */
export const ZLoginEndReason = z.enum([
  ...ZSessionEndReason.options,
  /** The recipient's page ended it (left the step, switched to manual entry). */
  "recipient_ended",
  /** The recipient started a new browser; the old one goes. */
  "restarted",
  "revoked",
  /** The worker vanished (no heartbeat, stream died) or no longer holds the session. */
  "worker_lost",
  /** No worker could start it. */
  "start_failed",
]);
export type TLoginEndReason = z.infer<typeof ZLoginEndReason>;
