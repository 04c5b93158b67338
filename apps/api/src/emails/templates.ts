// The three emails a recipient can receive. Each is the shared layout plus its own words;
// everything the sender controls (names, message) is passed as text, so React escapes it.

import { createElement as h } from "react";
import type { TResolvedBrand } from "./brand";
import { fill, type TEmailLocale, type TEmailStrings } from "./i18n";
import { EmailLayout, Note, Paragraph } from "./layout";

type TCommonProps = {
  locale: TEmailLocale;
  strings: TEmailStrings;
  brand: TResolvedBrand;
  link: string;
  /** Formatted expiry date, or null when the link does not expire. */
  expiresOn: string | null;
};

export function InvitationEmail(
  props: TCommonProps & { inviterName: string | null; message: string | null },
) {
  const { strings: t, brand } = props;
  const company = brand.displayName;
  return h(
    EmailLayout,
    {
      locale: props.locale,
      strings: t,
      brand,
      preview: fill(t.invitationPreview, { company }),
      heading: t.invitationHeading,
      button: { label: t.invitationButton, href: props.link },
      expiry:
        props.expiresOn === null ? null : fill(t.invitationExpires, { date: props.expiresOn }),
    },
    h(
      Paragraph,
      null,
      props.inviterName === null
        ? fill(t.invitationIntro, { company })
        : fill(t.invitationIntroWithInviter, { company, inviter: props.inviterName }),
    ),
    props.message === null
      ? null
      : h(Note, {
          brand,
          label: fill(t.messageFrom, { name: props.inviterName ?? company }),
          message: props.message,
        }),
    h(Paragraph, null, fill(t.invitationHow, { company })),
  );
}

export function VerificationEmail(props: TCommonProps) {
  const { strings: t, brand } = props;
  const company = brand.displayName;
  return h(
    EmailLayout,
    {
      locale: props.locale,
      strings: t,
      brand,
      preview: t.verificationPreview,
      heading: t.verificationHeading,
      button: { label: t.verificationButton, href: props.link },
      expiry: props.expiresOn === null ? null : fill(t.linkExpires, { date: props.expiresOn }),
    },
    h(Paragraph, null, fill(t.verificationIntro, { company })),
  );
}

export function ReconnectEmail(
  props: TCommonProps & { providerName: string | null; message: string | null },
) {
  const { strings: t, brand } = props;
  const company = brand.displayName;
  return h(
    EmailLayout,
    {
      locale: props.locale,
      strings: t,
      brand,
      preview: fill(t.reconnectPreview, { company }),
      heading: t.reconnectHeading,
      button: { label: t.reconnectButton, href: props.link },
      expiry: props.expiresOn === null ? null : fill(t.linkExpires, { date: props.expiresOn }),
    },
    h(
      Paragraph,
      null,
      props.providerName === null
        ? fill(t.reconnectIntro, { company })
        : fill(t.reconnectIntroWithProvider, { company, provider: props.providerName }),
    ),
    props.message === null
      ? null
      : h(Note, { brand, label: fill(t.messageFrom, { name: company }), message: props.message }),
    h(Paragraph, null, fill(t.invitationHow, { company })),
  );
}

/** To the sender: a recipient on a dead link's page asked for a new one. */
export function NewLinkRequestEmail(
  props: TCommonProps & { status: "expired" | "revoked" | "fulfilled" },
) {
  const { strings: t, brand } = props;
  const company = brand.displayName;
  const reason =
    props.status === "expired"
      ? t.newLinkExpired
      : props.status === "revoked"
        ? t.newLinkRevoked
        : t.newLinkFulfilled;
  return h(
    EmailLayout,
    {
      locale: props.locale,
      strings: t,
      brand,
      preview: fill(t.newLinkPreview, { company }),
      heading: t.newLinkHeading,
      button: { label: t.newLinkButton, href: props.link },
      expiry: null,
    },
    h(Paragraph, null, fill(t.newLinkIntro, { company })),
    h(Paragraph, null, reason),
    h(Paragraph, null, t.newLinkNext),
  );
}
