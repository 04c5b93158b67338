// Runs the mail sink for dev: `tsx apps/mail-sink/src/main.ts`. Point the API at it with
// RESEND_BASE_URL=<printed url>.

import { loadEnv } from "./env";
import { startMailSink } from "./server";

const env = loadEnv();
const sink = await startMailSink({ port: env.MAIL_SINK_PORT, host: env.MAIL_SINK_HOST });
console.log(`mail-sink: inbox ${sink.url}/  (RESEND_BASE_URL=${sink.url})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    sink.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
