// How an email leaves: the real `resend` SDK, pointed at Resend or (with no API key) at
// the local mail sink. Kept behind a small interface so the send job's retry and
// idempotency rules are tested against the real SDK and sink, with faults injected around it.
import { Resend } from "resend";
import type { TApiEnv } from "../env";
import type { TOutgoingEmail } from "../services/emails/compose";

export type { TOutgoingEmail };

export type TSendResult =
  | { ok: true; providerMessageId: string }
  /** `statusCode` null: no answer at all (network, timeout). */
  | { ok: false; statusCode: number | null; name: string; message: string };

export type TEmailTransport = {
  send(
    email: TOutgoingEmail,
    options: { idempotencyKey: string; signal: AbortSignal },
  ): Promise<TSendResult>;
};

/** The mail sink's default address (`apps/mail-sink`), used when no Resend key is set. */
export const LOCAL_MAIL_SINK_URL = "http://127.0.0.1:4020";

export function resendBaseUrl(env: Pick<TApiEnv, "RESEND_API_KEY" | "RESEND_BASE_URL">): string {
  return (
    env.RESEND_BASE_URL ?? (env.RESEND_API_KEY ? "https://api.resend.com" : LOCAL_MAIL_SINK_URL)
  );
}

export function resendTransport(
  env: Pick<TApiEnv, "RESEND_API_KEY" | "RESEND_BASE_URL">,
): TEmailTransport {
  // The sink accepts any bearer key; Resend itself needs a real one.
  const resend = new Resend(env.RESEND_API_KEY ?? "re_local_mail_sink", {
    baseUrl: resendBaseUrl(env),
  });
  return {
    async send(email, { idempotencyKey, signal }) {
      const { data, error } = await resend.emails.send(
        {
          from: email.from,
          to: [email.to],
          replyTo: email.replyTo,
          subject: email.subject,
          html: email.html,
          text: email.text,
          tags: email.tags,
        },
        { idempotencyKey, signal },
      );
      if (data) return { ok: true, providerMessageId: data.id };
      return {
        ok: false,
        statusCode: error?.statusCode ?? null,
        name: error?.name ?? "unknown_error",
        message: error?.message ?? "No answer from the email provider.",
      };
    },
  };
}
