import { ZConnectionGet } from "@meterlink/shared/connection";
import { getConnectionDetail } from "../services/connections/detail";
import { listConnections } from "../services/connections/list";
import { adminProcedure, router } from "../trpc";

export const connectionsRouter = router({
  list: adminProcedure.query(({ ctx }) => listConnections({ ctx })),
  get: adminProcedure
    .input(ZConnectionGet)
    .query(({ ctx, input }) => getConnectionDetail({ ctx, input })),
});
