import { z } from "zod";
import { UTILITY_TYPES, ZCountry, ZUtilityType } from "./invitation";

/** A utility a company adds itself (Settings › Utilities). */
export const ZCreateUtility = z.object({
  name: z
    .string()
    .trim()
    .min(2, { error: "Enter the utility's name." })
    .max(200, { error: "Keep the name under 200 characters." }),
  country: ZCountry,
  url: z
    .string()
    .trim()
    .min(1, { error: "Enter the utility's website or sign-in address, starting with https://." })
    .max(2000, { error: "That address is too long." }),
  utilityTypes: z
    .array(ZUtilityType)
    .min(1, { error: "Choose what this utility supplies." })
    .max(UTILITY_TYPES.length),
});
export type TCreateUtility = z.input<typeof ZCreateUtility>;
