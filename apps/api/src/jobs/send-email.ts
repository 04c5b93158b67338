// Sends one outbox row (`email_message`). Invariants:
// - a row is sent at most once: the provider request carries `email-<id>` as its
//   idempotency key, so a job retried after the provider accepted (the worker died, the
//   database write failed) gets the first answer back instead of a second email;
// - a row leaves `queued` exactly once, to `sent` or `failed`, with an event in the
//   invitation's activity log in the same transaction;
// - provider trouble (no answer, 429, 5xx) is retried by pg-boss with backoff up to a
//   bound; a refusal of the email itself (bad address) fails it at once, with a reason.
import {
  company,
  emailMessage,
  emailVerification,
  invitation,
  invitationRecipient,
  type TDb,
  user,
} from "@meterlink/db";
import { invitationStatus } from "@meterlink/shared";
import { and, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { renderEmail, type TEmailInput } from "../emails";
import { emailLogoUrl } from "../emails/brand";
import { decryptSecret } from "../lib/tokens";
import { recordEvent } from "../services/invitations/events";
import { invitationUrl } from "../services/invitations/links";
import type { TEmailTransport, TOutgoingEmail, TSendResult } from "./transport";

export type TSendEmailDeps = {
  db: TDb;
  log: Logger;
  transport: TEmailTransport;
  publicUrl: string;
  tokenKey: Buffer;
  /** `EMAIL_FROM`: its address is used; the name shown is the company's. */
  emailFrom: string;
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

type TEmailRow = typeof emailMessage.$inferSelect;

const SYSTEM = { type: "system" } as const;

/** The address inside `Name <address>` (or the value itself). */
export function addressOfFrom(from: string): string {
  const match = /<([^<>]+)>\s*$/.exec(from);
  return (match?.[1] ?? from).trim();
}

/** A display name safe inside `"…" <address>`: no quotes, brackets or line breaks. */
function displayNameForHeader(name: string): string {
  return name
    .replace(/["<>\\\r\n]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
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

async function markFailed(deps: TSendEmailDeps, row: TEmailRow, reason: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(emailMessage)
      .set({ status: "failed", failureReason: reason })
      .where(and(eq(emailMessage.id, row.id), eq(emailMessage.status, "queued")))
      .returning({ id: emailMessage.id });
    if (updated && row.invitationId) {
      await recordEvent(tx, {
        invitationId: row.invitationId,
        type: "email_failed",
        actor: SYSTEM,
        data: { emailId: row.id, to: row.to, kind: row.kind, reason, attempts: row.attempts },
      });
    }
  });
  deps.log.warn({ emailId: row.id, attempts: row.attempts }, "email failed");
}

async function markSent(
  deps: TSendEmailDeps,
  row: TEmailRow,
  providerMessageId: string | null,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(emailMessage)
      .set({ status: "sent", providerMessageId, sentAt: new Date(), failureReason: null })
      .where(and(eq(emailMessage.id, row.id), eq(emailMessage.status, "queued")))
      .returning({ id: emailMessage.id });
    if (updated && row.invitationId) {
      await recordEvent(tx, {
        invitationId: row.invitationId,
        type: "email_sent",
        actor: SYSTEM,
        data: {
          emailId: row.id,
          to: row.to,
          kind: row.kind,
          providerMessageId,
          attempts: row.attempts,
        },
      });
    }
  });
  deps.log.info({ emailId: row.id, attempts: row.attempts }, "email sent");
}

type TPrepared = { ok: true; email: TOutgoingEmail } | { ok: false; reason: string };

/** Everything the template needs, read fresh: a revoked invitation is not sent. */
async function prepare(deps: TSendEmailDeps, row: TEmailRow): Promise<TPrepared> {
  if (!row.invitationId) return { ok: false, reason: "Not sent: this email has no invitation." };
  const [found] = await deps.db
    .select({ invitation, company, inviterName: user.name, inviterEmail: user.email })
    .from(invitation)
    .innerJoin(company, eq(company.id, invitation.companyId))
    .leftJoin(user, eq(user.id, invitation.createdBy))
    .where(eq(invitation.id, row.invitationId));
  if (!found) return { ok: false, reason: "Not sent: the invitation no longer exists." };
  const brand = {
    displayName: found.company.displayName,
    // Uploaded logos are data: URLs, which email clients drop: link the API's copy.
    logoUrl: emailLogoUrl(found.company, deps.publicUrl),
    primaryColor: found.company.primaryColor,
    whiteLabel: found.company.whiteLabel,
  };
  const status = invitationStatus(found.invitation);
  // The one email about a dead link: it goes to the sender, in the admin app's language.
  if (row.kind === "new_link_request") {
    if (status === "active") return { ok: false, reason: "Not sent: the link works again." };
    const link = new URL(`/invitations/${found.invitation.id}?status=all`, deps.publicUrl);
    return await outgoing(deps, row, brand, null, {
      kind: "new_link_request",
      locale: "en",
      brand,
      link: link.toString(),
      expiresAt: null,
      status,
    });
  }
  if (status !== "active") {
    return {
      ok: false,
      reason: `Not sent: the invitation was ${status === "fulfilled" ? "already fully used" : status} before this email went out.`,
    };
  }

  const token = decryptSecret(found.invitation.tokenCiphertext, deps.tokenKey);
  const common = { locale: found.invitation.locale, brand };
  let input: TEmailInput;
  if (row.kind === "verification") {
    const code = row.payload.codeCiphertext;
    if (!code) return { ok: false, reason: "Not sent: the verification code is missing." };
    const url = new URL(`/p/i/${token}/verify`, deps.publicUrl);
    url.searchParams.set("v", decryptSecret(code, deps.tokenKey));
    const verificationId = row.payload.verificationId;
    const [verification] = verificationId
      ? await deps.db
          .select({ expiresAt: emailVerification.expiresAt })
          .from(emailVerification)
          .where(eq(emailVerification.id, verificationId))
      : [];
    input = {
      ...common,
      // The recipient's page language and time zone, when the page said them.
      ...(row.payload.locale ? { locale: row.payload.locale } : {}),
      ...(row.payload.timeZone ? { timeZone: row.payload.timeZone } : {}),
      kind: "verification",
      link: url.toString(),
      expiresAt: verification?.expiresAt ?? null,
    };
  } else {
    let proof: string | undefined;
    const recipientId = row.payload.recipientId;
    if (recipientId) {
      const [recipient] = await deps.db
        .select({ proofCiphertext: invitationRecipient.proofCiphertext })
        .from(invitationRecipient)
        .where(
          and(
            eq(invitationRecipient.id, recipientId),
            eq(invitationRecipient.invitationId, found.invitation.id),
          ),
        );
      if (recipient) proof = decryptSecret(recipient.proofCiphertext, deps.tokenKey);
    }
    const link = invitationUrl(deps.publicUrl, token, proof);
    const expiresAt = found.invitation.expiresAt;
    input =
      row.kind === "reconnect"
        ? { ...common, kind: "reconnect", link, expiresAt, message: found.invitation.message }
        : {
            ...common,
            kind: "invitation",
            link,
            expiresAt,
            message: found.invitation.message,
            inviterName: found.inviterName,
          };
  }

  return await outgoing(deps, row, brand, found.inviterEmail, input);
}

async function outgoing(
  deps: TSendEmailDeps,
  row: TEmailRow,
  brand: { displayName: string },
  replyTo: string | null,
  input: TEmailInput,
): Promise<TPrepared> {
  const rendered = await renderEmail(input);
  return {
    ok: true,
    email: {
      from: `"${displayNameForHeader(brand.displayName)}" <${addressOfFrom(deps.emailFrom)}>`,
      to: row.to,
      replyTo: replyTo ?? undefined,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      tags: [
        { name: "email_id", value: row.id },
        { name: "kind", value: row.kind },
      ],
    },
  };
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
  // Counting the try before making it: a worker that dies mid-send still used one.
  const [row] = await deps.db
    .update(emailMessage)
    .set({ attempts: sql`${emailMessage.attempts} + 1` })
    .where(and(eq(emailMessage.id, emailId), eq(emailMessage.status, "queued")))
    .returning();
  if (!row) return "skipped";
  const lastTry = options.lastTry || row.attempts >= deps.maxAttempts;

  let prepared: TPrepared;
  try {
    prepared = await prepare(deps, row);
  } catch (err) {
    deps.log.error({ err, emailId }, "could not prepare an email");
    if (lastTry) {
      await markFailed(deps, row, "Not sent: the email could not be prepared. Contact support.");
      return "failed";
    }
    throw new RetryLater("the email could not be prepared");
  }
  if (!prepared.ok) {
    await markFailed(deps, row, prepared.reason);
    return "failed";
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
    await markSent(deps, row, result.providerMessageId);
    return "sent";
  }
  if (result.name === "invalid_idempotent_request") {
    // The provider already accepted an email under this key (with a body rendered
    // differently since): it went out, so it must not go out again.
    deps.log.warn({ emailId }, "provider holds a different email under this key; counted as sent");
    await markSent(deps, row, null);
    return "sent";
  }
  if (!isRetryable(result)) {
    await markFailed(deps, row, refusalReason(row.to, result));
    return "failed";
  }
  if (lastTry) {
    await markFailed(
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
