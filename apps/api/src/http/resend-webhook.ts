// Resend's delivery webhooks at POST /hooks/resend. Resend signs them with Svix (the
// Standard Webhooks scheme): HMAC-SHA256 over `${svix-id}.${svix-timestamp}.${raw body}`
// with the base64 key after `whsec_`. Only a verified request, signed within the last
// five minutes, changes anything. Each status change is conditional on the current status,
// so Svix's redeliveries (and out-of-order events) record nothing twice.
import { createHmac, timingSafeEqual } from "node:crypto";
import { emailMessage, type TDb, type TInvitationEventType } from "@meterlink/db";
import { and, eq, inArray } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";
import { recordEvent } from "../services/invitations/events";

const TOLERANCE_SECONDS = 5 * 60;

/** True when one of the `v1,<base64>` signatures matches the body under `secret`. */
export function verifyWebhookSignature(input: {
  secret: string;
  id: string;
  timestamp: string;
  signatures: string;
  body: string;
  now?: Date;
}): boolean {
  const seconds = Number(input.timestamp);
  const now = (input.now ?? new Date()).getTime() / 1000;
  if (!Number.isInteger(seconds) || Math.abs(now - seconds) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(input.secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key)
    .update(`${input.id}.${input.timestamp}.${input.body}`)
    .digest();
  return input.signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const ZResendEvent = z.object({
  type: z.string(),
  data: z
    .object({
      email_id: z.string().min(1).max(200),
      bounce: z.object({ message: z.string().optional() }).partial().optional(),
      failed: z.object({ reason: z.string().optional() }).partial().optional(),
    })
    .passthrough(),
});

type TTransition = {
  from: ("sent" | "delivered")[];
  to: "delivered" | "bounced" | "complained" | "failed";
  event: TInvitationEventType;
  reason?: (data: z.infer<typeof ZResendEvent>["data"]) => string;
};

const TRANSITIONS: Record<string, TTransition> = {
  "email.delivered": { from: ["sent"], to: "delivered", event: "email_delivered" },
  "email.bounced": {
    from: ["sent", "delivered"],
    to: "bounced",
    event: "email_bounced",
    reason: (data) =>
      `The recipient's mail server refused it (bounced)${data.bounce?.message ? `: ${data.bounce.message.slice(0, 300)}` : "."} Check the address, then send the invitation again.`,
  },
  "email.complained": {
    from: ["sent", "delivered"],
    to: "complained",
    event: "email_complained",
    reason: () => "The recipient marked this email as spam.",
  },
  "email.failed": {
    from: ["sent"],
    to: "failed",
    event: "email_failed",
    reason: (data) =>
      `The email service could not deliver it${data.failed?.reason ? `: ${data.failed.reason.slice(0, 300)}` : "."}`,
  },
};

/** Records a delivery event; returns false when it changed nothing (unknown or repeated). */
export async function applyResendEvent(
  db: TDb,
  event: z.infer<typeof ZResendEvent>,
): Promise<boolean> {
  const transition = TRANSITIONS[event.type];
  if (!transition) return false;
  const reason = transition.reason?.(event.data);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(emailMessage)
      .set({ status: transition.to, ...(reason ? { failureReason: reason } : {}) })
      .where(
        and(
          eq(emailMessage.providerMessageId, event.data.email_id),
          inArray(emailMessage.status, transition.from),
        ),
      )
      .returning();
    if (!row) return false;
    if (row.invitationId) {
      await recordEvent(tx, {
        invitationId: row.invitationId,
        type: transition.event,
        actor: { type: "system" },
        data: { emailId: row.id, to: row.to, kind: row.kind, ...(reason ? { reason } : {}) },
      });
    }
    return true;
  });
}

export async function registerResendWebhook(
  app: FastifyInstance,
  deps: { db: TDb; log: Logger; secret: string | undefined },
): Promise<void> {
  const { secret } = deps;
  // Not configured: no route, so /hooks/resend answers 404 like any unknown endpoint.
  if (!secret) return;
  await app.register(async (scope) => {
    // The signature covers the exact bytes sent: keep the body as text in this scope.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) =>
      done(null, body),
    );
    scope.post("/hooks/resend", async (req, reply) => {
      const header = (name: string) => {
        const value = req.headers[name];
        return typeof value === "string" ? value : "";
      };
      const body = typeof req.body === "string" ? req.body : "";
      const verified = verifyWebhookSignature({
        secret,
        id: header("svix-id"),
        timestamp: header("svix-timestamp"),
        signatures: header("svix-signature"),
        body,
      });
      if (!verified) {
        return reply.status(401).send({
          error: { code: "UNAUTHORIZED", message: "The webhook signature is missing or invalid." },
        });
      }
      let parsed: z.infer<typeof ZResendEvent>;
      try {
        parsed = ZResendEvent.parse(JSON.parse(body));
      } catch {
        // Signed by Resend but not an email event we understand: acknowledge, or it is
        // redelivered for days.
        deps.log.info({ svixId: header("svix-id") }, "ignored a Resend webhook we do not read");
        return reply.status(204).send();
      }
      const changed = await applyResendEvent(deps.db, parsed);
      deps.log.info({ type: parsed.type, changed }, "Resend webhook");
      return reply.status(204).send();
    });
  });
}
