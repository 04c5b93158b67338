// REST /api/v1/sites: list, get, create, update: the admin's schemas and services with
// a key's company (apiKeyProcedure narrows `ctx.company` exactly as adminProcedure does),
// so another company's site is "not found" here too. Served by http/rest.ts with the
// rest of the v1 router (routers/v1.ts mounts it).
import {
  ZApiCreateSite,
  ZApiListSites,
  ZApiSite,
  ZApiSiteList,
  ZApiUpdateSite,
} from "@meterlink/shared";
import { ZApiId } from "@meterlink/shared/developer";
import { z } from "zod";
import { getSite } from "../services/sites/get";
import { listSites } from "../services/sites/list";
import { createSite, updateSite } from "../services/sites/save";
import { livemodeOf } from "../services/test-mode/environment";
import { apiKeyProcedure, router } from "../trpc";

type TSiteRow = Awaited<ReturnType<typeof getSite>>;

function apiSite(
  row: TSiteRow,
  ctx: { company: { testOf: string | null } },
): z.infer<typeof ZApiSite> {
  return {
    id: row.id,
    livemode: livemodeOf(ctx.company),
    name: row.name,
    address: row.address,
    reference: row.reference,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    connectionCount: Number(row.connectionCount),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const ZIdempotencyHeader = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description: "Any unique string (a UUID): retrying with it never acts twice.",
  }),
});

export const sitesV1 = router({
  list: apiKeyProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sites",
        tags: ["Sites"],
        summary: "List sites",
        description:
          "The company's sites by name, searchable by name, address or reference. Archived sites only with `includeArchived=true`. Use a site's `id` in `prefill.siteIds`.",
      },
    })
    .input(ZApiListSites)
    .output(ZApiSiteList)
    .query(async ({ ctx, input }) => ({
      data: (await listSites({ ctx, input })).map((row) => apiSite(row, ctx)),
    })),
  get: apiKeyProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/sites/{id}",
        tags: ["Sites"],
        summary: "Get a site",
        description: "One site of your company, with how many connections cover it.",
      },
    })
    .input(ZApiId)
    .output(ZApiSite)
    .query(async ({ ctx, input }) => apiSite(await getSite({ ctx, input }), ctx)),
  create: apiKeyProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sites",
        tags: ["Sites"],
        summary: "Create a site",
        description:
          "A name (unique among active sites), an optional address and an optional reference (your own code, unique in your company).",
        requestHeaders: ZIdempotencyHeader,
      },
    })
    .input(ZApiCreateSite)
    .output(ZApiSite)
    .mutation(async ({ ctx, input }) => apiSite(await createSite({ ctx, input }), ctx)),
  update: apiKeyProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/sites/{id}",
        tags: ["Sites"],
        summary: "Update a site",
        description: "Changes only the fields sent.",
        requestHeaders: ZIdempotencyHeader,
      },
    })
    .input(ZApiUpdateSite)
    .output(ZApiSite)
    .mutation(async ({ ctx, input }) => apiSite(await updateSite({ ctx, input }), ctx)),
});
