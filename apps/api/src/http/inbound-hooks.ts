// Forwarded MFA codes over HTTP. Thin: verify who sent the request, read its shape, and
// hand the message to services/mfa/receive.ts (which matches, extracts and records).
// - POST /hooks/inbound-email, /hooks/inbound-sms: JSON signed the Standard Webhooks way
//   (`standardwebhooks` package: HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}`
//   with INBOUND_WEBHOOK_SECRET, within five minutes). An inbound-mail provider or a relay
//   in front of one posts there. /hooks/inbound-email also takes Resend's inbound emails:
//   its `email.received` event, signed the same way by Svix (`svix-*` headers; the
//   Resend webhook's signing secret is INBOUND_WEBHOOK_SECRET), the body then read with
//   the Resend SDK (services/mfa/resend-inbound.ts).
// - POST /hooks/twilio/sms: Twilio's own form post, verified with the `twilio` package's
//   validateRequest (X-Twilio-Signature over TWILIO_WEBHOOK_URL and the form fields).
// Unsigned, badly signed or replayed (a delivery id seen before) requests get 401 and
// change nothing. A hook whose secret is not configured (dev/test only: production
// requires it, env.ts) answers 503 saying which variable to set: never silently off.
import type { TDb } from "@meterlink/db";
import { ZInboundEmail, ZInboundSms } from "@meterlink/shared/connection";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { Resend } from "resend";
import { Webhook } from "standardwebhooks";
import twilio from "twilio";
import { z } from "zod";
import type { TApiEnv } from "../env";
import { resendBaseUrl } from "../jobs/transport";
import { receiveForwardedMessage, type TReceived } from "../services/mfa/receive";
import { readResendInbound, ZResendEmailReceived } from "../services/mfa/resend-inbound";
import type { TServerConfig } from "../trpc";

const ZTwilioSms = z.object({
  MessageSid: z.string().min(1).max(64),
  To: z.string().min(1).max(50),
  From: z.string().max(50).optional(),
  Body: z.string().max(5_000).default(""),
});

type TDeps = {
  db: TDb;
  log: Logger;
  env: TApiEnv;
  config: Pick<TServerConfig, "tokenKey" | "inbound" | "publicUrl">;
};

const error = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.status(status).send({ error: { code, message } });

const UNSIGNED = "The webhook signature is missing or invalid.";
const REPLAYED = "This delivery was already received; a replayed webhook is refused.";

function answer(reply: FastifyReply, result: TReceived) {
  if (result.replayed) return error(reply, 401, "UNAUTHORIZED", REPLAYED);
  const { matched, code, outcome } = result;
  return reply.status(202).send({ matched, code, outcome });
}

export async function registerInboundHooks(app: FastifyInstance, deps: TDeps): Promise<void> {
  const { env, log } = deps;
  const receiveDeps = {
    db: deps.db,
    log,
    tokenKey: deps.config.tokenKey,
    inbound: deps.config.inbound,
  };
  const standard = env.INBOUND_WEBHOOK_SECRET ? new Webhook(env.INBOUND_WEBHOOK_SECRET) : null;
  if (!standard)
    log.warn(
      "INBOUND_WEBHOOK_SECRET is not set: /hooks/inbound-email and /hooks/inbound-sms answer 503",
    );
  // The same SDK and key that send our emails read the inbound ones (the mail sink in dev).
  const resend = new Resend(env.RESEND_API_KEY ?? "re_local_mail_sink", {
    baseUrl: resendBaseUrl(env),
  });
  const twilioUrl = env.TWILIO_WEBHOOK_URL ?? `${deps.config.publicUrl}/hooks/twilio/sms`;
  if (!env.TWILIO_AUTH_TOKEN)
    log.warn("TWILIO_AUTH_TOKEN is not set: /hooks/twilio/sms answers 503 (no SMS forwarding)");

  await app.register(async (scope) => {
    // The signatures cover the exact bytes: keep both bodies as text.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) =>
      done(null, body),
    );
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_req, body, done) => done(null, body),
    );

    /** The verified delivery id, or null when the request is not ours to trust. */
    const verifyStandard = (req: FastifyRequest, body: string): string | null => {
      if (!standard) return null;
      // Svix (Resend) names the same three headers `svix-*`.
      const header = (name: string) => {
        const value = req.headers[`webhook-${name}`] ?? req.headers[`svix-${name}`];
        return typeof value === "string" ? value : "";
      };
      try {
        standard.verify(body, {
          "webhook-id": header("id"),
          "webhook-timestamp": header("timestamp"),
          "webhook-signature": header("signature"),
        });
        return header("id");
      } catch {
        return null;
      }
    };

    const signedJson =
      (channel: "email" | "sms") => async (req: FastifyRequest, reply: FastifyReply) => {
        if (!standard) {
          return error(
            reply,
            503,
            "NOT_CONFIGURED",
            "Set INBOUND_WEBHOOK_SECRET to receive forwarded codes.",
          );
        }
        const body = typeof req.body === "string" ? req.body : "";
        const deliveryId = verifyStandard(req, body);
        if (!deliveryId) return error(reply, 401, "UNAUTHORIZED", UNSIGNED);
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {}
        const resendEvent = channel === "email" ? ZResendEmailReceived.safeParse(json) : null;
        if (resendEvent?.success) {
          const read = await readResendInbound(resend, resendEvent.data);
          if (!read.ok) {
            log.warn({ reason: read.reason }, "Resend inbound email could not be read");
            return error(reply, 502, "UPSTREAM", `${read.reason} Resend will deliver it again.`);
          }
          const result = await receiveForwardedMessage(receiveDeps, {
            ...read.message,
            deliveryId: `webhook:${deliveryId}`,
          });
          return answer(reply, result);
        }
        if (channel === "email") {
          const parsed = ZInboundEmail.safeParse(json);
          if (!parsed.success)
            return badPayload(
              reply,
              "{ to, subject?, text?, html? }, or Resend's email.received event",
            );
          const { to, subject, text, html } = parsed.data;
          const result = await receiveForwardedMessage(receiveDeps, {
            channel,
            source: "webhook",
            deliveryId: `webhook:${deliveryId}`,
            to,
            text: `${subject}\n${text || html || ""}`,
          });
          return answer(reply, result);
        }
        const parsed = ZInboundSms.safeParse(json);
        if (!parsed.success) return badPayload(reply, "{ to, from?, text }");
        const result = await receiveForwardedMessage(receiveDeps, {
          channel,
          source: "webhook",
          deliveryId: `webhook:${deliveryId}`,
          to: [parsed.data.to],
          from: parsed.data.from,
          text: parsed.data.text,
        });
        return answer(reply, result);
      };
    scope.post("/hooks/inbound-email", signedJson("email"));
    scope.post("/hooks/inbound-sms", signedJson("sms"));

    scope.post("/hooks/twilio/sms", async (req, reply) => {
      const authToken = env.TWILIO_AUTH_TOKEN;
      if (!authToken) {
        return error(
          reply,
          503,
          "NOT_CONFIGURED",
          "Set TWILIO_AUTH_TOKEN to receive forwarded texts.",
        );
      }
      const params = Object.fromEntries(
        new URLSearchParams(typeof req.body === "string" ? req.body : ""),
      );
      const signature = req.headers["x-twilio-signature"];
      const valid =
        typeof signature === "string" &&
        twilio.validateRequest(authToken, signature, twilioUrl, params);
      if (!valid) return error(reply, 401, "UNAUTHORIZED", UNSIGNED);
      const parsed = ZTwilioSms.safeParse(params);
      if (!parsed.success) return badPayload(reply, "Twilio's MessageSid, To, From, Body");
      const result = await receiveForwardedMessage(receiveDeps, {
        channel: "sms",
        source: "twilio",
        deliveryId: `twilio:${parsed.data.MessageSid}`,
        to: [parsed.data.To],
        from: parsed.data.From,
        text: parsed.data.Body,
      });
      if (result.replayed) return error(reply, 401, "UNAUTHORIZED", REPLAYED);
      // TwiML with no reply: nothing is texted back to the forwarding phone.
      return reply
        .status(200)
        .type("text/xml")
        .send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    });
  });
}

function badPayload(reply: FastifyReply, shape: string) {
  return error(reply, 400, "BAD_REQUEST", `The message is not in a format we read: send ${shape}.`);
}
