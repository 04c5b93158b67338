import {
  ZCreateWebhookEndpoint,
  ZRedeliverWebhook,
  ZRotateWebhookSecret,
  ZWebhookDeliveries,
  ZWebhookEndpointId,
} from "@meterlink/shared/developer";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
} from "../services/webhooks/endpoints";
import { adminProcedure, router } from "../trpc";

export const webhooksRouter = router({
  list: adminProcedure.query(({ ctx }) => listWebhookEndpoints({ ctx })),
  create: adminProcedure
    .input(ZCreateWebhookEndpoint)
    .mutation(({ ctx, input }) => createWebhookEndpoint({ ctx, input })),
  delete: adminProcedure
    .input(ZWebhookEndpointId)
    .mutation(({ ctx, input }) => deleteWebhookEndpoint({ ctx, input })),
  deliveries: adminProcedure
    .input(ZWebhookDeliveries)
    .query(({ ctx, input }) => listWebhookDeliveries({ ctx, input })),
  rotateSecret: adminProcedure
    .input(ZRotateWebhookSecret)
    .mutation(({ ctx, input }) => rotateWebhookSecret({ ctx, input })),
  redeliver: adminProcedure
    .input(ZRedeliverWebhook)
    .mutation(({ ctx, input }) => redeliverWebhook({ ctx, input })),
  sendTest: adminProcedure
    .input(ZWebhookEndpointId)
    .mutation(({ ctx, input }) => sendTestWebhook({ ctx, input })),
});
