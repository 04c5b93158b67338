// The origins allowed to frame a company's recipient pages (`frame-ancestors`).
// Entries are validated origins (ZFrameOrigin); only the caller's company is touched.
import { company } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { eq } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";

export function getEmbedding({ ctx }: { ctx: Pick<TCompanyContext, "company"> }) {
  return { allowedOrigins: ctx.company.allowedFrameOrigins };
}

export async function updateEmbedding({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: { allowedOrigins: string[] };
}) {
  const [row] = await ctx.db
    .update(company)
    .set({ allowedFrameOrigins: input.allowedOrigins })
    .where(eq(company.id, ctx.company.id))
    .returning({ allowedOrigins: company.allowedFrameOrigins });
  if (!row) throw new AppError("NOT_FOUND", "Your company was not found. Sign in again.");
  return row;
}
