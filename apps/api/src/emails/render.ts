// Turns an email request into the subject, HTML and plain-text parts handed to Resend.
// The input is a union on `kind`, so each email gets exactly the fields it needs.

import { AppError } from "@meterlink/shared";
import { render, toPlainText } from "@react-email/render";
import type { ReactElement } from "react";
import { createElement as h } from "react";
import { resolveBrand, type TEmailBrand } from "./brand";
import { EMAIL_STRINGS, emailLocale, fill, formatEmailDate } from "./i18n";
import {
  InvitationEmail,
  NewLinkRequestEmail,
  ReconnectEmail,
  VerificationEmail,
} from "./templates";

type TEmailInputBase = {
  /** Any BCP 47-ish tag ("fr-CA", "ja"); unsupported or missing → English. */
  locale?: string | null;
  brand: TEmailBrand;
  /** The recipient-facing http(s) URL behind the button. */
  link: string;
  /** Null: the link does not expire. */
  expiresAt: Date | null;
  /** IANA zone the expiry is shown in; UTC when unknown. */
  timeZone?: string;
};

export type TInvitationEmailInput = TEmailInputBase & {
  kind: "invitation";
  inviterName?: string | null;
  /** A personal note from the admin, shown as written. */
  message?: string | null;
};

export type TVerificationEmailInput = TEmailInputBase & { kind: "verification" };

export type TReconnectEmailInput = TEmailInputBase & {
  kind: "reconnect";
  /** The utility whose connection failed, e.g. "EDF". */
  providerName?: string | null;
  message?: string | null;
};

/** To the invitation's sender; `link` is the invitation in the admin app. */
export type TNewLinkRequestEmailInput = TEmailInputBase & {
  kind: "new_link_request";
  status: "expired" | "revoked" | "fulfilled";
};

export type TEmailInput =
  | TInvitationEmailInput
  | TVerificationEmailInput
  | TReconnectEmailInput
  | TNewLinkRequestEmailInput;
export type TEmailKind = TEmailInput["kind"];
export type TRenderedEmail = { subject: string; html: string; text: string };

function checkedLink(link: string): string {
  try {
    const url = new URL(link);
    if (url.protocol === "https:" || url.protocol === "http:") return url.href;
  } catch {}
  throw new AppError("BAD_REQUEST", "An email link must be an absolute http(s) URL.");
}

/** Blank optional text counts as absent, so an empty message does not draw an empty box. */
function present(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export async function renderEmail(input: TEmailInput): Promise<TRenderedEmail> {
  const locale = emailLocale(input.locale);
  const strings = EMAIL_STRINGS[locale];
  const brand = resolveBrand(input.brand);
  const common = {
    locale,
    strings,
    brand,
    link: checkedLink(input.link),
    expiresOn:
      input.expiresAt === null ? null : formatEmailDate(input.expiresAt, locale, input.timeZone),
  };
  const company = brand.displayName;

  let subject: string;
  let element: ReactElement;
  switch (input.kind) {
    case "invitation":
      subject = fill(strings.invitationSubject, { company });
      element = h(InvitationEmail, {
        ...common,
        inviterName: present(input.inviterName),
        message: present(input.message),
      });
      break;
    case "verification":
      subject = fill(strings.verificationSubject, { company });
      element = h(VerificationEmail, common);
      break;
    case "reconnect":
      subject = fill(strings.reconnectSubject, { company });
      element = h(ReconnectEmail, {
        ...common,
        providerName: present(input.providerName),
        message: present(input.message),
      });
      break;
    case "new_link_request":
      subject = strings.newLinkSubject;
      element = h(NewLinkRequestEmail, { ...common, status: input.status });
      break;
  }

  const html = await render(element);
  // React Email's plain-text conversion (links without brackets, images skipped), but
  // headings kept in their case: upper-casing reads as shouting and means nothing in Japanese.
  const text = toPlainText(html, {
    selectors: [
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
    ],
  });
  return { subject, html, text };
}
