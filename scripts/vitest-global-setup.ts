import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setupTestPostgres } from "@meterlink/db/testing";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export default async function setup() {
  mkdirSync(join(root, ".data"), { recursive: true });
  return await setupTestPostgres(root);
}
