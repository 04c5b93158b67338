import { getMe } from "../services/admin/me";
import { listConnections } from "../services/connections/list";
import { listSites } from "../services/sites/list";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  me: adminProcedure.query(({ ctx }) => getMe({ ctx })),
  sites: router({
    list: adminProcedure.query(({ ctx }) => listSites({ ctx })),
  }),
  connections: router({
    list: adminProcedure.query(({ ctx }) => listConnections({ ctx })),
  }),
});
