// A company's branding as it may appear in an email. Values come from admins, so they are
// narrowed here: a colour that is not a hex colour (which could smuggle CSS into a style
// attribute) falls back to the default, and a logo must be an http(s) URL.
import { brandLogoPath } from "../http/brand-assets";

export type TEmailBrand = {
  displayName: string;
  logoUrl: string | null;
  primaryColor: string;
  /** When true, the vendor's name appears nowhere in the email. */
  whiteLabel: boolean;
};

export const VENDOR_NAME = "Meterlink";

/**
 * The logo as an email can show it: an uploaded image (a data: URL, which email clients
 * drop) becomes the API's public address for it; an https URL stays as it is.
 */
export function emailLogoUrl(
  company: { id: string; logoUrl: string | null },
  publicUrl: string,
): string | null {
  if (!company.logoUrl) return null;
  if (!company.logoUrl.startsWith("data:")) return company.logoUrl;
  return new URL(brandLogoPath(company.id, company.logoUrl), publicUrl).href;
}
export const DEFAULT_PRIMARY_COLOR = "#2563eb";

export type TResolvedBrand = {
  displayName: string;
  logoUrl: string | null;
  primaryColor: string;
  /** Text colour readable on `primaryColor`. */
  onPrimaryColor: string;
  whiteLabel: boolean;
};

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function expandHex(color: string): string {
  const hex = color.slice(1);
  return hex.length === 3
    ? hex
        .split("")
        .map((digit) => digit + digit)
        .join("")
    : hex;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(color: string): number {
  const hex = expandHex(color);
  const channels = [0, 2, 4].map((start) => {
    const value = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function safeUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

export function resolveBrand(brand: TEmailBrand): TResolvedBrand {
  const primaryColor = HEX_COLOR.test(brand.primaryColor)
    ? `#${expandHex(brand.primaryColor).toLowerCase()}`
    : DEFAULT_PRIMARY_COLOR;
  // Pick whichever of white or near-black contrasts more with the button colour.
  const background = luminance(primaryColor);
  const onPrimaryColor =
    1.05 / (background + 0.05) >= (background + 0.05) / 0.0614 ? "#ffffff" : "#111827";
  return {
    // One line: the name is used in the subject, where a line break would be refused.
    displayName: brand.displayName.replace(/\s+/g, " ").trim(),
    logoUrl: safeUrl(brand.logoUrl),
    primaryColor,
    onPrimaryColor,
    whiteLabel: brand.whiteLabel,
  };
}
