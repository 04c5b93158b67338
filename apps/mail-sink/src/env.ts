import { parseEnv } from "@meterlink/shared";
import { z } from "zod";

export const ZMailSinkEnv = z.object({
  MAIL_SINK_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535, "must be a TCP port (0-65535)")
    .default(4020),
  // Loopback by default: the sink holds every email sent in dev, links with live tokens included.
  MAIL_SINK_HOST: z.string().min(1).default("127.0.0.1"),
  /** The API's Twilio webhook (its TWILIO_WEBHOOK_URL); set, the inbox page can send SMS. */
  MAIL_SINK_SMS_WEBHOOK_URL: z.url().optional(),
  MAIL_SINK_TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  MAIL_SINK_SMS_NUMBER: z.string().default("+15550100100"),
});

export type TMailSinkEnv = z.infer<typeof ZMailSinkEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env): TMailSinkEnv {
  return parseEnv(ZMailSinkEnv, source, "mail-sink");
}
