import { parseEnv } from "@meterlink/shared";
import { z } from "zod";

// The sandbox's configuration. The control API is off unless asked for: it hands out
// typed passwords and one-time codes, which only tests and benchmarks may see.

const ZSandboxEnv = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(4010),
  SANDBOX_HOST: z.string().min(1).default("127.0.0.1"),
  SANDBOX_CONTROL: z
    .enum(["true", "false", "1", "0"], { message: 'expected "true", "false", "1" or "0"' })
    .default("false")
    .transform((value) => value === "true" || value === "1"),
});

export type TSandboxEnv = z.infer<typeof ZSandboxEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env): TSandboxEnv {
  return parseEnv(ZSandboxEnv, source, "utility-sandbox");
}

const ZSandboxTestEnv = z.object({
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default("/usr/bin/chromium"),
});

/** Settings only the sandbox's own Chromium tests read. */
export function loadTestEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(ZSandboxTestEnv, source, "utility-sandbox tests");
}
