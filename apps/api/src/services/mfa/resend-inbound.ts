// Resend's inbound emails (production's forwarded codes): Resend posts an `email.received`
// webhook (Svix-signed, verified by the hook) that carries only the message's metadata;
// the body is read with the SDK's receiving API (`resend.emails.receiving.get`), then it is
// one forwarded message like any other (services/mfa/receive.ts). The text is never
// logged; when Resend cannot be read the hook answers 502 so Resend delivers again and
// nothing is lost.
import type { Resend } from "resend";
import { z } from "zod";
import type { TForwardedMessage } from "./receive";

/** The part of Resend's `email.received` event we read (EmailReceivedEvent in the SDK). */
export const ZResendEmailReceived = z.object({
  type: z.literal("email.received"),
  data: z.object({
    email_id: z.string().min(1).max(200),
    to: z.array(z.string().max(500)).max(100).default([]),
    received_for: z.array(z.string().max(500)).max(100).optional(),
  }),
});
export type TResendEmailReceived = z.infer<typeof ZResendEmailReceived>;

export type TResendRead =
  | { ok: true; message: Omit<TForwardedMessage, "deliveryId"> }
  | { ok: false; reason: string };

export async function readResendInbound(
  resend: Resend,
  event: TResendEmailReceived,
): Promise<TResendRead> {
  const { data, error } = await resend.emails.receiving.get(event.data.email_id);
  if (!data) {
    return {
      ok: false,
      reason: `Resend did not return the received email (${error?.name ?? "no answer"}).`,
    };
  }
  // `received_for` is the envelope (which of our addresses it came to); `to` the headers.
  const to = [...(data.received_for ?? event.data.received_for ?? []), ...data.to];
  return {
    ok: true,
    message: {
      channel: "email",
      source: "webhook",
      to: [...new Set(to)],
      text: `${data.subject ?? ""}\n${data.text || data.html || ""}`,
    },
  };
}
