// `npm run cli -- legacy-links import FILE`: imports the previous system's magic links
// (JSON, see docs/api.md › Legacy magic links) so their old URLs keep opening the flow.
// Safe to run again: links already imported are skipped. Prints counts, never a link.
import { readFile } from "node:fs/promises";
import { closeDb, createDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { parseKey } from "../lib/tokens";
import { importLegacyLinks } from "../services/legacy-links/import";
import type { TCommand } from "./command";
import { loadCliEnv } from "./env";

export const command: TCommand = {
  help: [
    "Usage: npm run cli -- legacy-links import FILE",
    "",
    'Imports old magic links from a JSON file { "links": [ { "companyId", "publicCompanyId",',
    '"secret", "kind": "contributor" | "reconnect", "targetConnectionId"?, "allowedEmails"?,',
    '"expiresAt"?, "maxUses"?, "uses"?, "revokedAt"?, "createdAt"?, "locale"? } ] }.',
    "They keep working at /p/connect/{publicCompanyId}/{secret} (reconnects under /workflow/),",
    "and show in the admin list marked Legacy. A file with any bad entry imports nothing;",
    "links already imported are skipped. Needs DATABASE_URL and TOKEN_ENCRYPTION_KEY.",
  ].join("\n"),
  run: async (args) => {
    const [action, file, ...rest] = args;
    if (action !== "import" || !file || rest.length > 0) {
      throw new AppError("BAD_REQUEST", command.help);
    }
    const env = loadCliEnv();
    if (!env.TOKEN_ENCRYPTION_KEY) {
      throw new AppError(
        "BAD_REQUEST",
        "Set TOKEN_ENCRYPTION_KEY to the API's value: imported links need it to open the flow.",
      );
    }
    let content: unknown;
    try {
      content = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "not JSON";
      throw new AppError(
        "BAD_REQUEST",
        `${file}: ${reason}. Give the path of a legacy links JSON file.`,
      );
    }
    const db = createDb(env.DATABASE_URL);
    try {
      const { imported, skipped } = await importLegacyLinks(
        db,
        parseKey(env.TOKEN_ENCRYPTION_KEY),
        content,
      );
      console.log(
        `Legacy links imported from ${file}: ${imported} new, ${skipped} already imported.`,
      );
      return 0;
    } finally {
      await closeDb(db);
    }
  },
};
