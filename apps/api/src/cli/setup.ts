// `npm run cli -- setup --company "…" --email … [--name …]`: first-run setup for
// automation. Prints a one-time link to set the owner's password: a password never goes
// on a command line (shell history, process lists).
import { parseArgs } from "node:util";
import { closeDb, createDb } from "@meterlink/db";
import { AppError, ZSetupOwner } from "@meterlink/shared";
import {
  createFirstCompanyWithLink,
  SET_PASSWORD_LINK_HOURS,
} from "../services/setup/create-first-company";
import type { TCommand } from "./command";
import { loadCliEnv } from "./env";

export const command: TCommand = {
  help: [
    'Usage: npm run cli -- setup --company "Name" --email owner@example.com [--name "Owner name"]',
    "",
    "Creates the first company and its owner on a database that holds none, and prints a",
    `one-time link (valid ${SET_PASSWORD_LINK_HOURS} hours) where the owner sets a password.`,
    "Needs DATABASE_URL and PUBLIC_URL, as the API does.",
  ].join("\n"),
  run: async (args) => {
    let values: { company?: string; email?: string; name?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          company: { type: "string" },
          email: { type: "string" },
          name: { type: "string" },
        },
      }));
    } catch (error) {
      throw new AppError("BAD_REQUEST", `${(error as Error).message}. ${command.help}`);
    }
    const parsed = ZSetupOwner.safeParse({
      companyName: values.company ?? "",
      email: values.email ?? "",
      name: values.name ?? values.email?.split("@")[0] ?? "Owner",
    });
    if (!parsed.success) {
      const flag = { companyName: "--company", email: "--email", name: "--name" } as const;
      const lines = parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]) as keyof typeof flag;
        return `${flag[key] ?? key}: ${issue.message}`;
      });
      throw new AppError("BAD_REQUEST", lines.join("\n"));
    }
    const env = loadCliEnv();
    if (!env.PUBLIC_URL) {
      throw new AppError(
        "BAD_REQUEST",
        "Set PUBLIC_URL (the origin people open, as for the API): the link points there.",
      );
    }
    const db = createDb(env.DATABASE_URL);
    try {
      const result = await createFirstCompanyWithLink(db, {
        ...parsed.data,
        publicUrl: env.PUBLIC_URL,
      });
      console.log(
        `Created ${result.company.name} with owner ${result.owner.email}.\n` +
          `Open this link within ${SET_PASSWORD_LINK_HOURS} hours to choose the password (it works once):\n` +
          result.link,
      );
      return 0;
    } finally {
      await closeDb(db);
    }
  },
};
