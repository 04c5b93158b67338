// Records the learned login recipe (#19) from the live session's capture reports: one step
// per distinct set of fields the recipient filled (identifier, then password, then a code
// on an identifier-first portal), how each step was sent (a button, Enter; a fetch or XHR
// the click started counts as that click), the pages in between where the recipient only
// pressed a button ("Remember this device?"), and where success landed.
// Invariant: only the capture report's `shape` is read (selectors, never a field value),
// so the recipe cannot carry the username, password or a code.
import type { TLoginRecipe, TRecipeStep } from "@meterlink/shared/recipe";
import type { TCaptureReport } from "../capture/credentials";

const MAX_STEPS = 8;

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
    if (!shape) return;
    const framePath = pathOf(report.url);
    const last = this.#steps.at(-1);
    if (shape.fields.length === 0) {
      // A button on a page without fields counts only between sign-in steps, on a page of
      // its own: a cookie banner before the first step or a "show password" toggle on the
      // step's page is not a step.
      if (!last || !shape.submit || framePath === last.framePath) return;
    }
    const step: TRecipeStep = {
      framePath,
      shadowHosts: shape.shadowHosts,
      fields: shape.fields,
      submit: shape.submit ? { how: "click", selectors: shape.submit } : { how: "enter" },
    };
    if (last && keyOf(last) === keyOf(step)) {
      // The button the recipient pressed says more than the submit event that follows it.
      if (step.submit.how === "click" || report.trigger === "enter") last.submit = step.submit;
      return;
    }
    if (this.#steps.length < MAX_STEPS) this.#steps.push(step);
  }

  /** The recipe once the portal showed the account at `finalUrl`; null if nothing was seen. */
  build(finalUrl: string): TLoginRecipe | null {
    const successPath = pathOf(finalUrl);
    const steps = [...this.#steps];
    // Buttons pressed on the account page before the verdict are not sign-in steps.
    while (
      steps.length &&
      steps.at(-1)?.fields.length === 0 &&
      steps.at(-1)?.framePath === successPath
    )
      steps.pop();
    if (!steps.some((step) => step.fields.length > 0)) return null;
    return { version: 1, steps, successPath };
  }
}
