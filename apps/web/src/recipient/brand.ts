// White-label theming: the company's colours and font become the CSS variables the
// Tailwind theme reads (`--brand`, `--brand-accent`, `--brand-font` in styles.css), set on
// <html> because `--color-brand` is computed there. `--brand-on` is the text colour that
// stays readable on the brand colour, whatever colour the admin picked.
import { brandFontStack } from "@meterlink/shared/settings";
import { useEffect } from "react";

export type TBranding = {
  displayName: string;
  logoUrl: string | null;
  primaryColor: string | null;
  accentColor: string | null;
  font: string | null;
  /** The company's uploaded WOFF2 (served by the API at /brand/:id/font), used before `font`. */
  fontUrl?: string | null;
  whiteLabel: boolean;
};

/** The family name an uploaded font is registered under; the chosen stack stays the fallback. */
export const UPLOADED_FONT_FAMILY = "Brand upload";

/** The CSS font-family for a stored font id, led by the uploaded font when there is one. */
export function brandFontFamily(font: string | null, fontUrl: string | null | undefined): string {
  const stack = brandFontStack(font ?? "system");
  return fontUrl ? `"${UPLOADED_FONT_FAMILY}", ${stack}` : stack;
}

/**
 * Registers the uploaded font (an API path, or a data: URL while the admin previews an
 * upload) as a @font-face for this document. Both are allowed by the page's CSP
 * (`font-src 'self' data:`). A font that fails to load leaves the fallback stack in use.
 */
export function useUploadedFont(fontUrl: string | null | undefined): void {
  useEffect(() => {
    if (!fontUrl || typeof FontFace === "undefined") return;
    const face = new FontFace(UPLOADED_FONT_FAMILY, `url("${fontUrl.replace(/["\\]/g, "")}")`, {
      display: "swap",
    });
    document.fonts.add(face);
    face.load().catch(() => undefined);
    return () => {
      document.fonts.delete(face);
    };
  }, [fontUrl]);
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rgb / #rrggbb colour, or null if it is not one. */
export function luminance(hex: string): number | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  const digits = match?.[1];
  if (!digits) return null;
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join("") : digits;
  const [r, g, b] = [0, 2, 4].map((offset) => Number.parseInt(full.slice(offset, offset + 2), 16));
  return 0.2126 * channel(r ?? 0) + 0.7152 * channel(g ?? 0) + 0.0722 * channel(b ?? 0);
}

export function contrastRatio(a: number, b: number): number {
  const [light, dark] = a > b ? [a, b] : [b, a];
  return (light + 0.05) / (dark + 0.05);
}

/** White or near-black, whichever reads better on the background. */
export function readableOn(background: string): string {
  const lum = luminance(background);
  if (lum === null) return "#ffffff";
  return contrastRatio(lum, 1) >= contrastRatio(lum, luminance("#0f172a") ?? 0)
    ? "#ffffff"
    : "#0f172a";
}

/** A neutral tab icon: no vendor's, no company's (before the company is known). */
const NEUTRAL_ICON =
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='%2394a3b8'/></svg>";

/** The company's tab icon: its logo, else its initial on its colour. */
export function faviconOf(branding: TBranding | null): string {
  if (!branding) return NEUTRAL_ICON;
  if (branding.logoUrl) return branding.logoUrl;
  const colour =
    luminance(branding.primaryColor ?? "") === null ? "#475569" : branding.primaryColor;
  const initial = (branding.displayName.trim().slice(0, 1) || "·").toUpperCase();
  const escaped = initial.replace(/[<>&'"]/g, "");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${colour}"/><text x="16" y="22" font-family="sans-serif" font-size="18" font-weight="600" text-anchor="middle" fill="${readableOn(colour ?? "#475569")}">${escaped}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * The tab's title and icon on every recipient page (loading, verification, dead links):
 * the company's when known, neutral before, the vendor's never (white-label).
 */
export function useDocumentBranding(branding: TBranding | null, title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
  const icon = faviconOf(branding);
  useEffect(() => {
    let link = document.querySelector<HTMLLinkElement>("link[rel~=icon]");
    if (!link) {
      link = document.createElement("link");
      link.rel = "icon";
      document.head.append(link);
    }
    link.href = icon;
  }, [icon]);
}

export function useBranding(branding: TBranding | null): void {
  useUploadedFont(branding?.fontUrl);
  useEffect(() => {
    if (!branding) return;
    const root = document.documentElement.style;
    const values: Record<string, string | null> = {
      "--brand": branding.primaryColor,
      "--brand-accent": branding.accentColor,
      "--brand-font":
        branding.font || branding.fontUrl ? brandFontFamily(branding.font, branding.fontUrl) : null,
      "--brand-on": branding.primaryColor ? readableOn(branding.primaryColor) : null,
    };
    for (const [name, value] of Object.entries(values)) {
      if (value) root.setProperty(name, value);
    }
    return () => {
      for (const name of Object.keys(values)) root.removeProperty(name);
    };
  }, [branding]);
}
