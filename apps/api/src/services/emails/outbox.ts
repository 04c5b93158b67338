// The outbox row's state machine: a row is tried while `queued` and leaves it exactly
// once, to `sent` or `failed`, with its event in the invitation's activity log written
// in the same transaction (so the log never says "sent" for an email still queued).
import { emailMessage, type TDb } from "@meterlink/db";
import { and, eq, sql } from "drizzle-orm";
import { recordEvent } from "../invitations/events";
import type { TEmailRow } from "./compose";

const SYSTEM = { type: "system" } as const;

/**
 * Counts one try of a queued row and returns it, or null when the row is no longer
 * queued. The try is counted before it is made: a process that dies mid-send used one.
 */
export async function takeAttempt(db: TDb, emailId: string): Promise<TEmailRow | null> {
  const [row] = await db
    .update(emailMessage)
    .set({ attempts: sql`${emailMessage.attempts} + 1` })
    .where(and(eq(emailMessage.id, emailId), eq(emailMessage.status, "queued")))
    .returning();
  return row ?? null;
}

export async function markEmailFailed(db: TDb, row: TEmailRow, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
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
}

export async function markEmailSent(
  db: TDb,
  row: TEmailRow,
  providerMessageId: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
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
}
