// Rate limits of the public (recipient) surface. Invariant: every recipient procedure
// CALL is counted, whatever the URL looked like (tRPC batches several calls into one
// request and decodes percent-encoded paths, so URL-prefix limits were skipped), and the
// counters live in PostgreSQL so every API replica counts against the same budget.
//
// rate-limiter-flexible's Postgres store speaks the `pg` driver's `query({ text, values })`
// shape; the project uses `postgres` (porsager), so a ten-line adapter lends it the
// existing pool rather than opening a second one.
import type { TDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

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
  return new Promise<RateLimiterPostgres>((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres(
      {
        storeClient: pgShapedClient(db),
        storeType: "client",
        tableName: "rate_limiter_flexible",
        keyPrefix,
        points,
        duration,
      },
      (error?: unknown) => (error ? reject(error) : resolve(limiter)),
    );
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

export async function createRateLimits(db: TDb, options: TRateLimitOptions): Promise<TRateLimits> {
  const [calls, perAddress, perInvitation] = await Promise.all([
    store(db, "recipient", options.recipientCallsPerMinute, 60),
    store(db, "verify-address", options.verificationEmailsPerAddressPerHour, 3600),
    store(db, "verify-invitation", options.verificationEmailsPerInvitationPerHour, 3600),
  ]);
  return {
    recipientCall: (clientKey) => consume(calls, clientKey),
    async verificationEmail(email, invitationId) {
      await consume(perAddress, email);
      await consume(perInvitation, invitationId);
    },
  };
}
