import type { z } from "zod";

/**
 * Parses an app's environment once at start. A missing or malformed variable stops the
 * process with a message that names each variable and says what it should be.
 */
export function parseEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined>,
  app: string,
): z.infer<TSchema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    return `  - ${name}: ${issue.message}`;
  });
  throw new EnvError(`${app}: invalid configuration\n${lines.join("\n")}`);
}

export class EnvError extends Error {
  override name = "EnvError";
}
