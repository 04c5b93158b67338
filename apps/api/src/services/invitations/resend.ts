import { AppError, invitationStatus } from "@meterlink/shared";
import type { TCompanyContext } from "../../trpc";
import { queueInvitationEmails, refuseRecipientsOutsideAllowed } from "./create";
import { findCompanyInvitation } from "./find";

const REFUSAL: Record<"revoked" | "expired" | "fulfilled", string> = {
  revoked:
    "This invitation was revoked, so it can't be sent again. Create a new invitation instead.",
  expired:
    "This invitation has expired, so it can't be sent again. Create a new invitation instead.",
  fulfilled:
    "This invitation has already been used the maximum number of times. Create a new invitation instead.",
};

/** Queues a fresh email to each recipient (or to the given addresses). */
export async function resendInvitation({
  ctx,
  input,
}: {
  ctx: TCompanyContext;
  input: { id: string; recipients?: string[] };
}) {
  const row = await findCompanyInvitation(ctx, input.id);
  const status = invitationStatus(row);
  if (status !== "active") throw new AppError("CONFLICT", REFUSAL[status]);
  if (input.recipients?.length) {
    refuseRecipientsOutsideAllowed(row.allowedEmails, input.recipients, "recipients");
  }
  const recipients = input.recipients?.length ? [...new Set(input.recipients)] : row.recipients;
  if (!recipients.length) {
    throw AppError.field(
      "recipients",
      "This invitation was shared by link, not email. Add an address to send it to.",
    );
  }
  const emailIds = await ctx.db.transaction((tx) =>
    queueInvitationEmails(
      tx,
      ctx,
      row.id,
      recipients,
      row.kind === "reconnect" ? "reconnect" : "invitation",
      {
        resent: true,
      },
    ),
  );
  await ctx.jobs.emailsQueued(emailIds);
  return { emailsQueued: emailIds.length };
}
