// The two emails an admin of the team receives: an invitation to join the company and a
// password-reset link. They go through the same outbox as recipient emails (a row, then
// the send job), and their links are stored only encrypted in that row: the invitation
// row keeps a hash of its token, better-auth keeps a hash of the reset token.
import { company, emailMessage, membership, type TDbOrTx, teamInvitation } from "@meterlink/db";
import { render, toPlainText } from "@react-email/render";
import { eq } from "drizzle-orm";
import { createElement as h } from "react";
import { emailLogoUrl, resolveBrand } from "../../emails/brand";
import { EMAIL_STRINGS, formatEmailDate } from "../../emails/i18n";
import { EmailLayout, Paragraph } from "../../emails/layout";
import { decryptSecret, encryptSecret, hashToken, newToken } from "../../lib/tokens";
import type { TEmailRow } from "../emails/compose";

/** Admin emails are in English, like the admin app. */
const strings = EMAIL_STRINGS.en;

const ROLE_WORDS: Record<string, string> = {
  owner: "an owner (everything, the team included)",
  admin: "an admin (invitations, connections, settings)",
  viewer: "a viewer (sees everything, changes nothing)",
};

/** The accept page's link for one team invitation. */
export function teamInvitationUrl(publicUrl: string, token: string): string {
  const url = new URL("/join", publicUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * Gives the invitation a fresh link token (a resend makes the previous link stop working)
 * and queues its email. Returns the outbox row's id, for the send job.
 */
export async function queueTeamInvitationEmail(
  db: TDbOrTx,
  input: { invitationId: string; companyId: string; email: string; tokenKey: Buffer },
): Promise<string> {
  const token = newToken();
  await db
    .update(teamInvitation)
    .set({ tokenHash: hashToken(token) })
    .where(eq(teamInvitation.id, input.invitationId));
  const [row] = await db
    .insert(emailMessage)
    .values({
      companyId: input.companyId,
      kind: "team_invitation",
      to: input.email,
      payload: {
        teamInvitationId: input.invitationId,
        tokenCiphertext: encryptSecret(token, input.tokenKey),
      },
    })
    .returning({ id: emailMessage.id });
  if (!row) throw new Error("the invitation email could not be queued");
  return row.id;
}

/**
 * Queues the "reset your password" email better-auth asks for. Null when the user belongs
 * to no company (nothing to brand it with, and nobody to sign in as anyway).
 */
export async function queuePasswordResetEmail(
  db: TDbOrTx,
  input: { userId: string; email: string; url: string; tokenKey: Buffer },
): Promise<string | null> {
  const [member] = await db
    .select({ companyId: membership.companyId })
    .from(membership)
    .where(eq(membership.userId, input.userId))
    .limit(1);
  if (!member) return null;
  const [row] = await db
    .insert(emailMessage)
    .values({
      companyId: member.companyId,
      kind: "password_reset",
      to: input.email,
      payload: { urlCiphertext: encryptSecret(input.url, input.tokenKey) },
    })
    .returning({ id: emailMessage.id });
  return row?.id ?? null;
}

export type TTeamEmail =
  | { ok: true; subject: string; html: string; text: string; senderName: string }
  | { ok: false; reason: string };

/** What a team email says when it leaves; read fresh, so a canceled invitation is not sent. */
export async function composeTeamEmail(
  deps: { db: TDbOrTx; publicUrl: string; tokenKey: Buffer },
  row: TEmailRow,
): Promise<TTeamEmail> {
  const [owner] = await deps.db.select().from(company).where(eq(company.id, row.companyId));
  if (!owner) return { ok: false, reason: "Not sent: the company no longer exists." };
  const brand = resolveBrand({
    displayName: owner.displayName,
    // An uploaded logo is a data: URL, which email clients drop: use its public address.
    logoUrl: emailLogoUrl(owner, deps.publicUrl),
    primaryColor: owner.primaryColor,
    whiteLabel: false,
  });
  let element: ReturnType<typeof h>;
  let subject: string;
  if (row.kind === "team_invitation") {
    const { teamInvitationId, tokenCiphertext } = row.payload;
    const [invitation] = teamInvitationId
      ? await deps.db.select().from(teamInvitation).where(eq(teamInvitation.id, teamInvitationId))
      : [];
    if (!invitation || !tokenCiphertext) {
      return { ok: false, reason: "Not sent: the team invitation no longer exists." };
    }
    if (invitation.status !== "pending") {
      return { ok: false, reason: `Not sent: the team invitation was ${invitation.status}.` };
    }
    const link = teamInvitationUrl(deps.publicUrl, decryptSecret(tokenCiphertext, deps.tokenKey));
    subject = `Join ${owner.name} on Meterlink`;
    element = h(
      EmailLayout,
      {
        locale: "en",
        strings,
        brand,
        preview: `You are invited to join ${owner.name} on Meterlink.`,
        heading: `Join ${owner.name} on Meterlink`,
        button: { label: "Accept the invitation", href: link },
        expiry: `This invitation expires on ${formatEmailDate(invitation.expiresAt, "en")}.`,
      },
      h(
        Paragraph,
        null,
        `You are invited to join ${owner.name} on Meterlink as ${ROLE_WORDS[invitation.role] ?? invitation.role}.`,
      ),
      h(Paragraph, null, "Open the link, choose your name and a password, and you are in."),
    );
  } else {
    const { urlCiphertext } = row.payload;
    if (!urlCiphertext) return { ok: false, reason: "Not sent: the reset link is missing." };
    const link = decryptSecret(urlCiphertext, deps.tokenKey);
    subject = "Reset your Meterlink password";
    element = h(
      EmailLayout,
      {
        locale: "en",
        strings,
        brand,
        preview: "Choose a new password for Meterlink.",
        heading: "Reset your password",
        button: { label: "Choose a new password", href: link },
        expiry: "This link works once, for one hour.",
      },
      h(
        Paragraph,
        null,
        `Someone asked to reset the password of your ${owner.name} account on Meterlink. If it was you, choose a new one.`,
      ),
      h(Paragraph, null, "If it was not you, ignore this email: your password stays as it is."),
    );
  }
  const html = await render(element);
  return { ok: true, subject, html, text: toPlainText(html), senderName: owner.displayName };
}
