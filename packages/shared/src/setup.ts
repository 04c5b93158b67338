import { z } from "zod";

/** First-run setup: the first company and its owner, on a database that holds none. */
export const ZSetupOwner = z.object({
  companyName: z
    .string()
    .trim()
    .min(1, { error: "Enter your company's name." })
    .max(200, { error: "Keep the company name under 200 characters." }),
  name: z
    .string()
    .trim()
    .min(1, { error: "Enter your name." })
    .max(200, { error: "Keep your name under 200 characters." }),
  email: z.email({ error: "Enter an email address like you@company.com." }).max(320),
});
export type TSetupOwner = z.infer<typeof ZSetupOwner>;

export const ZSetupCompany = ZSetupOwner.extend({
  password: z
    .string()
    .min(8, { error: "Choose a password of at least 8 characters." })
    .max(128, { error: "Keep the password under 128 characters." }),
});
export type TSetupCompany = z.infer<typeof ZSetupCompany>;
