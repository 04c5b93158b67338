// Bills out of /api/v1 (API key of the bill's company), and the signed short-lived links
// admins download documents with. Registered inside the REST scope (http/rest.ts), so
// these routes get the same key authentication, per-key rate limit, Request-Id and error
// body as every generated route; documents are bytes, which a tRPC procedure cannot
// answer, hence plain routes here. Their OpenAPI entries are added by `billOpenApiPaths`.
import type { TDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { ZApiBillDocument, ZApiBillList } from "@meterlink/shared/developer";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";
import { toHttpAnswer } from "../errors";
import {
  readBillDocument,
  SIGNED_DOCUMENT_PATH,
  type TBillDocument,
  verifyDocumentSignature,
} from "../services/bills/document";
import { listConnectionBills } from "../services/bills/list";
import type { TBillStorage } from "../services/collection/storage";
import { withLivemode } from "../services/test-mode/environment";
import type { TApiKeyPrincipal } from "../trpc";

export type TBillRoutesDeps = {
  db: TDb;
  storage: TBillStorage;
  /** What the REST scope's onRequest hook learnt (its 401 already went out when no key). */
  stateOf: (request: FastifyRequest) => { requestId: string; key: TApiKeyPrincipal | null };
};

const ZConnectionBills = z.strictObject({ id: z.uuid({ error: "Unknown connection." }) });

function sendDocument(reply: FastifyReply, document: TBillDocument) {
  return (
    reply
      .status(200)
      .header("content-type", document.contentType)
      .header("content-disposition", `attachment; filename="${document.filename}"`)
      // A utility's document is never to be run as a page of our origin.
      .header("content-security-policy", "sandbox; default-src 'none'")
      .header("cache-control", "private, no-store")
      .send(Buffer.from(document.bytes))
  );
}

/** GET /connections/{id}/bills and GET /bills/{id}/document, inside the REST scope. */
export function registerBillRoutes(scope: FastifyInstance, deps: TBillRoutesDeps) {
  const withKey =
    (
      handler: (
        request: FastifyRequest,
        reply: FastifyReply,
        key: TApiKeyPrincipal,
      ) => Promise<unknown>,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { requestId, key } = deps.stateOf(request);
      if (!key) return;
      try {
        return await handler(request, reply, key);
      } catch (err) {
        const answer = toHttpAnswer(err, { log: request.log as Logger, requestId });
        return reply.status(answer.statusCode).send(answer.body);
      }
    };
  const config = { rateLimit: false as const };

  scope.get(
    "/connections/:id/bills",
    { config },
    withKey(async (request, _reply, key) => {
      const input = ZConnectionBills.parse({
        ...(request.query as object),
        ...(request.params as object),
      });
      const bills = await listConnectionBills({
        ctx: { db: deps.db, company: key.company },
        input: { connectionId: input.id },
      });
      return ZApiBillList.parse({
        items: bills.items.map((bill) => withLivemode(key.company, bill)),
      });
    }),
  );

  scope.get(
    "/bills/:id/document",
    { config },
    withKey(async (request, reply, key) => {
      const input = ZApiBillDocument.parse({
        ...(request.query as object),
        ...(request.params as object),
      });
      const document = await readBillDocument(deps, {
        billId: input.id,
        companyId: key.company.id,
        kind: input.kind,
      });
      return sendDocument(reply, document);
    }),
  );
}

const ZSignedDocument = z.object({
  id: z.uuid({ error: "Unknown bill." }),
  kind: z.enum(["pdf", "csv", "xlsx"]),
  expires: z.coerce.number().int(),
  signature: z.string().min(1).max(200),
});

/** The admins' signed links (services/bills/document.ts), outside the REST scope. */
export function registerSignedBillDocuments(
  app: FastifyInstance,
  deps: { db: TDb; storage: TBillStorage; tokenKey: Buffer },
) {
  app.get(`${SIGNED_DOCUMENT_PATH}/:id/:kind`, async (request, reply) => {
    try {
      const input = ZSignedDocument.parse({
        ...(request.query as object),
        ...(request.params as object),
      });
      verifyDocumentSignature(deps.tokenKey, {
        billId: input.id,
        kind: input.kind,
        expires: input.expires,
        signature: input.signature,
      });
      // The signature names the bill: it was issued to an admin of the bill's company.
      const document = await readBillDocument(deps, {
        billId: input.id,
        companyId: null,
        kind: input.kind,
      });
      return sendDocument(reply, document);
    } catch (err) {
      const answer = toHttpAnswer(
        err instanceof z.ZodError
          ? new AppError(
              "BAD_REQUEST",
              "This download link is incomplete. Open the bill again from its connection page.",
            )
          : err,
        { log: request.log as Logger },
      );
      return reply.status(answer.statusCode).send(answer.body);
    }
  });
}

type TPaths = Record<string, Record<string, unknown>>;

/** The OpenAPI entries of the routes above; http/rest-openapi.ts adds them and their errors. */
export function billOpenApiPaths(): { paths: TPaths; schemas: Record<string, unknown> } {
  // Bill and BillList as components (their zod ids), referenced like the generated ones.
  const generated = JSON.stringify(z.toJSONSchema(ZApiBillList, { target: "draft-2020-12" }));
  const { $defs } = JSON.parse(generated.replaceAll("#/$defs/", "#/components/schemas/")) as {
    $defs?: Record<string, unknown>;
  };
  const idParameter = (what: string) => ({
    name: "id",
    in: "path",
    required: true,
    schema: { type: "string", format: "uuid" },
    description: `The ${what}'s id.`,
  });
  return {
    schemas: $defs ?? {},
    paths: {
      "/connections/{id}/bills": {
        get: {
          operationId: "bills-list",
          tags: ["Bills"],
          summary: "List a connection's bills",
          description:
            "Newest first: period, amount, usage and the documents kept for each. `needsReview` marks a document from which nothing could be read.",
          security: [{ ApiKey: [] }],
          parameters: [idParameter("connection")],
          responses: {
            "200": {
              description: "The connection's bills.",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/BillList" } },
              },
            },
          },
        },
      },
      "/bills/{id}/document": {
        get: {
          operationId: "bills-document",
          tags: ["Bills"],
          summary: "Download a bill's document",
          description:
            "The bill's PDF (or, with `kind`, its CSV/XLSX export) as the utility issued it, as an attachment.",
          security: [{ ApiKey: [] }],
          parameters: [
            idParameter("bill"),
            {
              name: "kind",
              in: "query",
              required: false,
              schema: { type: "string", enum: ["pdf", "csv", "xlsx"] },
              description: "Which document; the PDF when omitted (or the only one kept).",
            },
          ],
          responses: {
            "200": {
              description: "The document's bytes.",
              content: {
                "application/pdf": { schema: { type: "string", format: "binary" } },
                "text/csv": { schema: { type: "string" } },
              },
            },
          },
        },
      },
    },
  };
}
