import { brandFontFamily, readableOn, useUploadedFont } from "../recipient/brand";

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export type TBrandDraft = {
  displayName: string;
  logoUrl: string | null;
  primaryColor: string;
  accentColor: string;
  font: string;
  /** The stored upload's address; `fontFile` is a new upload (data: URL) not yet saved. */
  fontUrl: string | null;
  fontFile?: string | null;
  whiteLabel: boolean;
};

/** The font the draft shows: a new upload, else the stored one, else none (null = removed). */
export function draftFontUrl(brand: TBrandDraft): string | null {
  return brand.fontFile === undefined ? brand.fontUrl : brand.fontFile;
}

/**
 * What a recipient sees when they open an invitation, drawn from the draft branding, so
 * the admin can judge contrast and the logo before saving.
 */
export function BrandPreview({ brand }: { brand: TBrandDraft }) {
  const primary = HEX.test(brand.primaryColor) ? brand.primaryColor : "#0f766e";
  // The same text colour the recipient pages pick, so the preview shows what they will.
  const onPrimary = readableOn(primary);
  const accent = HEX.test(brand.accentColor) ? brand.accentColor : "#f59e0b";
  const name = brand.displayName.trim() || "Your company";
  const fontUrl = draftFontUrl(brand);
  useUploadedFont(fontUrl);
  return (
    <figure
      aria-label="Recipient page preview"
      className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm"
      style={{ fontFamily: brandFontFamily(brand.font, fontUrl) }}
    >
      <div className="flex items-center gap-3 border-b border-slate-100 px-5 py-3">
        {brand.logoUrl ? (
          <img
            src={brand.logoUrl}
            alt={`${name} logo`}
            className="h-8 max-w-[8rem] object-contain"
          />
        ) : (
          <span
            aria-hidden="true"
            className="grid h-8 w-8 place-items-center rounded-md text-sm font-bold"
            style={{ background: primary, color: onPrimary }}
          >
            {name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <span className="font-semibold" data-testid="preview-name">
          {name}
        </span>
      </div>
      <div className="space-y-3 px-5 py-6">
        {/* The accent is decoration only: an admin's accent need not be readable as text. */}
        <p className="flex items-center gap-2 text-xs font-semibold uppercase tracking-wide text-slate-600">
          <span
            aria-hidden="true"
            className="h-1 w-6 rounded-full"
            style={{ background: accent }}
          />
          Invitation
        </p>
        <p className="text-lg font-semibold">{name} asks you to connect your utility account</p>
        <p className="text-sm text-slate-600">
          You will sign in to your utility's own website in a secure browser. {name} never sees your
          password.
        </p>
        <span
          className="inline-block rounded-md px-4 py-2 text-sm font-medium"
          style={{ background: primary, color: onPrimary }}
        >
          Get started
        </span>
      </div>
      <figcaption className="border-t border-slate-100 px-5 py-2 text-xs text-slate-500">
        {brand.whiteLabel ? `© ${name}` : "Secured by Meterlink"}
      </figcaption>
    </figure>
  );
}
