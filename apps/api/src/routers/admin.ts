import { ZProviderSearch } from "@meterlink/shared";
import { getMe } from "../services/admin/me";
import { searchProviders } from "../services/providers/list";
import { listTeam } from "../services/team/list";
import { adminProcedure, router } from "../trpc";
import { apiKeysRouter } from "./api-keys";
import { connectionsRouter } from "./connections";
import { invitationsRouter } from "./invitations";
import { settingsRouter } from "./settings";
import { sitesRouter } from "./sites";
import { testEmailsRouter } from "./test-emails";
import { utilitiesRouter } from "./utilities";
import { webhooksRouter } from "./webhooks";

export const adminRouter = router({
  me: adminProcedure.query(({ ctx }) => getMe({ ctx })),
  sites: sitesRouter,
  utilities: utilitiesRouter,
  invitations: invitationsRouter,
  settings: settingsRouter,
  apiKeys: apiKeysRouter,
  webhooks: webhooksRouter,
  testEmails: testEmailsRouter,
  providers: router({
    list: adminProcedure
      .input(ZProviderSearch)
      .query(({ ctx, input }) => searchProviders(ctx.db, { ...input, companyId: ctx.company.id })),
  }),
  connections: connectionsRouter,
  /** Reads only: the team changes through better-auth's organization endpoints. */
  team: router({
    list: adminProcedure.query(({ ctx }) => listTeam({ ctx })),
  }),
});
