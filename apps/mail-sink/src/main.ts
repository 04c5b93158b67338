// Runs the mail sink for dev: `tsx apps/mail-sink/src/main.ts`. Point the API at it with
// RESEND_BASE_URL=<printed url>.

import { loadEnv } from "./env";
import { startMailSink } from "./server";

const env = loadEnv();
const sms =
  env.MAIL_SINK_SMS_WEBHOOK_URL && env.MAIL_SINK_TWILIO_AUTH_TOKEN
    ? {
        webhookUrl: env.MAIL_SINK_SMS_WEBHOOK_URL,
        authToken: env.MAIL_SINK_TWILIO_AUTH_TOKEN,
        number: env.MAIL_SINK_SMS_NUMBER,
      }
    : undefined;
const sink = await startMailSink({ port: env.MAIL_SINK_PORT, host: env.MAIL_SINK_HOST, sms });
console.log(`mail-sink: inbox ${sink.url}/  (RESEND_BASE_URL=${sink.url})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    sink.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
