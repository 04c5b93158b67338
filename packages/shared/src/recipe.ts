// The learned login recipe (#19): the NON-SECRET shape of how a recipient signed in live,
// recorded by the worker and replayed headlessly by the weekly collection with the sealed
// credential. Invariant: it names fields, frames and buttons, never a value typed into
// them (no username, password or code).
import { z } from "zod";

const ZSelector = z.string().min(1).max(500);

export const ZRecipeField = z.object({
  kind: z.enum(["identifier", "password", "code"]),
  /** Most specific first: id, name, autocomplete, label text, position as a last resort. */
  selectors: z.array(ZSelector).min(1).max(8),
});
export type TRecipeField = z.infer<typeof ZRecipeField>;

export const ZRecipeStep = z.object({
  /** Path of the frame the fields live in (the top page's, unless in an iframe). */
  framePath: z.string().max(2_000),
  /** Selectors of the open shadow hosts, outermost first, that hold the fields. */
  shadowHosts: z.array(ZSelector).max(8).default([]),
  /**
   * Which field got the username, the password or a one-time code. Empty for a page in
   * between ("Remember this device?") where the recipient only pressed a button.
   */
  fields: z.array(ZRecipeField).max(6),
  /** How the step was sent: Enter in the last field, or a click on this button. */
  submit: z.discriminatedUnion("how", [
    z.object({ how: z.literal("enter") }),
    z.object({ how: z.literal("click"), selectors: z.array(ZSelector).min(1).max(8) }),
  ]),
});
export type TRecipeStep = z.infer<typeof ZRecipeStep>;

export const ZLoginRecipe = z.object({
  version: z.literal(1),
  steps: z.array(ZRecipeStep).min(1).max(8),
  /** The URL path the portal landed on once signed in. */
  successPath: z.string().max(2_000),
});
export type TLoginRecipe = z.infer<typeof ZLoginRecipe>;
