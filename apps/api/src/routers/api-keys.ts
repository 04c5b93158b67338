import { ZApiKeyId, ZCreateApiKey } from "@meterlink/shared/developer";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys/manage";
import { adminProcedure, router } from "../trpc";

export const apiKeysRouter = router({
  list: adminProcedure.query(({ ctx }) => listApiKeys({ ctx })),
  create: adminProcedure
    .input(ZCreateApiKey)
    .mutation(({ ctx, input }) => createApiKey({ ctx, input })),
  revoke: adminProcedure
    .input(ZApiKeyId)
    .mutation(({ ctx, input }) => revokeApiKey({ ctx, input })),
});
