// A local stand-in for the Resend API. The real `resend` SDK talks to it when
// `RESEND_BASE_URL` points here; messages are kept in memory and exposed through a JSON
// API for tests and an inbox page for people. Send requests behave like Resend's:
// same auth header rule, same validation errors, same idempotency-key contract, and
// faults (429/500/503) can be armed to exercise a sender's retry path.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import { renderInboxPage } from "./inbox-page";
import { extractLinks } from "./links";
import { faultError, resendError, type TResendError } from "./resend-errors";
import { sendSignedSms, type TSmsConfig, ZSendSms } from "./sms";
import { Faults, fingerprint, IdempotencyStore, MessageStore, type TSinkMessage } from "./store";
import { type TValidEmail, validateEmail } from "./validate";

export type TMailSinkOptions = {
  /** How many messages to keep; older ones are dropped. Default 1000. */
  capacity?: number;
  /** Clock, for idempotency-key expiry and message dates. */
  now?: () => Date;
  /** Where the inbox page's "Send an SMS" form posts a Twilio-signed webhook; unset: no form. */
  sms?: TSmsConfig;
};

export const ZFaultRequest = z.object({
  status: z.union([z.literal(429), z.literal(500), z.literal(503)]),
  count: z.number().int().min(1).max(10_000).default(1),
  /** Sent as `retry-after` on 429 answers. */
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
});
export type TFaultRequest = z.input<typeof ZFaultRequest>;

const ZMessagesQuery = z.object({ to: z.string().min(1).optional() });
const ZIdParams = z.object({ id: z.string() });
const ZInboxQuery = z.object({ id: z.string().optional(), sms: z.string().optional() });

const MAX_BATCH = 100;
const IDEMPOTENCY_CAPACITY = 10_000;

function sendError(reply: FastifyReply, error: TResendError): FastifyReply {
  return reply.code(error.statusCode).send(error);
}

/** Resend's retrieve-email shape (`GET /emails/:id`). */
function toResendEmail(message: TSinkMessage) {
  return {
    object: "email",
    id: message.id,
    to: message.to,
    from: message.from,
    created_at: message.createdAt,
    subject: message.subject,
    html: message.html,
    text: message.text,
    cc: message.cc.length > 0 ? message.cc : null,
    bcc: message.bcc.length > 0 ? message.bcc : null,
    reply_to: message.replyTo.length > 0 ? message.replyTo : null,
    last_event: "delivered",
    scheduled_at: message.scheduledAt,
    tags: message.tags,
  };
}

/**
 * A message as Resend's receiving API returns an inbound email (GET /emails/receiving/:id,
 * `resend.emails.receiving.get`): the sink serves every message it took in this way, so
 * the API's handling of the `email.received` webhook fetches a real body through the SDK.
 */
function toReceivedEmail(message: TSinkMessage) {
  return {
    object: "email",
    id: message.id,
    to: message.to,
    from: message.from,
    created_at: message.createdAt,
    subject: message.subject,
    bcc: message.bcc.length > 0 ? message.bcc : null,
    cc: message.cc.length > 0 ? message.cc : null,
    reply_to: message.replyTo.length > 0 ? message.replyTo : null,
    received_for: [...message.to, ...message.cc, ...message.bcc],
    html: message.html,
    text: message.text,
    headers: message.headers,
    message_id: `<${message.id}@mail-sink.local>`,
    raw: null,
    attachments: [],
  };
}

export function createMailSinkApp(options: TMailSinkOptions = {}): FastifyInstance {
  const now = options.now ?? (() => new Date());
  const messages = new MessageStore(options.capacity ?? 1000);
  const idempotency = new IdempotencyStore(IDEMPOTENCY_CAPACITY);
  const faults = new Faults();

  const app = Fastify({ logger: false, bodyLimit: 40 * 1024 * 1024 });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      return sendError(
        reply,
        resendError(500, "internal_server_error", "An unexpected error occurred."),
      );
    }
    return sendError(
      reply,
      resendError(status, "validation_error", error.message ?? "Bad request."),
    );
  });

  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, resendError(404, "not_found", "The requested endpoint does not exist.")),
  );

  /**
   * The checks every send goes through, in Resend's order: API key, armed fault,
   * idempotency key. Returns the key (or null) when the request may proceed, or undefined
   * after answering.
   */
  function admitSend(request: FastifyRequest, reply: FastifyReply): string | null | undefined {
    const authorization = request.headers.authorization ?? "";
    if (!/^Bearer\s+\S+/.test(authorization)) {
      sendError(
        reply,
        resendError(401, "missing_api_key", "Missing API key in the authorization header."),
      );
      return undefined;
    }
    const fault = faults.take();
    if (fault !== null) {
      if (fault.status === 429) reply.header("retry-after", String(fault.retryAfterSeconds));
      sendError(reply, faultError(fault.status));
      return undefined;
    }
    const key = request.headers["idempotency-key"];
    if (key === undefined) return null;
    if (typeof key !== "string" || key.length < 1 || key.length > 256) {
      sendError(
        reply,
        resendError(400, "invalid_idempotency_key", "The key must be between 1-256 chars."),
      );
      return undefined;
    }
    return key;
  }

  /** Answers from the idempotency record if there is one; true when it did. */
  function replayed(key: string | null, print: string, reply: FastifyReply): boolean {
    if (key === null) return false;
    const entry = idempotency.lookup(key, now().getTime());
    if (entry === undefined) return false;
    if (entry.fingerprint !== print) {
      sendError(
        reply,
        resendError(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
        ),
      );
    } else {
      reply.code(200).send(entry.body);
    }
    return true;
  }

  app.post("/emails", async (request, reply) => {
    const key = admitSend(request, reply);
    if (key === undefined) return reply;
    const print = fingerprint("/emails", request.body);
    if (replayed(key, print, reply)) return reply;
    const result = validateEmail(request.body);
    if (!result.ok) return sendError(reply, result.error);
    const message = messages.add(result.email, key, now());
    const body = { id: message.id };
    if (key !== null) idempotency.remember(key, print, body, now().getTime());
    return reply.code(200).send(body);
  });

  app.post("/emails/batch", async (request, reply) => {
    const key = admitSend(request, reply);
    if (key === undefined) return reply;
    const print = fingerprint("/emails/batch", request.body);
    if (replayed(key, print, reply)) return reply;
    const items = request.body;
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) {
      return sendError(
        reply,
        resendError(
          422,
          "validation_error",
          `The request body must be an array of 1 to ${MAX_BATCH} emails.`,
        ),
      );
    }
    const permissive = request.headers["x-batch-validation"] === "permissive";
    const valid: TValidEmail[] = [];
    const errors: { index: number; message: string }[] = [];
    for (const [index, item] of items.entries()) {
      const result = validateEmail(item);
      if (result.ok) {
        valid.push(result.email);
        continue;
      }
      // Strict mode (Resend's default) refuses the whole batch on the first bad email.
      if (!permissive) {
        return sendError(reply, {
          ...result.error,
          message: `${result.error.message} (email at index ${index})`,
        });
      }
      errors.push({ index, message: result.error.message });
    }
    const at = now();
    const data = valid.map((email) => ({ id: messages.add(email, key, at).id }));
    const body = permissive ? { data, errors } : { data };
    if (key !== null) idempotency.remember(key, print, body, at.getTime());
    return reply.code(200).send(body);
  });

  app.get("/emails/receiving/:id", async (request, reply) => {
    const message = messages.get(ZIdParams.parse(request.params).id);
    if (message === undefined) {
      return sendError(reply, resendError(404, "not_found", "Email not found"));
    }
    return toReceivedEmail(message);
  });

  app.get("/emails/:id", async (request, reply) => {
    const { id } = ZIdParams.parse(request.params);
    const message = messages.get(id);
    if (message === undefined) {
      return sendError(reply, resendError(404, "not_found", "Email not found"));
    }
    return toResendEmail(message);
  });

  // JSON API for tests.

  app.get("/api/messages", async (request) => {
    const query = ZMessagesQuery.parse(request.query);
    return { data: messages.list({ to: query.to }) };
  });

  app.get("/api/messages/:id", async (request, reply) => {
    const message = messages.get(ZIdParams.parse(request.params).id);
    if (message === undefined) {
      return sendError(reply, resendError(404, "not_found", "No message with this id."));
    }
    return message;
  });

  app.get("/api/messages/:id/links", async (request, reply) => {
    const message = messages.get(ZIdParams.parse(request.params).id);
    if (message === undefined) {
      return sendError(reply, resendError(404, "not_found", "No message with this id."));
    }
    return { data: extractLinks(message.html) };
  });

  // Clearing also forgets idempotency keys: a test starting from an empty sink must not
  // have its first send answered with the id of a message it can no longer see.
  app.delete("/api/messages", async (_request, reply) => {
    messages.clear();
    idempotency.clear();
    return reply.code(204).send();
  });

  app.post("/api/faults", async (request, reply) => {
    const parsed = ZFaultRequest.safeParse(request.body);
    if (!parsed.success) {
      return sendError(
        reply,
        resendError(
          422,
          "validation_error",
          "Expected { status: 429 | 500 | 503, count?: number, retryAfterSeconds?: number }.",
        ),
      );
    }
    faults.arm({
      status: parsed.data.status,
      remaining: parsed.data.count,
      retryAfterSeconds: parsed.data.retryAfterSeconds,
    });
    return { data: faults.peek() };
  });

  app.get("/api/faults", async () => ({ data: faults.peek() }));

  app.delete("/api/faults", async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  // "Send an SMS to a number": the page's form and the JSON form of it for tests.
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const { sms } = options;
  app.post("/api/sms", async (request, reply) => {
    if (!sms) return reply.code(404).send({ message: "SMS sending is not configured." });
    const parsed = ZSendSms.safeParse(request.body);
    if (!parsed.success) return reply.code(422).send({ message: parsed.error.issues[0]?.message });
    return await sendSignedSms(sms, parsed.data);
  });
  app.post("/sms", async (request, reply) => {
    if (!sms) return reply.code(404).send({ message: "SMS sending is not configured." });
    const parsed = ZSendSms.safeParse(request.body);
    const outcome = parsed.success
      ? await sendSignedSms(sms, parsed.data).then(
          (result) => (result.ok ? "sent" : `refused (${result.status})`),
          () => "failed: the API did not answer",
        )
      : `not sent: ${parsed.error.issues[0]?.message ?? "invalid"}`;
    return reply.redirect(`/?sms=${encodeURIComponent(outcome)}`, 303);
  });

  // Inbox page for people.

  app.get("/", async (request, reply) => {
    const { id, sms: smsOutcome } = ZInboxQuery.parse(request.query);
    return reply
      .type("text/html; charset=utf-8")
      .header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src * data:; frame-src 'self' about:",
      )
      .send(
        renderInboxPage(
          messages.list(),
          id,
          sms ? { number: sms.number, outcome: smsOutcome ?? null } : null,
        ),
      );
  });

  return app;
}

export type TMailSink = { url: string; port: number; close(): Promise<void> };

export async function startMailSink(
  options: { port?: number; host?: string } & TMailSinkOptions = {},
): Promise<TMailSink> {
  const host = options.host ?? "127.0.0.1";
  const app = createMailSinkApp(options);
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (address === null || typeof address === "string") {
    await app.close();
    throw new Error("mail-sink: the server did not bind a TCP port");
  }
  // A wildcard bind is reachable on loopback; a URL needs a concrete host.
  const urlHost =
    host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: async () => {
      await app.close();
    },
  };
}
