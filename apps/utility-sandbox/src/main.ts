import { loadEnv } from "./env";
import { startSandbox } from "./server";

const env = loadEnv();
const sandbox = await startSandbox({
  port: env.SANDBOX_PORT,
  host: env.SANDBOX_HOST,
  control: env.SANDBOX_CONTROL,
});
console.log(
  `utility-sandbox listening on ${sandbox.url}${env.SANDBOX_CONTROL ? " (control API on)" : ""}`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
