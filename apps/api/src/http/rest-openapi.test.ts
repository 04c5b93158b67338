// The OpenAPI document against Redocly's recommended rules (the linter integrators run),
// with zero errors and zero warnings; its license is the repository's; and the check
// that refuses to serve a REST route the document does not describe.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { REST_PREFIX, undocumentedRoutes } from "./rest";
import { buildOpenApiDocument } from "./rest-openapi";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const document = buildOpenApiDocument("https://app.meterlink.example");

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: "/openapi.json",
      config: await createConfig({ extends: ["recommended"] }),
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`),
    ).toEqual([]);
  });

  it("carries the repository's license and the deployment's server URL", () => {
    expect(readFileSync(join(repo, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
    expect(document.info.license).toEqual({ name: "Apache 2.0", identifier: "Apache-2.0" });
    expect(document.servers).toEqual([{ url: "https://app.meterlink.example/api/v1" }]);
  });

  it("authenticates REST operations with the API key only, and webhooks with their signature", () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JSON document, asserted field by field
    const json = document as any;
    expect(json.paths["/invitations"].post.security).toEqual([{ ApiKey: [] }]);
    const webhook = json.webhooks["connection.created"].post;
    expect(webhook.security).toEqual([{ WebhookSignature: [] }]);
  });

  it("names every served route the document lacks, so none is served undocumented", () => {
    expect(
      undocumentedRoutes(
        [
          { method: "GET", url: `${REST_PREFIX}/invitations/:id` },
          { method: "HEAD", url: `${REST_PREFIX}/invitations/:id` },
          { method: "POST", url: `${REST_PREFIX}/invitations` },
          { method: "GET", url: `${REST_PREFIX}/undocumented/:id/thing` },
          { method: "DELETE", url: `${REST_PREFIX}/invitations/:id` },
        ],
        document,
      ),
    ).toEqual(["GET /undocumented/{id}/thing", "DELETE /invitations/{id}"]);
  });
});
