// The CLI's configuration: only what its subcommands need, validated like the API's.
import { parseEnv } from "@meterlink/shared";
import { z } from "zod";

const ZCliEnv = z.object({
  DATABASE_URL: z.url({
    error: "must be a postgres:// URL of the database (the one the API uses)",
  }),
  /** The origin people open (the API's PUBLIC_URL): links printed by the CLI point there. */
  PUBLIC_URL: z
    .url({ error: "must be the public origin, e.g. https://app.example.com" })
    .optional(),
  /** The API's TOKEN_ENCRYPTION_KEY: commands that write invitations keep their link copy. */
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64url").length === 32, {
      error: "must be the API's TOKEN_ENCRYPTION_KEY (32 random bytes, base64url)",
    })
    .optional(),
});
export type TCliEnv = z.infer<typeof ZCliEnv>;

export function loadCliEnv(): TCliEnv {
  return parseEnv(ZCliEnv, process.env, "cli");
}
