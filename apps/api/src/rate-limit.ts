// Rate limits of the public (recipient) surface. Invariant: every recipient procedure
// CALL is counted, whatever the URL looked like (tRPC batches several calls into one
// request and decodes percent-encoded paths, so URL-prefix limits were skipped), and the
// counters live in PostgreSQL so every API replica counts against the same budget.
//
// rate-limiter-flexible's Postgres store speaks the `pg` driver's `query({ text, values })`
// shape; the project uses `postgres` (porsager), so a ten-line adapter lends it the
// existing pool rather than opening a second one.
//
// Calls of the same client that arrive together are counted in one upsert of n points
// (lib/batch.ts): a burst costs one round trip and one commit, and the k-th call of the
// batch is refused exactly when it would have been refused alone (the counter before the
// batch + k exceeds the budget).
import type { TDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { batcher } from "./lib/batch";

/** A 429 that knows when the client may retry (sent as `Retry-After`). */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", `Too many requests. Try again in ${retryAfterSeconds} seconds.`);
  }
}

export type TRateLimits = {
  /** One recipient procedure call by this client address. */
  recipientCall(clientKey: string): Promise<void>;
  /** One verification email to this address for this invitation. */
  verificationEmail(email: string, invitationId: string): Promise<void>;
};

export const NO_RATE_LIMITS: TRateLimits = {
  recipientCall: async () => {},
  verificationEmail: async () => {},
};

export type TRateLimitOptions = {
  recipientCallsPerMinute: number;
  /** Verification emails per address per hour (whatever the invitation). */
  verificationEmailsPerAddressPerHour: number;
  /** Verification emails per invitation per hour (whatever the address). */
  verificationEmailsPerInvitationPerHour: number;
};

/** The `pg` client shape the store calls, answered by postgres.js. */
function pgShapedClient(db: TDb) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const rows = await db.$client.unsafe(q.text, (q.values ?? []) as never[]);
      return { rows: [...rows], rowCount: rows.count };
    },
  };
}

function store(db: TDb, keyPrefix: string, points: number, duration: number) {
  return new RateLimiterPostgres({
    storeClient: pgShapedClient(db),
    storeType: "client",
    tableName: "rate_limiter_flexible",
    // Created by migration (packages/db/src/schema/rate-limit.ts): replicas starting
    // together must not race to create it.
    tableCreated: true,
    keyPrefix,
    points,
    duration,
  });
}

async function consume(limiter: RateLimiterPostgres, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (outcome) {
    // The store rejects with a RateLimiterRes when over the limit, with an Error otherwise.
    if (outcome instanceof RateLimiterRes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)));
    }
    throw outcome;
  }
}

/** `consume(key)` per call, the calls of one key in a batch counted in one upsert. */
function batchedConsume(limiter: RateLimiterPostgres, points: number) {
  return batcher<string, true>(async (keys) => {
    const calls = new Map<string, number>();
    for (const key of keys) calls.set(key, (calls.get(key) ?? 0) + 1);
    // Per key: the counter after this batch, or the error of its upsert.
    const after = new Map<string, { consumed: number; msBeforeNext: number } | Error>();
    await Promise.all(
      [...calls].map(async ([key, n]) => {
        try {
          const res = await limiter.consume(key, n);
          after.set(key, { consumed: res.consumedPoints, msBeforeNext: res.msBeforeNext });
        } catch (outcome) {
          after.set(
            key,
            outcome instanceof RateLimiterRes
              ? { consumed: outcome.consumedPoints, msBeforeNext: outcome.msBeforeNext }
              : outcome instanceof Error
                ? outcome
                : new Error(String(outcome)),
          );
        }
      }),
    );
    const seen = new Map<string, number>();
    return keys.map((key) => {
      const counted = after.get(key);
      if (!counted) return new Error("rate limit not counted");
      if (counted instanceof Error) return counted;
      const k = (seen.get(key) ?? 0) + 1;
      seen.set(key, k);
      const before = counted.consumed - (calls.get(key) ?? 0);
      return before + k <= points
        ? true
        : new RateLimitedError(Math.max(1, Math.ceil(counted.msBeforeNext / 1000)));
    });
  });
}

export async function createRateLimits(db: TDb, options: TRateLimitOptions): Promise<TRateLimits> {
  const recipientCalls = batchedConsume(
    store(db, "recipient", options.recipientCallsPerMinute, 60),
    options.recipientCallsPerMinute,
  );
  const perAddress = store(db, "verify-address", options.verificationEmailsPerAddressPerHour, 3600);
  const perInvitation = store(
    db,
    "verify-invitation",
    options.verificationEmailsPerInvitationPerHour,
    3600,
  );
  return {
    recipientCall: async (clientKey) => {
      await recipientCalls(clientKey);
    },
    async verificationEmail(email, invitationId) {
      await consume(perAddress, email);
      await consume(perInvitation, invitationId);
    },
  };
}
