// The recipient's MFA step, proving forwarding before they leave: where to forward (the
// address reserved for the connection this session will create, or the reconnected
// connection's; the deployment's SMS number) and whether anything has arrived there yet.
// Each poll also marks the session as "testing forwarding", which lets a text to the
// shared SMS number count as this session's proof while it is the only one testing, or
// when it carries the word this session is shown.
import { recipientSession } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { TContextInner } from "../../trpc";
import { forwardingForRecipient } from "../connections/forwarding";
import { activeInvitationByToken, requireRecipientSession } from "../recipient/resolve";
import { hasUnclaimedText, receivedSince } from "./activity";
import { smsWordOf } from "./match";

/** The page polls every few seconds; the mark is refreshed at most this often. */
const MARK_EVERY_SECONDS = 20;

export async function recipientForwarding({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string };
}) {
  const row = await activeInvitationByToken(ctx, input.token);
  const session = await requireRecipientSession(ctx, row);
  const target = await forwardingForRecipient(ctx.db, ctx.config.inbound, session.id);
  if (!target) throw new AppError("NOT_FOUND", "Your session has ended. Open the link again.");
  await ctx.db
    .update(recipientSession)
    .set({ forwardingCheckAt: sql`now()` })
    .where(
      and(
        eq(recipientSession.id, session.id),
        or(
          isNull(recipientSession.forwardingCheckAt),
          lt(
            recipientSession.forwardingCheckAt,
            sql`now() - make_interval(secs => ${MARK_EVERY_SECONDS})`,
          ),
        ),
      ),
    );
  // A reconnected connection may have older messages: only what came since this visit
  // proves the owner's forwarding works now.
  const received = await receivedSince(
    ctx.db,
    { connectionId: target.connectionId, recipientSessionId: session.id },
    target.connectionId ? session.createdAt : null,
  );
  // A text that came while others tested too went to nobody: the page asks to resend it
  // with the word.
  const unclaimed = !received.sms && (await hasUnclaimedText(ctx.db, session.id));
  // On the shared number the page asks for this word: it tells this recipient's test text
  // from another's testing at the same moment (match.ts).
  return {
    email: target.email,
    sms: target.sms,
    smsWord: target.sms ? smsWordOf(session.id) : null,
    received,
    unclaimedSms: unclaimed,
  };
}
