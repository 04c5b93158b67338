// What one outbox row says when it leaves: everything is read fresh when it is sent, so
// a revoked or fully used invitation is never mailed, and the link inside is decrypted
// only here, on its way to the provider (the outbox stores no plaintext link).
import {
  type emailMessage,
  emailVerification,
  invitation,
  invitationRecipient,
  type TDb,
} from "@meterlink/db";
import { invitationStatus } from "@meterlink/shared";
import { and, eq } from "drizzle-orm";
import { renderEmail, type TEmailInput } from "../../emails";
import { emailLogoUrl } from "../../emails/brand";
import { decryptSecret } from "../../lib/tokens";
import { invitationUrl } from "../invitations/links";
import { composeTeamEmail } from "../team/emails";

export type TEmailRow = typeof emailMessage.$inferSelect;

export type TComposeDeps = {
  db: TDb;
  publicUrl: string;
  tokenKey: Buffer;
  /** `EMAIL_FROM`: its address is used; the name shown is the company's. */
  emailFrom: string;
};

/** What the email provider is asked to send. */
export type TOutgoingEmail = {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  tags: { name: string; value: string }[];
};

export type TComposed = { ok: true; email: TOutgoingEmail } | { ok: false; reason: string };

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

/** The email for `row`, or why it must not be sent (the row then fails with that reason). */
export async function composeEmail(deps: TComposeDeps, row: TEmailRow): Promise<TComposed> {
  // Emails to admins of the team (services/team): about no recipient invitation.
  if (row.kind === "team_invitation" || row.kind === "password_reset") {
    const team = await composeTeamEmail(deps, row);
    if (!team.ok) return team;
    const { senderName, ...rendered } = team;
    return { ok: true, email: teamOutgoing(deps, row, senderName, rendered) };
  }
  if (!row.invitationId) return { ok: false, reason: "Not sent: this email has no invitation." };
  const found = await deps.db.query.invitation.findFirst({
    where: eq(invitation.id, row.invitationId),
    with: { company: true, creator: { columns: { name: true, email: true } } },
  });
  if (!found) return { ok: false, reason: "Not sent: the invitation no longer exists." };
  const brand = {
    displayName: found.company.displayName,
    // Uploaded logos are data: URLs, which email clients drop: link the API's copy.
    logoUrl: emailLogoUrl(found.company, deps.publicUrl),
    primaryColor: found.company.primaryColor,
    whiteLabel: found.company.whiteLabel,
  };
  const status = invitationStatus(found);
  // The one email about a dead link: it goes to the sender, in the admin app's language.
  if (row.kind === "new_link_request") {
    if (status === "active") return { ok: false, reason: "Not sent: the link works again." };
    const link = new URL(`/invitations/${found.id}?status=all`, deps.publicUrl);
    return await outgoing(deps, row, brand.displayName, null, {
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

  const token = decryptSecret(found.tokenCiphertext, deps.tokenKey);
  const common = { locale: found.locale, brand };
  let input: TEmailInput;
  if (row.kind === "verification") {
    const code = row.payload.codeCiphertext;
    if (!code) return { ok: false, reason: "Not sent: the verification code is missing." };
    const url = new URL(`/p/i/${token}/verify`, deps.publicUrl);
    url.searchParams.set("v", decryptSecret(code, deps.tokenKey));
    const verificationId = row.payload.verificationId;
    const verification = verificationId
      ? await deps.db.query.emailVerification.findFirst({
          where: eq(emailVerification.id, verificationId),
          columns: { expiresAt: true },
        })
      : undefined;
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
      const recipient = await deps.db.query.invitationRecipient.findFirst({
        where: and(
          eq(invitationRecipient.id, recipientId),
          eq(invitationRecipient.invitationId, found.id),
        ),
        columns: { proofCiphertext: true },
      });
      if (recipient) proof = decryptSecret(recipient.proofCiphertext, deps.tokenKey);
    }
    const link = invitationUrl(deps.publicUrl, token, proof);
    const expiresAt = found.expiresAt;
    input =
      row.kind === "reconnect"
        ? { ...common, kind: "reconnect", link, expiresAt, message: found.message }
        : {
            ...common,
            kind: "invitation",
            link,
            expiresAt,
            message: found.message,
            inviterName: found.creator?.name ?? null,
          };
  }

  return await outgoing(deps, row, brand.displayName, found.creator?.email ?? null, input);
}

function teamOutgoing(
  deps: TComposeDeps,
  row: TEmailRow,
  senderName: string,
  rendered: { subject: string; html: string; text: string },
): TOutgoingEmail {
  return {
    from: `"${displayNameForHeader(senderName)}" <${addressOfFrom(deps.emailFrom)}>`,
    to: row.to,
    ...rendered,
    tags: [
      { name: "email_id", value: row.id },
      { name: "kind", value: row.kind },
    ],
  };
}

async function outgoing(
  deps: TComposeDeps,
  row: TEmailRow,
  senderName: string,
  replyTo: string | null,
  input: TEmailInput,
): Promise<TComposed> {
  const rendered = await renderEmail(input);
  return {
    ok: true,
    email: {
      from: `"${displayNameForHeader(senderName)}" <${addressOfFrom(deps.emailFrom)}>`,
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
