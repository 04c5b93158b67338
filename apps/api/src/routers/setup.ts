import { ZSetupCompany } from "@meterlink/shared";
import { createFirstCompany, isSetUp } from "../services/setup/create-first-company";
import { publicProcedure, router } from "../trpc";

/** Public on purpose: before setup nobody can sign in. Refused once a company exists. */
export const setupRouter = router({
  status: publicProcedure.query(async ({ ctx }) => ({ setUp: await isSetUp(ctx.db) })),
  create: publicProcedure.input(ZSetupCompany).mutation(async ({ ctx, input }) => {
    const { company, owner } = await createFirstCompany(ctx.db, input);
    return { companyId: company.id, email: owner.email };
  }),
});
