import { invitation } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";

/**
 * An invitation of the caller's company. Another company's id answers exactly like an
 * unknown one, so ids reveal nothing across tenants.
 */
export async function findCompanyInvitation(
  ctx: Pick<TCompanyContext, "db" | "company">,
  id: string,
) {
  const [row] = await ctx.db
    .select()
    .from(invitation)
    .where(and(eq(invitation.id, id), eq(invitation.companyId, ctx.company.id)));
  if (!row)
    throw new AppError(
      "NOT_FOUND",
      "This invitation was not found. It may belong to another company.",
    );
  return row;
}
