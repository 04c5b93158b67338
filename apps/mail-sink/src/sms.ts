// "Send an SMS to a number": the inbox page's stand-in for a phone forwarding a utility's
// text to the deployment's Twilio number. The sink plays Twilio: it posts Twilio's own
// incoming-message form to the API's webhook, signed with the `twilio` package's
// getExpectedTwilioSignature (the same scheme the API checks with validateRequest), so
// SMS forwarding can be tried locally end to end. The auth token stays server-side.
import { randomBytes } from "node:crypto";
import twilio from "twilio";
import { z } from "zod";

export type TSmsConfig = {
  /** The URL the API expects Twilio to call (its TWILIO_WEBHOOK_URL). */
  webhookUrl: string;
  authToken: string;
  /** The deployment's number, pre-filled as the recipient. */
  number: string;
};

export const ZSendSms = z.object({
  to: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{7,20}$/, "must be a phone number, e.g. +15550100100"),
  from: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{7,20}$/, "must be a phone number, e.g. +13035550142")
    .default("+13035550142"),
  body: z.string().min(1, "type the text of the message").max(1600),
});
export type TSendSms = z.input<typeof ZSendSms>;

export type TSmsResult = { status: number; ok: boolean };

const e164 = (value: string) => value.replace(/[^\d+]/g, "");

export async function sendSignedSms(config: TSmsConfig, input: TSendSms): Promise<TSmsResult> {
  const sms = ZSendSms.parse(input);
  const params: Record<string, string> = {
    MessageSid: `SM${randomBytes(16).toString("hex")}`,
    AccountSid: "ACmeterlinkmailsink0000000000000000",
    From: e164(sms.from),
    To: e164(sms.to),
    Body: sms.body,
    NumMedia: "0",
  };
  const response = await fetch(config.webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(
        config.authToken,
        config.webhookUrl,
        params,
      ),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, ok: response.ok };
}
