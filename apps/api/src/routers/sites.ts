import { ZCreateSite, ZListSites, ZSiteId, ZSiteImport, ZUpdateSite } from "@meterlink/shared";
import { getSite } from "../services/sites/get";
import { importSites, previewSiteImport } from "../services/sites/import-csv";
import { listSites } from "../services/sites/list";
import { createSite, setSiteArchived, updateSite } from "../services/sites/save";
import { adminProcedure, router } from "../trpc";

export const sitesRouter = router({
  list: adminProcedure
    .input(ZListSites.optional())
    .query(({ ctx, input }) => listSites({ ctx, input })),
  get: adminProcedure.input(ZSiteId).query(({ ctx, input }) => getSite({ ctx, input })),
  create: adminProcedure
    .input(ZCreateSite)
    .mutation(({ ctx, input }) => createSite({ ctx, input })),
  update: adminProcedure
    .input(ZUpdateSite)
    .mutation(({ ctx, input }) => updateSite({ ctx, input })),
  archive: adminProcedure
    .input(ZSiteId)
    .mutation(({ ctx, input }) => setSiteArchived({ ctx, input: { ...input, archived: true } })),
  restore: adminProcedure
    .input(ZSiteId)
    .mutation(({ ctx, input }) => setSiteArchived({ ctx, input: { ...input, archived: false } })),
  /** A mutation only because a CSV is too big for a URL: it writes nothing. */
  previewImport: adminProcedure
    .input(ZSiteImport)
    .mutation(({ ctx, input }) => previewSiteImport({ ctx, input })),
  import: adminProcedure
    .input(ZSiteImport)
    .mutation(({ ctx, input }) => importSites({ ctx, input })),
});
