// Where an embedded recipient page may post its host-page events (docs/embedding.md).
// The embed snippet names the host page's origin (`?origin=`); it is only an answer if
// the invitation's company lists it under Settings › Embedding. Anything else (no such
// origin, an unknown token) answers null, and the page then posts nothing at all: a
// page that frames us under a wrong name learns nothing about the recipient's progress.
import { company, invitation } from "@meterlink/db";
import { eq } from "drizzle-orm";
import { hashToken } from "../../lib/tokens";
import type { TContextInner } from "../../trpc";

export async function embedTarget({
  ctx,
  input,
}: {
  ctx: Pick<TContextInner, "db">;
  input: { token: string; origin: string };
}): Promise<{ origin: string | null }> {
  const [row] = await ctx.db
    .select({ origins: company.allowedFrameOrigins })
    .from(invitation)
    .innerJoin(company, eq(company.id, invitation.companyId))
    .where(eq(invitation.tokenHash, hashToken(input.token)));
  // Stored origins are normalised by ZFrameOrigin (no trailing slash); compare exactly.
  const wanted = input.origin.trim().replace(/\/+$/, "");
  return { origin: row?.origins.includes(wanted) ? wanted : null };
}
