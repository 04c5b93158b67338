// `npm run cli -- providers import FILE`: loads a provider catalog file (JSON, see
// catalog/providers.json). Safe to run again: providers are upserted by id.
import { readFile } from "node:fs/promises";
import { closeDb, createDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { importProviders } from "../services/providers/import";
import type { TCommand } from "./command";
import { loadCliEnv } from "./env";

export const command: TCommand = {
  help: [
    "Usage: npm run cli -- providers import FILE",
    "",
    "Imports (or updates, by id) the utilities listed in a catalog JSON file, e.g.",
    "catalog/providers.json. A file with any bad entry imports nothing. Needs DATABASE_URL.",
  ].join("\n"),
  run: async (args) => {
    const [action, file, ...rest] = args;
    if (action !== "import" || !file || rest.length > 0) {
      throw new AppError("BAD_REQUEST", command.help);
    }
    let content: unknown;
    try {
      content = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "not JSON";
      throw new AppError(
        "BAD_REQUEST",
        `${file}: ${reason}. Give the path of a catalog JSON file.`,
      );
    }
    const env = loadCliEnv();
    const db = createDb(env.DATABASE_URL);
    try {
      const { created, updated } = await importProviders(db, content);
      console.log(`Providers imported from ${file}: ${created} new, ${updated} updated.`);
      return 0;
    } finally {
      await closeDb(db);
    }
  },
};
