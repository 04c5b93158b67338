// Records the learned login recipe (#19) from the live session's capture reports: one step
// per distinct set of fields the recipient filled (identifier, then password, then a code
// on an identifier-first portal), how each step was sent, and where success landed.
// Invariant: only the capture report's `shape` is read (selectors, never a field value),
// so the recipe cannot carry the username, password or a code.
import type { TLoginRecipe, TRecipeStep } from "@meterlink/shared/recipe";
import type { TCaptureReport } from "../capture/credentials";

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

const keyOf = (step: TRecipeStep) =>
  `${step.framePath} ${step.fields.map((field) => field.kind).join(",")}`;

export class RecipeRecorder {
  #steps: TRecipeStep[] = [];

  /** One capture report; a click, submit and fetch of one action merge into one step. */
  add(report: TCaptureReport): void {
    const shape = report.shape;
    if (!shape || shape.fields.length === 0) return;
    const step: TRecipeStep = {
      framePath: pathOf(report.url),
      shadowHosts: shape.shadowHosts,
      fields: shape.fields,
      submit: shape.submit ? { how: "click", selectors: shape.submit } : { how: "enter" },
    };
    const last = this.#steps.at(-1);
    if (last && keyOf(last) === keyOf(step)) {
      // The button the recipient pressed says more than the submit event that follows it.
      if (step.submit.how === "click" || report.trigger === "enter") last.submit = step.submit;
      return;
    }
    if (this.#steps.length < 8) this.#steps.push(step);
  }

  /** The recipe once the portal showed the account at `finalUrl`; null if nothing was seen. */
  build(finalUrl: string): TLoginRecipe | null {
    if (this.#steps.length === 0) return null;
    return { version: 1, steps: this.#steps, successPath: pathOf(finalUrl) };
  }
}
