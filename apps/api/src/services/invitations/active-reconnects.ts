// Reconnect invitations that still work for one connection, so the wizard can warn
// before the admin sends a second link for the same account.
import { invitation } from "@meterlink/db";
import { and, desc, eq } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { statusCondition } from "./status-sql";

export async function activeReconnects({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: { connectionId: string };
}) {
  const rows = await ctx.db
    .select({
      id: invitation.id,
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
    })
    .from(invitation)
    .where(
      and(
        eq(invitation.companyId, ctx.company.id),
        eq(invitation.kind, "reconnect"),
        eq(invitation.targetConnectionId, input.connectionId),
        statusCondition("active", new Date()),
      ),
    )
    .orderBy(desc(invitation.createdAt));
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  }));
}
