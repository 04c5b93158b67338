import { ZUpdateBranding, ZUpdateEmbedding } from "@meterlink/shared/settings";
import { getBranding, updateBranding } from "../services/settings/branding";
import { getEmbedding, updateEmbedding } from "../services/settings/embedding";
import { previewInvitationEmail } from "../services/settings/preview-email";
import { adminProcedure, router } from "../trpc";

export const settingsRouter = router({
  branding: router({
    get: adminProcedure.query(({ ctx }) => getBranding({ ctx })),
    update: adminProcedure
      .input(ZUpdateBranding)
      .mutation(({ ctx, input }) => updateBranding({ ctx, input })),
    previewEmail: adminProcedure.query(({ ctx }) => previewInvitationEmail({ ctx })),
  }),
  embedding: router({
    get: adminProcedure.query(({ ctx }) => getEmbedding({ ctx })),
    update: adminProcedure
      .input(ZUpdateEmbedding)
      .mutation(({ ctx, input }) => updateEmbedding({ ctx, input })),
  }),
});
