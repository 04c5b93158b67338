import { ZTestEmailId } from "@meterlink/shared/developer";
import { listTestEmails, openTestEmail } from "../services/test-mode/emails";
import { adminProcedure, router } from "../trpc";

/** Developers › Test emails: what test mode kept instead of sending (services/test-mode). */
export const testEmailsRouter = router({
  list: adminProcedure.query(({ ctx }) => listTestEmails({ ctx })),
  open: adminProcedure.input(ZTestEmailId).query(({ ctx, input }) => openTestEmail({ ctx, input })),
});
