// A connection's bills, newest first, scoped to the caller's company: another company's
// connection answers exactly like an unknown one.
import { bill, connection } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import type { TApiBill } from "@meterlink/shared/developer";
import { and, desc, eq, sql } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { toApiBill } from "./view";

export const CONNECTION_NOT_FOUND =
  "This connection was not found in your company. List yours with GET /connections.";

export async function listConnectionBills({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: { connectionId: string };
}): Promise<{ items: TApiBill[] }> {
  const [owned] = await ctx.db
    .select({ id: connection.id })
    .from(connection)
    .where(and(eq(connection.id, input.connectionId), eq(connection.companyId, ctx.company.id)));
  if (!owned) throw new AppError("NOT_FOUND", CONNECTION_NOT_FOUND);
  const rows = await ctx.db
    .select()
    .from(bill)
    .where(eq(bill.connectionId, owned.id))
    // Undated documents (needing review) after the dated ones.
    .orderBy(
      sql`${bill.periodEnd} desc nulls last`,
      sql`${bill.issuedOn} desc nulls last`,
      desc(bill.createdAt),
    )
    .limit(1000);
  return { items: rows.map(toApiBill) };
}
