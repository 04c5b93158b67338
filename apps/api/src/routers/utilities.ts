import { ZCreateUtility } from "@meterlink/shared";
import {
  createCompanyUtility,
  listCompanyUtilities,
} from "../services/providers/company-utilities";
import { adminProcedure, router } from "../trpc";

/** Settings › Utilities: the company's own utilities, beside the shared catalog. */
export const utilitiesRouter = router({
  list: adminProcedure.query(({ ctx }) => listCompanyUtilities({ ctx })),
  create: adminProcedure
    .input(ZCreateUtility)
    .mutation(({ ctx, input }) => createCompanyUtility({ ctx, input })),
});
