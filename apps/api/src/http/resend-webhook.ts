// Resend's delivery webhooks at POST /hooks/resend. Resend signs them with Svix (the
// Standard Webhooks scheme): HMAC-SHA256 over `${svix-id}.${svix-timestamp}.${raw body}`
// with the base64 key after `whsec_`. Only a verified request, signed within the last
// five minutes, changes anything. Each status change is conditional on the current status,
// so Svix's redeliveries (and out-of-order events) record nothing twice.
import { emailMessage, type TDb, type TInvitationEventType } from "@meterlink/db";
import { and, eq, inArray } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";
import { registerSignedHooks } from "../lib/standard-webhooks";
import { recordEvent } from "../services/invitations/events";

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
  await registerSignedHooks(app, {
    secret,
    headerPrefix: "svix",
    routes: {
      "/hooks/resend": async (body, req, reply) => {
        let parsed: z.infer<typeof ZResendEvent>;
        try {
          parsed = ZResendEvent.parse(JSON.parse(body));
        } catch {
          // Signed by Resend but not an email event we understand: acknowledge, or it is
          // redelivered for days.
          deps.log.info(
            { svixId: req.headers["svix-id"] },
            "ignored a Resend webhook we do not read",
          );
          return reply.status(204).send();
        }
        const changed = await applyResendEvent(deps.db, parsed);
        deps.log.info({ type: parsed.type, changed }, "Resend webhook");
        return reply.status(204).send();
      },
    },
  });
}
