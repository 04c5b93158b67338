// `npm run cli -- <command> [options]`: operator commands for a deployment. One file per
// command in this folder, each exporting a `TCommand`; add yours to COMMANDS.
import { EnvError, isAppError } from "@meterlink/shared";
import type { TCommand } from "./command";

const COMMANDS: Record<string, () => Promise<{ command: TCommand }>> = {
  setup: () => import("./setup"),
  providers: () => import("./providers"),
  "legacy-links": () => import("./legacy-links"),
};

function usage(): string {
  return [
    "Usage: npm run cli -- <command> [options]",
    "",
    "Commands:",
    ...Object.keys(COMMANDS).map((name) => `  ${name}`),
    "",
    "`npm run cli -- <command> --help` explains one.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(name && name !== "--help" ? `Unknown command "${name}".\n\n${usage()}` : usage());
    return name && name !== "--help" ? 2 : 0;
  }
  const { command } = await load();
  if (args.includes("--help")) {
    console.log(command.help);
    return 0;
  }
  return await command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Expected failures are one line that says what to do; anything else is a bug.
    if (isAppError(error) || error instanceof EnvError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
