import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

// The e2e tests drive the production build, served by the API as in production.
export default async function setup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  await build({
    root,
    configFile: join(root, "vite.config.ts"),
    logLevel: "warn",
    mode: "production",
  });
}
