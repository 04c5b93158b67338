// The typed Meterlink REST client: openapi-fetch over the types openapi-typescript
// generates from the API's OpenAPI document (src/schema.ts, built, not written), and a
// webhook verifier on the `standardwebhooks` package that returns typed payloads.
import createFetchClient from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import type { components, paths, webhooks } from "./schema";

export type { components, paths, webhooks };

export type TMeterlinkClientOptions = {
  /** Like `https://app.meterlink.example/api/v1`. */
  baseUrl: string;
  /** `ml_live_…` */
  apiKey: string;
  fetch?: typeof fetch;
};

export function createMeterlinkClient(options: TMeterlinkClientOptions) {
  return createFetchClient<paths>({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Any webhook payload, discriminated by `type`. */
export type TWebhookPayload = {
  [K in keyof webhooks]: webhooks[K]["post"]["requestBody"]["content"]["application/json"];
}[keyof webhooks];

/**
 * Verifies a delivery (signature over the raw body, timestamp within 5 minutes) and
 * returns its payload; throws when it does not verify. Pass the raw body, not parsed JSON.
 */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
): TWebhookPayload {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") flat[name.toLowerCase()] = value;
  }
  return new Webhook(secret).verify(rawBody, flat) as TWebhookPayload;
}
