// Finds the one-time code in a forwarded SMS or email. Utilities word it many ways
// ("your verification code is 123456", "Code : 123456", "123456 is your code"); texts
// also carry phone numbers, dates and (in a forwarded email) addresses, so a number next
// to a "code" word wins, then a lone 6-digit number, then any lone 4-8 digit number.
// Two different codes found by the same rule are "several": guessing would type the
// wrong one into the portal (and a wrong code can lock the account), so none is used.
// A collection then takes a stored code only while it is valid, only if it arrived after
// the run started (an older one answers an older request), and only once (waitForCode).
import type { TDb } from "@meterlink/db";
import { sql } from "drizzle-orm";
import { decryptSecret } from "../../lib/tokens";

const KEYWORD =
  /(?:code|passcode|pin|otp|one[- ]time|verification|sicherheitscode|bestätigungscode|código|codice)\D{0,40}?(?<![\d+])(\d{4,8})(?!\d)/giu;
const BEFORE_KEYWORD =
  /(?<![\d+\-/.])(\d{4,8})(?![\d\-/.])\s+(?:is|est|ist|es)\s+(?:your|votre|ihr|su)\b/giu;
const LONE = /(?<![\d+\-/.:,])(\d{4,8})(?![\d\-/.:,])/gu;
/** Addresses and links carry digits (our own `c-…` keys among them) that are never codes. */
const NOT_TEXT = /<[^>]*>|\S+@\S+|\bhttps?:\/\/\S+/giu;

export type TCodeFound = { kind: "one"; code: string } | { kind: "none" } | { kind: "several" };

function decide(candidates: string[]): TCodeFound | null {
  const distinct = [...new Set(candidates)];
  if (distinct.length === 0) return null;
  if (distinct.length > 1) return { kind: "several" };
  return { kind: "one", code: distinct[0] as string };
}

const all = (pattern: RegExp, text: string) =>
  [...text.matchAll(pattern)].map((match) => match[1] ?? "");

export function findCode(text: string): TCodeFound {
  const plain = text.slice(0, 40_000).replace(NOT_TEXT, " ").slice(0, 20_000);
  const found = decide(all(BEFORE_KEYWORD, plain)) ?? decide(all(KEYWORD, plain));
  if (found) return found;
  const lone = all(LONE, plain);
  return (
    decide(lone.filter((candidate) => candidate.length === 6)) ?? decide(lone) ?? { kind: "none" }
  );
}

/** The code when there is exactly one, else null. */
export function extractCode(text: string): string | null {
  const found = findCode(text);
  return found.kind === "one" ? found.code : null;
}

/**
 * Polls for a code forwarded to this connection since the run started, and consumes it
 * (once: concurrent pollers skip a row another has locked). Null when none arrives in time.
 */
export async function waitForCode(
  deps: { db: TDb; tokenKey: Buffer; mfaWaitMs: number; codePollMs: number },
  connectionId: string,
  runId: string,
  since: Date,
): Promise<string | null> {
  // Leave the worker a moment of its own wait to type the code.
  const deadline = Date.now() + Math.max(0, deps.mfaWaitMs - 2_000);
  while (Date.now() < deadline) {
    const rows = await deps.db.execute<{ code_encrypted: string }>(sql`
      update mfa_code set consumed_at = now(), consumed_by_run_id = ${runId}
      where id = (
        select id from mfa_code
        where connection_id = ${connectionId} and consumed_at is null
          and expires_at > now() and received_at >= ${since.toISOString()}
        order by received_at desc limit 1
        for update skip locked
      )
      returning code_encrypted`);
    const found = rows[0];
    if (found) return decryptSecret(found.code_encrypted, deps.tokenKey);
    await new Promise((resolve) => setTimeout(resolve, deps.codePollMs));
  }
  return null;
}
