// Wire schemas for company settings (branding, embedding). Branding values are shown on
// pages and in emails other people read, so they are narrowed here, on both sides of the
// wire: colours are hex only (nothing that could smuggle CSS), fonts come from a short
// list of stacks that need no download, logos are small images or https URLs.
import { z } from "zod";
import { ZInvitationToken } from "./invitation";

/** Font stacks that render without fetching anything (recipient pages may be offline-ish, in iframes). */
export const BRAND_FONTS = {
  system: {
    label: "System (default)",
    stack: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  },
  humanist: {
    label: "Humanist sans",
    stack: '"Segoe UI", "Open Sans", "Noto Sans", Ubuntu, Cantarell, sans-serif',
  },
  geometric: {
    label: "Geometric sans",
    stack: 'Avenir, Montserrat, Corbel, "URW Gothic", "Century Gothic", sans-serif',
  },
  serif: {
    label: "Serif",
    stack: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
  },
  mono: {
    label: "Monospace",
    stack: 'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, monospace',
  },
} as const;
export type TBrandFont = keyof typeof BRAND_FONTS;
export const BRAND_FONT_IDS = Object.keys(BRAND_FONTS) as [TBrandFont, ...TBrandFont[]];
export const ZBrandFont = z.enum(BRAND_FONT_IDS, { error: "Pick a font from the list." });

/** The CSS stack of a stored font id; unknown ids (older rows) fall back to the system stack. */
export function brandFontStack(font: string): string {
  return (
    (BRAND_FONTS as Record<string, { stack: string } | undefined>)[font]?.stack ??
    BRAND_FONTS.system.stack
  );
}

export const ZHexColor = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, {
    error: "Use a hex colour like #0f766e.",
  })
  .transform((value) => value.toLowerCase());

export const LOGO_MAX_BYTES = 200 * 1024;
const LOGO_DATA_URL = /^data:(image\/(?:png|jpeg|svg\+xml));base64,([A-Za-z0-9+/]+={0,2})$/;

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Why a logo value is refused, or null when it is fine. Shared so the form can say it early. */
export function logoProblem(value: string): string | null {
  if (value.startsWith("https://")) {
    try {
      new URL(value);
      return value.length <= 2000 ? null : "This logo address is too long.";
    } catch {
      return "Enter the logo's address, starting with https://.";
    }
  }
  const match = LOGO_DATA_URL.exec(value);
  if (!match) {
    return "Upload a PNG, JPEG or SVG image, or enter an https:// address.";
  }
  // Cheap bound before decoding anything large: base64 is 4 characters per 3 bytes.
  const base64 = match[2] ?? "";
  if ((base64.length * 3) / 4 > LOGO_MAX_BYTES + 3) return "The logo must be 200 KB or smaller.";
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(base64);
  } catch {
    return "This image could not be read. Upload it again.";
  }
  if (bytes.length > LOGO_MAX_BYTES) return "The logo must be 200 KB or smaller.";
  const type = match[1];
  // The declared type must match the content: a mislabelled file is refused, not trusted.
  if (type === "image/png" && !startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) {
    return "This file is not a PNG image.";
  }
  if (type === "image/jpeg" && !startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return "This file is not a JPEG image.";
  }
  if (type === "image/svg+xml") {
    const head = new TextDecoder().decode(bytes.slice(0, 1024)).trimStart();
    if (!/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(head)) {
      return "This file is not an SVG image.";
    }
  }
  return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

export const FONT_FILE_MAX_BYTES = 512 * 1024;
const FONT_DATA_URL = /^data:font\/woff2;base64,([A-Za-z0-9+/]+={0,2})$/;

/** Why an uploaded font is refused, or null when it is a WOFF2 file within the size cap. */
export function fontFileProblem(value: string): string | null {
  const base64 = FONT_DATA_URL.exec(value)?.[1];
  if (base64 === undefined) return "Upload the font as a WOFF2 file (.woff2).";
  if ((base64.length * 3) / 4 > FONT_FILE_MAX_BYTES + 3)
    return "The font must be 512 KB or smaller.";
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(base64);
  } catch {
    return "This font could not be read. Upload it again.";
  }
  if (bytes.length > FONT_FILE_MAX_BYTES) return "The font must be 512 KB or smaller.";
  // The WOFF2 signature: a renamed TTF, WOFF 1 or anything else is refused, not served.
  if (!startsWith(bytes, [0x77, 0x4f, 0x46, 0x32])) {
    return "This file is not a WOFF2 font. Convert it to WOFF2 and upload it again.";
  }
  return null;
}

export const ZFontFile = z.string().superRefine((value, ctx) => {
  const problem = fontFileProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ZLogo = z.string().superRefine((value, ctx) => {
  const problem = logoProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ZUpdateBranding = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, { error: "Enter the name recipients will see." })
    .max(100, { error: "Keep the name under 100 characters." }),
  /** null removes the logo. */
  logoUrl: ZLogo.nullable(),
  primaryColor: ZHexColor,
  accentColor: ZHexColor,
  font: ZBrandFont,
  /**
   * An uploaded WOFF2 font (data: URL) used before the `font` stack; null removes it,
   * absent keeps the stored one (the form does not send the file back on every save).
   */
  fontFile: ZFontFile.nullable().optional(),
  whiteLabel: z.boolean(),
});
export type TUpdateBranding = z.input<typeof ZUpdateBranding>;
export type TBranding = z.output<typeof ZUpdateBranding>;

const LOOPBACK_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;
// What a `frame-ancestors` host-source may be: DNS labels (already punycoded by URL) or a
// bracketed IPv6 address. The URL parser lets `;`, `,`, quotes and the like into a host,
// and those would end the directive and start another (CSP injection).
const CSP_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|^\[[0-9a-f:.]+\]$/;

/**
 * An origin a company's pages may be framed by: `https://host[:port]`, or plain http on
 * loopback for local development. No paths, wildcards or credentials: each entry goes
 * into a `frame-ancestors` header as is.
 */
export const ZFrameOrigin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const candidate = value.replace(/\/+$/, "");
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not an address. Use an origin like https://app.example.com.`,
      });
      return z.NEVER;
    }
    const isHttps = url.protocol === "https:";
    if (
      url.origin === "null" ||
      url.origin.toLowerCase() !== candidate.toLowerCase() ||
      url.username ||
      url.password ||
      !CSP_HOST.test(url.hostname)
    ) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" must be an origin only (scheme and host, no path), like https://app.example.com.`,
      });
      return z.NEVER;
    }
    if (!isHttps && !LOOPBACK_HTTP.test(url.origin)) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" must use https:// (plain http is allowed only for localhost).`,
      });
      return z.NEVER;
    }
    return url.origin;
  });

export const ZUpdateEmbedding = z.object({
  allowedOrigins: z
    .array(ZFrameOrigin)
    .max(20, { error: "At most 20 origins." })
    .transform((origins) => [...new Set(origins)]),
});
export type TUpdateEmbedding = z.input<typeof ZUpdateEmbedding>;

/** An embedded recipient page asking where its host-page events may go (`?origin=`). */
export const ZEmbedTarget = z.object({
  token: ZInvitationToken,
  origin: z.string().trim().max(300),
});
