// The frame shared by every email: branded header, call-to-action button with the same
// link as plain text beneath it (for clients that drop buttons and for people who
// distrust them), expiry, the "no one asks for passwords by email" warning, and a footer
// that names the vendor only when the company is not white-labelled.
//
// Written with `createElement` rather than JSX: the api workspace compiles `.ts` only.

import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Img,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import { createElement as h, type ReactNode } from "react";
import { type TResolvedBrand, VENDOR_NAME } from "./brand";
import { fill, type TEmailLocale, type TEmailStrings } from "./i18n";

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const styles = {
  body: { backgroundColor: "#f4f4f5", fontFamily: FONT, margin: 0, padding: "24px 0" },
  container: {
    backgroundColor: "#ffffff",
    borderRadius: "8px",
    maxWidth: "560px",
    padding: "0 32px 24px",
  },
  header: { padding: "24px 0 8px" },
  brandName: { fontSize: "18px", fontWeight: 700, color: "#111827", margin: 0 },
  heading: { fontSize: "22px", lineHeight: "30px", color: "#111827", margin: "16px 0 8px" },
  text: { fontSize: "15px", lineHeight: "24px", color: "#1f2937", margin: "12px 0" },
  quote: {
    fontSize: "15px",
    lineHeight: "24px",
    color: "#1f2937",
    margin: "0",
  },
  small: { fontSize: "13px", lineHeight: "20px", color: "#4b5563", margin: "8px 0" },
  link: { fontSize: "13px", lineHeight: "20px", wordBreak: "break-all" as const },
  buttonSection: { textAlign: "center" as const, padding: "16px 0 8px" },
  button: {
    borderRadius: "6px",
    fontSize: "16px",
    fontWeight: 600,
    padding: "14px 28px",
    textDecoration: "none",
  },
  hr: { borderColor: "#e5e7eb", margin: "24px 0 12px" },
  footer: { fontSize: "12px", lineHeight: "18px", color: "#6b7280", margin: "4px 0" },
};

export type TEmailLayoutProps = {
  locale: TEmailLocale;
  strings: TEmailStrings;
  brand: TResolvedBrand;
  preview: string;
  heading: string;
  /** Paragraphs above the button. */
  children?: ReactNode;
  button: { label: string; href: string };
  /** Already formatted and translated, or null when the link never expires. */
  expiry: string | null;
};

export function Paragraph(props: { children?: ReactNode }) {
  return h(Text, { style: styles.text }, props.children);
}

/** A personal note from the sender, set apart and in the company's colour. */
export function Note(props: { label: string; message: string; brand: TResolvedBrand }) {
  return h(
    Section,
    {
      style: {
        borderLeft: `4px solid ${props.brand.primaryColor}`,
        backgroundColor: "#f9fafb",
        padding: "8px 16px",
        margin: "12px 0",
      },
    },
    h(Text, { style: { ...styles.small, margin: "0 0 4px", fontWeight: 600 } }, props.label),
    // Explicit <br>s rather than `white-space: pre-line`, so the plain-text part keeps the
    // sender's line breaks too.
    h(
      Text,
      { style: styles.quote },
      ...props.message
        .split(/\r?\n/)
        .flatMap((line, index) => (index === 0 ? [line] : [h("br", { key: index }), line])),
    ),
  );
}

export function EmailLayout(props: TEmailLayoutProps) {
  const { brand, strings } = props;
  const footer = brand.whiteLabel
    ? fill(strings.sentOnBehalfOf, { company: brand.displayName })
    : fill(strings.poweredBy, { vendor: VENDOR_NAME });

  return h(
    Html,
    { lang: props.locale, dir: "ltr" },
    h(Head, null, h("meta", { name: "color-scheme", content: "light" })),
    h(Preview, null, props.preview),
    h(
      Body,
      { style: styles.body },
      h(
        Container,
        { style: { ...styles.container, borderTop: `4px solid ${brand.primaryColor}` } },
        h(
          Section,
          { style: styles.header },
          brand.logoUrl === null
            ? h(Text, { style: styles.brandName }, brand.displayName)
            : h(Img, { src: brand.logoUrl, alt: brand.displayName, height: 40 }),
        ),
        h(Heading, { as: "h1", style: styles.heading }, props.heading),
        props.children,
        h(
          Section,
          { style: styles.buttonSection },
          h(
            Button,
            {
              href: props.button.href,
              style: {
                ...styles.button,
                backgroundColor: brand.primaryColor,
                color: brand.onPrimaryColor,
              },
            },
            props.button.label,
          ),
        ),
        props.expiry === null ? null : h(Text, { style: styles.small }, props.expiry),
        h(Text, { style: styles.small }, strings.linkFallback),
        h(
          Text,
          { style: { ...styles.small, marginTop: 0 } },
          h(
            Link,
            {
              href: props.button.href,
              // A light brand colour (white text on it) would be unreadable on white.
              style: {
                ...styles.link,
                color: brand.onPrimaryColor === "#ffffff" ? brand.primaryColor : "#1d4ed8",
              },
            },
            props.button.href,
          ),
        ),
        h(Hr, { style: styles.hr }),
        h(Text, { style: styles.small }, strings.noPassword),
        h(Text, { style: styles.small }, strings.notExpecting),
        h(Text, { style: styles.footer }, footer),
      ),
    ),
  );
}
