import { randomUUID } from "node:crypto";
import { invitation } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { INVITATION_STATUSES, invitationStatus } from "@meterlink/shared";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany } from "../../../test/factories";
import { statusColumn, statusCondition } from "./status-sql";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const NOW = new Date("2026-06-01T12:00:00.000Z");
// Times around "now", including exactly now, where off-by-one bugs live.
const arbTime = fc.oneof(
  fc.constant(NOW.getTime()),
  fc.integer({ min: -3, max: 3 }).map((s) => NOW.getTime() + s * 1000),
  fc.integer({ min: -400, max: 400 }).map((d) => NOW.getTime() + d * 86_400_000),
);
const arbInvitation = fc.record({
  revoked: fc.boolean(),
  maxUses: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  uses: fc.integer({ min: 0, max: 4 }),
  expiresAt: fc.option(arbTime, { nil: null }),
});

describe("status filter in SQL", () => {
  it("agrees with invitationStatus() for generated invitations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbInvitation, { minLength: 1, maxLength: 25 }),
        async (generated) => {
          const company = await createCompany(database.db);
          const rows = await database.db
            .insert(invitation)
            .values(
              generated.map((g) => ({
                companyId: company.id,
                kind: "contributor" as const,
                tokenHash: randomUUID(),
                tokenCiphertext: "x",
                delivery: "manual" as const,
                revokedAt: g.revoked ? new Date(NOW.getTime() - 1000) : null,
                maxUses: g.maxUses,
                uses: g.uses,
                expiresAt: g.expiresAt === null ? null : new Date(g.expiresAt),
              })),
            )
            .returning();
          for (const status of INVITATION_STATUSES) {
            const fromSql = await database.db
              .select({ id: invitation.id })
              .from(invitation)
              .where(and(eq(invitation.companyId, company.id), statusCondition(status, NOW)));
            const fromRule = rows
              .filter((row) => invitationStatus(row, NOW) === status)
              .map((row) => row.id);
            expect(fromSql.map((r) => r.id).sort()).toEqual(fromRule.sort());
          }
          const columns = await database.db
            .select({ id: invitation.id, status: statusColumn(NOW) })
            .from(invitation)
            .where(eq(invitation.companyId, company.id));
          for (const column of columns) {
            const row = rows.find((r) => r.id === column.id);
            if (!row) throw new Error("row vanished");
            expect(column.status).toBe(invitationStatus(row, NOW));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
