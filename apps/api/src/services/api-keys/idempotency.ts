// Idempotency keys on every mutating REST call. The first request with a key claims it
// (a row with no answer yet); its answer is stored when it succeeds. Within 24 h the same
// key with the same request gets that answer again, the same key with another request is
// refused (409), and a retry while the first is still running is told to wait (409).
// Only successful answers stick: after a 400 (or any failure) the key is released, so
// the corrected request can use it. The stored answer is encrypted with the token key:
// it holds the invitation link, and a database dump must contain no working link.
import { createHash } from "node:crypto";
import { idempotencyRecord, type TDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq, lt } from "drizzle-orm";
import { decryptSecret, encryptSecret } from "../../lib/tokens";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type TIdempotencyClaim =
  | { kind: "claimed"; recordId: string }
  | { kind: "replay"; statusCode: number; body: unknown };

export function requestHashOf(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest("hex");
}

export async function claimIdempotencyKey(
  db: TDb,
  tokenKey: Buffer,
  claim: { apiKeyId: string; key: string; requestHash: string },
): Promise<TIdempotencyClaim> {
  if (!KEY_PATTERN.test(claim.key)) {
    throw AppError.field(
      "Idempotency-Key",
      "The Idempotency-Key header must be 1 to 255 visible ASCII characters, like a UUID.",
    );
  }
  const scope = and(
    eq(idempotencyRecord.apiKeyId, claim.apiKeyId),
    eq(idempotencyRecord.key, claim.key),
  );
  // A key older than 24 h is free again.
  await db
    .delete(idempotencyRecord)
    .where(and(scope, lt(idempotencyRecord.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS))));
  const [inserted] = await db
    .insert(idempotencyRecord)
    .values({ apiKeyId: claim.apiKeyId, key: claim.key, requestHash: claim.requestHash })
    .onConflictDoNothing()
    .returning({ id: idempotencyRecord.id });
  if (inserted) return { kind: "claimed", recordId: inserted.id };

  const [existing] = await db.select().from(idempotencyRecord).where(scope);
  if (!existing) {
    // Expired and deleted between our two statements: treat as a conflict to retry.
    throw new AppError(
      "CONFLICT",
      "This Idempotency-Key is being reused right now. Retry in a moment.",
    );
  }
  if (existing.requestHash !== claim.requestHash) {
    throw new AppError(
      "CONFLICT",
      "This Idempotency-Key was already used with a different request in the last 24 hours. Use a new key for a new request.",
    );
  }
  if (existing.statusCode === null) {
    throw new AppError(
      "CONFLICT",
      "A request with this Idempotency-Key is still being processed. Retry in a moment.",
    );
  }
  return {
    kind: "replay",
    statusCode: existing.statusCode,
    body: openStoredAnswer(existing.response, tokenKey),
  };
}

type TStoredAnswer = { sealed: string };

function openStoredAnswer(stored: unknown, tokenKey: Buffer): unknown {
  const sealed = (stored as TStoredAnswer | null)?.sealed;
  if (typeof sealed !== "string") throw new Error("idempotency record without a sealed answer");
  return JSON.parse(decryptSecret(sealed, tokenKey));
}

/** Keeps a successful answer for replays; any other answer frees the key. */
export async function completeIdempotencyKey(
  db: TDb,
  tokenKey: Buffer,
  recordId: string,
  answer: { statusCode: number; body: unknown },
): Promise<void> {
  if (answer.statusCode < 200 || answer.statusCode >= 300) {
    await db.delete(idempotencyRecord).where(eq(idempotencyRecord.id, recordId));
    return;
  }
  const response: TStoredAnswer = {
    sealed: encryptSecret(JSON.stringify(answer.body), tokenKey),
  };
  await db
    .update(idempotencyRecord)
    .set({ statusCode: answer.statusCode, response })
    .where(eq(idempotencyRecord.id, recordId));
}
