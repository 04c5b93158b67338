// Real processes on loopback for fleet tests: API replicas and browser workers started
// as a person would start them (node + tsx on the app's main.ts), killed and signalled
// like in production. Every process is bounded by the test's own lifetime.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const tsx = createRequire(import.meta.url).resolve("tsx");

export type TProcess = {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
};

export function startProcess(name: string, entry: string, env: Record<string, string>): TProcess {
  const child = spawn(process.execPath, ["--import", tsx, join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { name, child, output, exited, kill: (signal = "SIGTERM") => void child.kill(signal) };
}

/** Polls until `check` passes or the bound runs out (then fails with the last error). */
export async function eventually<T>(
  check: () => Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export async function waitForHttp(
  url: string,
  process: TProcess,
  timeoutMs = 20_000,
): Promise<void> {
  await eventually(
    async () => {
      if (process.child.exitCode !== null)
        throw new Error(`${process.name} exited:\n${process.output.join("")}`);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    },
    { timeoutMs },
  );
}
