// The REST API (/api/v1) as tRPC procedures: each carries its method and path
// (OpenApiMeta), takes a schema cut from the admin's (@meterlink/shared/developer) and
// calls the same service as the admin procedure. http/rest.ts serves these routes and
// generates the OpenAPI document from them, so the REST API cannot drift from either.
// Not mounted under /trpc: a key is only ever accepted here.
import {
  ZApiConnection,
  ZApiConnectionList,
  ZApiCreatedInvitation,
  ZApiCreateInvitation,
  ZApiCreateReconnectInvitation,
  ZApiId,
  ZApiInvitation,
  ZApiInvitationDetail,
  ZApiInvitationList,
  ZApiListConnections,
  ZApiListInvitations,
  ZApiResendInvitation,
  ZApiResendResult,
} from "@meterlink/shared/developer";
import { z } from "zod";
import { getConnection, listConnectionsPage } from "../services/connections/get";
import { createInvitation } from "../services/invitations/create";
import { getInvitation } from "../services/invitations/get";
import { listInvitations } from "../services/invitations/list";
import { resendInvitation } from "../services/invitations/resend";
import { revokeInvitation } from "../services/invitations/revoke";
import { apiKeyProcedure, router } from "../trpc";

/** Documented on every POST; read by http/rest.ts. */
const ZIdempotencyHeader = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Any unique string (a UUID): retrying with it never acts twice. Only a successful answer is kept (24 h); after an error the same key can be used again.",
  }),
});

export const v1Router = router({
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
      .mutation(({ ctx, input }) =>
        createInvitation({ ctx, input: { ...input, kind: "contributor" } }),
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
      .query(({ ctx, input }) => listInvitations({ ctx, input })),
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
      .query(({ ctx, input }) => getInvitation({ ctx, input })),
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
      .mutation(({ ctx, input }) => revokeInvitation({ ctx, input })),
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
      .query(({ ctx, input }) => listConnectionsPage({ ctx, input })),
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
      .query(({ ctx, input }) => getConnection({ ctx, input })),
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
        return createInvitation({
          ctx,
          input: { ...rest, kind: "reconnect", targetConnectionId: target.id },
        });
      }),
  }),
});

export type V1Router = typeof v1Router;
