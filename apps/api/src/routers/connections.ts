import { ZConnectionGet } from "@meterlink/shared/connection";
import { ZApiListConnections } from "@meterlink/shared/developer";
import { getConnectionDetail } from "../services/connections/detail";
import { listConnectionsPage } from "../services/connections/get";
import { listConnections } from "../services/connections/list";
import { adminProcedure, router } from "../trpc";

export const connectionsRouter = router({
  /** Every connection (pickers such as the reconnect wizard). */
  list: adminProcedure.query(({ ctx }) => listConnections({ ctx })),
  /** The Connections page: searched, filtered by status and paged, as GET /connections. */
  page: adminProcedure
    .input(ZApiListConnections)
    .query(({ ctx, input }) => listConnectionsPage({ ctx, input })),
  get: adminProcedure
    .input(ZConnectionGet)
    .query(({ ctx, input }) => getConnectionDetail({ ctx, input })),
});
