import { invitation } from "@meterlink/db";
import type { ZListInvitations } from "@meterlink/shared";
import { INVITATION_STATUSES, type TInvitationStatus } from "@meterlink/shared";
import { and, count, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { TCompanyContext } from "../../trpc";
import { statusColumn, statusCondition } from "./status-sql";
import { invitationView } from "./view";

/** Newest first, filtered by derived status and text, with counts for every tab. */
export async function listInvitations({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: z.output<typeof ZListInvitations>;
}) {
  const now = new Date();
  const scope: SQL[] = [eq(invitation.companyId, ctx.company.id)];
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const text = or(
      sql`array_to_string(${invitation.recipients}, ' ') ilike ${pattern}`,
      sql`array_to_string(${invitation.allowedEmails}, ' ') ilike ${pattern}`,
      ilike(invitation.message, pattern),
      ilike(invitation.name, pattern),
      sql`${invitation.prefill}->>'ownerEmail' ilike ${pattern}`,
      sql`${invitation.id}::text ilike ${pattern}`,
    );
    if (text) scope.push(text);
  }
  const filtered = input.status === "all" ? scope : [...scope, statusCondition(input.status, now)];

  const [rows, totals, perStatus] = await Promise.all([
    ctx.db
      .select()
      .from(invitation)
      .where(and(...filtered))
      .orderBy(desc(invitation.createdAt), desc(invitation.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db
      .select({ total: count() })
      .from(invitation)
      .where(and(...filtered)),
    ctx.db
      .select({ status: statusColumn(now), total: count() })
      .from(invitation)
      .where(and(...scope))
      .groupBy(sql`1`),
  ]);
  const counts = Object.fromEntries(INVITATION_STATUSES.map((status) => [status, 0])) as Record<
    TInvitationStatus,
    number
  >;
  for (const row of perStatus) counts[row.status] = row.total;
  return {
    items: rows.map((row) => invitationView(row, now)),
    total: totals[0]?.total ?? 0,
    page: input.page,
    pageSize: input.pageSize,
    counts: { ...counts, all: Object.values(counts).reduce((a, b) => a + b, 0) },
  };
}
