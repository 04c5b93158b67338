// The REST API (/api/v1) as tRPC procedures: each carries its method and path
// (OpenApiMeta), takes a schema cut from the admin's (@meterlink/shared/developer) and
// calls the same service as the admin procedure. http/rest.ts serves these routes and
// generates the OpenAPI document from them, so the REST API cannot drift from either.
// Not mounted under /trpc: a key is only ever accepted here.

import { ZApiListProviders, ZApiProviderList } from "@meterlink/shared";
import {
  ZApiConnection,
  ZApiConnectionList,
  ZApiCreatedInvitation,
  ZApiCreateInvitation,
  ZApiCreateReconnectInvitation,
  ZApiDeleted,
  ZApiId,
  ZApiInvitation,
  ZApiInvitationDetail,
  ZApiInvitationList,
  ZApiListConnections,
  ZApiListInvitations,
  ZApiQueuedEvent,
  ZApiResendInvitation,
  ZApiResendResult,
  ZApiWebhookDeliveries,
  ZApiWebhookDeliveryList,
  ZApiWebhookEndpointList,
  ZApiWebhookEndpointWithSecret,
  ZCreateWebhookEndpoint,
  ZRedeliverWebhook,
  ZRotateWebhookSecret,
} from "@meterlink/shared/developer";
import { z } from "zod";
import { sitesV1 } from "../http/rest-sites";
import { getConnection, listConnectionsPage } from "../services/connections/get";
import { createInvitation } from "../services/invitations/create";
import { getInvitation } from "../services/invitations/get";
import { listInvitations } from "../services/invitations/list";
import { resendInvitation } from "../services/invitations/resend";
import { revokeInvitation } from "../services/invitations/revoke";
import { searchProviders } from "../services/providers/list";
import { withLivemode } from "../services/test-mode/environment";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
} from "../services/webhooks/endpoints";
import { apiKeyProcedure, router, type TCompanyContext } from "../trpc";

/** Documented on every POST; read by http/rest.ts. */
const ZIdempotencyHeader = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Any unique string (a UUID): retrying with it never acts twice. Only a successful answer is kept (24 h); after an error the same key can be used again.",
  }),
});

/** No parameters at all (still strict: a stray query parameter is a 400). */
const ZApiNoInput = z.strictObject({});

const WEBHOOKS = ["Webhook endpoints"];

/** A page whose items each say their environment (`livemode`). */
function pageWithLivemode<TPage extends { items: object[] }>(
  ctx: Pick<TCompanyContext, "company">,
  page: TPage,
): Omit<TPage, "items"> & { items: (TPage["items"][number] & { livemode: boolean })[] } {
  return { ...page, items: page.items.map((item) => withLivemode(ctx.company, item)) };
}

const webhooksV1 = router({
  create: apiKeyProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints",
        tags: WEBHOOKS,
        summary: "Create a webhook endpoint",
        description:
          "Events are POSTed there, signed per Standard Webhooks. The answer holds the signing secret, shown only once. Empty `eventTypes`: every type.",
        requestHeaders: ZIdempotencyHeader,
      },
    })
    .input(ZCreateWebhookEndpoint)
    .output(ZApiWebhookEndpointWithSecret)
    .mutation(async ({ ctx, input }) =>
      withLivemode(ctx.company, await createWebhookEndpoint({ ctx, input })),
    ),
  list: apiKeyProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhook-endpoints",
        tags: WEBHOOKS,
        summary: "List webhook endpoints",
      },
    })
    .input(ZApiNoInput)
    .output(ZApiWebhookEndpointList)
    .query(async ({ ctx }) =>
      pageWithLivemode(ctx, { items: await listWebhookEndpoints({ ctx }) }),
    ),
  delete: apiKeyProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/webhook-endpoints/{id}",
        tags: WEBHOOKS,
        summary: "Delete a webhook endpoint",
        description: "Nothing is sent to it any more; its delivery log is kept.",
      },
    })
    .input(ZApiId)
    .output(ZApiDeleted)
    .mutation(({ ctx, input }) => deleteWebhookEndpoint({ ctx, input })),
  rotateSecret: apiKeyProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints/{id}/rotate-secret",
        tags: WEBHOOKS,
        summary: "Rotate the signing secret",
        description:
          "Returns the new secret (once). For `overlapSeconds` (default 86400, 0 after a leak) every delivery is signed with both secrets, so either verifies while you deploy the new one.",
        requestHeaders: ZIdempotencyHeader,
      },
    })
    .input(ZRotateWebhookSecret)
    .output(ZApiWebhookEndpointWithSecret)
    .mutation(async ({ ctx, input }) =>
      withLivemode(ctx.company, await rotateWebhookSecret({ ctx, input })),
    ),
  test: apiKeyProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints/{id}/test",
        tags: WEBHOOKS,
        summary: "Send a test event",
        description: "Queues a `webhook.test` event for this endpoint only.",
        requestHeaders: ZIdempotencyHeader,
      },
    })
    .input(ZApiId)
    .output(ZApiQueuedEvent)
    .mutation(({ ctx, input }) => sendTestWebhook({ ctx, input })),
  deliveries: apiKeyProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhook-endpoints/{id}/deliveries",
        tags: WEBHOOKS,
        summary: "List an endpoint's delivery attempts",
        description: "Newest first, each with the payload it carried.",
      },
    })
    .input(ZApiWebhookDeliveries)
    .output(ZApiWebhookDeliveryList)
    .query(async ({ ctx, input }) => ({
      items: await listWebhookDeliveries({
        ctx,
        input: { endpointId: input.id, limit: input.limit },
      }),
    })),
  redeliver: apiKeyProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver",
        tags: WEBHOOKS,
        summary: "Redeliver an event",
        description:
          "Sends the delivery's event to this endpoint again, with the same `webhook-id` and body.",
        requestHeaders: ZIdempotencyHeader,
      },
    })
    .input(ZRedeliverWebhook)
    .output(ZApiQueuedEvent)
    .mutation(({ ctx, input }) => redeliverWebhook({ ctx, input })),
});

export const v1Router = router({
  webhookEndpoints: webhooksV1,
  // Added by the adoption engineer (#17): the catalog, so integrators find a providerId.
  providers: router({
    list: apiKeyProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/providers",
          tags: ["Providers"],
          summary: "List utility providers",
          description:
            "The utility catalog (up to 50, by name), searchable by name or address and filterable by country. Use a provider's `id` as `prefill.providerId`.",
        },
      })
      .input(ZApiListProviders)
      .output(ZApiProviderList)
      .query(async ({ ctx, input }) => ({
        data: await searchProviders(ctx.db, {
          query: input.search,
          country: input.country,
          companyId: ctx.company.id,
        }),
      })),
  }),
  sites: sitesV1, // Added by the adoption engineer (#17): http/rest-sites.ts.
  invitations: router({
    create: apiKeyProcedure
      .meta({
        openapi: {
          method: "POST",
          path: "/invitations",
          tags: ["Invitations"],
          summary: "Create a contributor invitation",
          description:
            "Creates an invitation link, optionally pre-filled (provider, country, sites, utility types, owner, start date) and optionally emailed to recipients.",
          requestHeaders: ZIdempotencyHeader,
        },
      })
      .input(ZApiCreateInvitation)
      .output(ZApiCreatedInvitation)
      .mutation(async ({ ctx, input }) =>
        withLivemode(
          ctx.company,
          await createInvitation({ ctx, input: { ...input, kind: "contributor" } }),
        ),
      ),
    list: apiKeyProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/invitations",
          tags: ["Invitations"],
          summary: "List invitations",
          description: "Newest first, filtered by status and text, with counts per status.",
        },
      })
      .input(ZApiListInvitations)
      .output(ZApiInvitationList)
      .query(async ({ ctx, input }) =>
        pageWithLivemode(ctx, await listInvitations({ ctx, input })),
      ),
    get: apiKeyProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/invitations/{id}",
          tags: ["Invitations"],
          summary: "Get an invitation",
          description: "Its configuration, link, activity log, emails and linked connections.",
        },
      })
      .input(ZApiId)
      .output(ZApiInvitationDetail)
      .query(async ({ ctx, input }) =>
        withLivemode(ctx.company, await getInvitation({ ctx, input })),
      ),
    revoke: apiKeyProcedure
      .meta({
        openapi: {
          method: "POST",
          path: "/invitations/{id}/revoke",
          tags: ["Invitations"],
          summary: "Revoke an invitation",
          description: "Immediate; revoking twice keeps the first revocation.",
          requestHeaders: ZIdempotencyHeader,
        },
      })
      .input(ZApiId)
      .output(ZApiInvitation)
      .mutation(async ({ ctx, input }) =>
        withLivemode(ctx.company, await revokeInvitation({ ctx, input })),
      ),
    resend: apiKeyProcedure
      .meta({
        openapi: {
          method: "POST",
          path: "/invitations/{id}/resend",
          tags: ["Invitations"],
          summary: "Resend an invitation email",
          description: "To its recipients, or to the given addresses. Only active invitations.",
          requestHeaders: ZIdempotencyHeader,
        },
      })
      .input(ZApiResendInvitation)
      .output(ZApiResendResult)
      .mutation(({ ctx, input }) => resendInvitation({ ctx, input })),
  }),
  connections: router({
    list: apiKeyProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/connections",
          tags: ["Connections"],
          summary: "List connections",
          description:
            "Newest first, filtered by status, provider, site or your external reference, searched by provider name, owner email and external reference, in pages.",
        },
      })
      .input(ZApiListConnections)
      .output(ZApiConnectionList)
      .query(async ({ ctx, input }) =>
        pageWithLivemode(ctx, await listConnectionsPage({ ctx, input })),
      ),
    get: apiKeyProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/connections/{id}",
          tags: ["Connections"],
          summary: "Get a connection",
        },
      })
      .input(ZApiId)
      .output(ZApiConnection)
      .query(async ({ ctx, input }) =>
        withLivemode(ctx.company, await getConnection({ ctx, input })),
      ),
    reconnect: apiKeyProcedure
      .meta({
        openapi: {
          method: "POST",
          path: "/connections/{id}/reconnect-invitations",
          tags: ["Connections"],
          summary: "Create a reconnect invitation",
          description:
            "An invitation to sign in again for this connection (after a password change, say).",
          requestHeaders: ZIdempotencyHeader,
        },
      })
      .input(ZApiCreateReconnectInvitation)
      .output(ZApiCreatedInvitation)
      .mutation(async ({ ctx, input }) => {
        const { id, ...rest } = input;
        // Not found (or another company's) is a 404 here, where the id is in the path.
        const target = await getConnection({ ctx, input: { id } });
        return withLivemode(
          ctx.company,
          await createInvitation({
            ctx,
            input: { ...rest, kind: "reconnect", targetConnectionId: target.id },
          }),
        );
      }),
  }),
});

export type V1Router = typeof v1Router;
