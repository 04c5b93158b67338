// Sends one outbox row (`email_message`): composing it and its state transitions are
// services (`services/emails`); this job owns the provider conversation. Invariants:
// - a row is sent at most once: the provider request carries `email-<id>` as its
//   idempotency key, so a job retried after the provider accepted (the worker died, the
//   database write failed) gets the first answer back instead of a second email;
// - a row leaves `queued` exactly once, to `sent` or `failed`, with an event in the
//   invitation's activity log in the same transaction;
// - provider trouble (no answer, 429, 5xx) is retried by pg-boss with backoff up to a
//   bound; a refusal of the email itself (bad address) fails it at once, with a reason.
import type { Logger } from "pino";
import {
  composeEmail,
  type TComposeDeps,
  type TComposed,
  type TEmailRow,
} from "../services/emails/compose";
import { markEmailFailed, markEmailSent, takeAttempt } from "../services/emails/outbox";
import { isTestEnvironmentId } from "../services/test-mode/environment";
import type { TEmailTransport, TSendResult } from "./transport";

export type TSendEmailDeps = TComposeDeps & {
  log: Logger;
  transport: TEmailTransport;
  sendTimeoutMs: number;
  /**
   * Tries of one row across all its jobs (the sweeper may enqueue a fresh job for a row
   * whose job died): past it the row fails, so nothing is retried forever.
   */
  maxAttempts: number;
};

export type TSendOutcome = "sent" | "failed" | "skipped";

/** Thrown to have pg-boss retry the job later. Carries no address and no secret. */
export class RetryLater extends Error {
  override name = "RetryLater";
}

async function failed(deps: TSendEmailDeps, row: TEmailRow, reason: string): Promise<void> {
  await markEmailFailed(deps.db, row, reason);
  deps.log.warn({ emailId: row.id, attempts: row.attempts }, "email failed");
}

async function sent(
  deps: TSendEmailDeps,
  row: TEmailRow,
  providerMessageId: string | null,
): Promise<void> {
  await markEmailSent(deps.db, row, providerMessageId);
  deps.log.info({ emailId: row.id, attempts: row.attempts }, "email sent");
}

function describeProviderAnswer(result: Extract<TSendResult, { ok: false }>): string {
  return result.statusCode === null
    ? "no answer"
    : `${result.statusCode} ${result.name}`.slice(0, 120);
}

function isRetryable(result: Extract<TSendResult, { ok: false }>): boolean {
  if (result.statusCode === null || result.statusCode === 429 || result.statusCode >= 500) {
    return true;
  }
  // The same key is still being processed by the provider: ask again later.
  if (result.name === "concurrent_idempotent_requests") return true;
  // Credentials or sending domain: an operator can fix these while we retry.
  return result.statusCode === 401 || result.statusCode === 403;
}

function refusalReason(to: string, result: Extract<TSendResult, { ok: false }>): string {
  const detail = result.message.replace(/\s+/g, " ").trim().slice(0, 300);
  if (/`to`|address/i.test(detail)) {
    return `Not sent: the email service refused the address ${to} as invalid. Check the address, then send the invitation again. (${detail})`;
  }
  return `Not sent: the email service refused this email. (${detail})`;
}

/**
 * One try at sending one row. `lastTry`: pg-boss will not retry this job again, so a
 * retryable problem fails the row instead of throwing.
 */
export async function sendEmailMessage(
  deps: TSendEmailDeps,
  emailId: string,
  options: { lastTry: boolean },
): Promise<TSendOutcome> {
  const row = await takeAttempt(deps.db, emailId);
  if (!row) return "skipped";
  const lastTry = options.lastTry || row.attempts >= deps.maxAttempts;

  let prepared: TComposed;
  try {
    prepared = await composeEmail(deps, row);
  } catch (err) {
    deps.log.error({ err, emailId }, "could not prepare an email");
    if (lastTry) {
      await failed(deps, row, "Not sent: the email could not be prepared. Contact support.");
      return "failed";
    }
    throw new RetryLater("the email could not be prepared");
  }
  if (!prepared.ok) {
    await failed(deps, row, prepared.reason);
    return "failed";
  }
  // Test mode (services/test-mode): checked and rendered like a live email, then kept
  // in the admin app instead of being handed to the email provider.
  if (await isTestEnvironmentId(deps.db, row.companyId)) {
    await sent(deps, row, null);
    return "sent";
  }

  let result: TSendResult;
  try {
    result = await deps.transport.send(prepared.email, {
      idempotencyKey: `email-${row.id}`,
      signal: AbortSignal.timeout(deps.sendTimeoutMs),
    });
  } catch (err) {
    deps.log.warn({ err, emailId }, "email send threw");
    result = { ok: false, statusCode: null, name: "send_error", message: "The send failed." };
  }

  if (result.ok) {
    await sent(deps, row, result.providerMessageId);
    return "sent";
  }
  if (result.name === "invalid_idempotent_request") {
    // The provider already accepted an email under this key (with a body rendered
    // differently since): it went out, so it must not go out again.
    deps.log.warn({ emailId }, "provider holds a different email under this key; counted as sent");
    await sent(deps, row, null);
    return "sent";
  }
  if (!isRetryable(result)) {
    await failed(deps, row, refusalReason(row.to, result));
    return "failed";
  }
  if (lastTry) {
    await failed(
      deps,
      row,
      `Not sent: the email service could not be reached after ${row.attempts} attempts (last answer: ${describeProviderAnswer(result)}). Send the invitation again later.`,
    );
    return "failed";
  }
  deps.log.warn(
    { emailId, attempts: row.attempts, answer: describeProviderAnswer(result) },
    "email provider unavailable; retrying later",
  );
  throw new RetryLater(`email provider answered ${describeProviderAnswer(result)}`);
}
