// What the recipient pages need from tRPC errors, and the live-login calls.
//
// The live-login procedures (`recipient.startLogin`, `loginStatus`, `reconnectLogin`,
// `endLogin`) are called over tRPC's plain HTTP wire format from inside non-React
// callbacks (the remote browser's start and reconnect), their answers validated here; a
// deployment without a browser fleet (UNAVAILABLE) degrades to manual entry.
import { TRPCClientError } from "@trpc/client";
import { z } from "zod";

export const DEAD_LINK_CODES = [
  "INVITATION_INVALID",
  "INVITATION_REVOKED",
  "INVITATION_EXPIRED",
  "INVITATION_FULFILLED",
] as const;
export type TDeadLinkCode = (typeof DEAD_LINK_CODES)[number];

const ZErrorData = z.object({
  appCode: z.string().nullish(),
  code: z.string().nullish(),
  httpStatus: z.number().nullish(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).nullish(),
});
type TErrorData = z.infer<typeof ZErrorData>;

/** A tRPC error (from the typed client or from `callProcedure`) reduced to what pages use. */
export class RecipientApiError extends Error {
  override name = "RecipientApiError";
  constructor(
    message: string,
    readonly data: TErrorData,
  ) {
    super(message);
  }
}

function dataOf(error: unknown): TErrorData | null {
  if (error instanceof RecipientApiError) return error.data;
  if (error instanceof TRPCClientError) {
    const parsed = ZErrorData.safeParse(error.data);
    return parsed.success ? parsed.data : {};
  }
  return null;
}

export function appCodeOf(error: unknown): string | null {
  return dataOf(error)?.appCode ?? null;
}

export function deadLinkCodeOf(error: unknown): TDeadLinkCode | null {
  const code = appCodeOf(error);
  return DEAD_LINK_CODES.find((candidate) => candidate === code) ?? null;
}

/** The client could not talk to the server at all (offline, DNS, server down). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  return error instanceof TRPCClientError && !error.data;
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields = dataOf(error)?.fields ?? [];
  return Object.fromEntries(fields.map((field) => [field.path, field.message]));
}

/** A message the API wrote for people (never internals: its error formatter sees to that). */
export function messageOf(error: unknown): string | null {
  if (error instanceof RecipientApiError || error instanceof TRPCClientError) {
    return error.message || null;
  }
  return null;
}

const ZEnvelope = z.union([
  z.object({ result: z.object({ data: z.unknown() }) }),
  z.object({ error: z.object({ message: z.string(), data: ZErrorData.nullish() }) }),
]);

async function callProcedure(
  path: string,
  kind: "query" | "mutation",
  input: unknown,
): Promise<unknown> {
  const url =
    kind === "query"
      ? `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `/trpc/${path}`;
  const response = await fetch(url, {
    method: kind === "query" ? "GET" : "POST",
    credentials: "include",
    headers: kind === "mutation" ? { "content-type": "application/json" } : {},
    ...(kind === "mutation" ? { body: JSON.stringify(input) } : {}),
  });
  const envelope = ZEnvelope.safeParse(await response.json().catch(() => null));
  if (!envelope.success) {
    throw new RecipientApiError("Unexpected answer from the server.", {
      httpStatus: response.status,
    });
  }
  if ("error" in envelope.data) {
    throw new RecipientApiError(envelope.data.error.message, envelope.data.error.data ?? {});
  }
  return envelope.data.result.data;
}

export const ZStartLoginResult = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("started"),
    loginSessionId: z.string().min(1),
    streamUrl: z.string().min(1),
    provider: z.object({ name: z.string() }).partial().optional(),
  }),
  /** Every browser is busy: ask again after `retryAfterMs` with the same `queueId`. */
  z.object({
    status: z.literal("queued"),
    queueId: z.string().min(1),
    position: z.number().int().nullish(),
    retryAfterMs: z.number().int().min(0).max(60_000).default(1000),
  }),
]);
export type TStartLoginResult = z.infer<typeof ZStartLoginResult>;

export const ZLoginStatus = z.object({
  /** "success" | "failure" | "mfa" | "unsure", or how it ended ("worker_lost"). */
  outcome: z.string().nullable(),
  ended: z.boolean(),
  mfa: z.boolean(),
  forwardingAddress: z.string().nullable(),
});
export type TLoginStatus = z.infer<typeof ZLoginStatus>;

export const liveLogin = {
  async start(input: {
    token: string;
    providerId?: string;
    queueId?: string;
    viewport: { width: number; height: number; deviceScaleFactor: number };
  }): Promise<TStartLoginResult> {
    return ZStartLoginResult.parse(await callProcedure("recipient.startLogin", "mutation", input));
  },
  async status(input: { token: string; loginSessionId: string }): Promise<TLoginStatus> {
    return ZLoginStatus.parse(await callProcedure("recipient.loginStatus", "query", input));
  },
  /** A fresh single-use stream ticket for the same session, after the socket dropped. */
  async reconnect(input: { token: string; loginSessionId: string }): Promise<string> {
    const answer = z
      .object({ streamUrl: z.string().min(1) })
      .parse(await callProcedure("recipient.reconnectLogin", "mutation", input));
    return answer.streamUrl;
  },
  async end(input: { token: string; loginSessionId: string }): Promise<void> {
    await callProcedure("recipient.endLogin", "mutation", input);
  },
};

/** The API does not offer live sign-in (yet, or on this deployment). */
export function isLiveLoginMissing(error: unknown): boolean {
  const data = dataOf(error);
  return (data?.code === "NOT_FOUND" && !data.appCode) || data?.appCode === "UNAVAILABLE";
}
