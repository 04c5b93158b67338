// A company's branding: what recipients see on the invitation pages and in emails.
// Only the caller's company row is ever read or written (`ctx.company.id`).
import { company } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import type { TBranding } from "@meterlink/shared/settings";
import { eq } from "drizzle-orm";
import { brandFontPath } from "../../http/brand-assets";
import type { TCompanyContext } from "../../trpc";

type TCompanyRow = TCompanyContext["company"];

function brandingView(row: TCompanyRow) {
  return {
    displayName: row.displayName,
    logoUrl: row.logoUrl,
    primaryColor: row.primaryColor,
    accentColor: row.accentColor,
    font: row.font,
    /** Where the uploaded font is served (the file itself stays on the server). */
    fontUrl: row.fontFile ? brandFontPath(row.id, row.fontFile) : null,
    whiteLabel: row.whiteLabel,
  };
}

export function getBranding({ ctx }: { ctx: Pick<TCompanyContext, "company"> }) {
  return brandingView(ctx.company);
}

export async function updateBranding({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: TBranding;
}) {
  const [row] = await ctx.db
    .update(company)
    .set({
      displayName: input.displayName,
      logoUrl: input.logoUrl,
      primaryColor: input.primaryColor,
      accentColor: input.accentColor,
      font: input.font,
      ...(input.fontFile !== undefined ? { fontFile: input.fontFile } : {}),
      whiteLabel: input.whiteLabel,
    })
    .where(eq(company.id, ctx.company.id))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Your company was not found. Sign in again.");
  return brandingView(row);
}
