// Replays a learned login recipe (#19) headlessly with the sealed credential: for each
// recorded step, find its fields in the recorded frame (and shadow roots), type the
// credential into the identifier and password fields and a FRESH code (asked for when the
// code prompt shows, never one recorded) into the code field, send the step the way the
// recipient did, press the button of a page in between ("Remember this device?") when it
// shows, then wait for the page where success landed.
// Invariants: the credential is typed into the portal and nowhere else; a recorded field
// or button that cannot be found ends as `portal_changed` naming the step, a page the
// recipe never saw as `needs_recipient` (not a crash, not a silent fallback, not a
// success on the wrong page); every wait is bounded.
import type { TCollectCredential } from "@meterlink/shared/connection";
import type { TLoginRecipe } from "@meterlink/shared/recipe";
import type { ElementHandle, Frame } from "puppeteer-core";
import {
  Failed,
  GENERIC_LOCKED,
  GENERIC_WRONG,
  sleep,
  type TCollectLimits,
  type TCollectTarget,
} from "../collect/common";
import { FIND_SCRIPT } from "./scripts";

const POLL_MS = 200;

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

async function find(
  frame: Frame,
  hosts: string[],
  selectors: string[],
): Promise<ElementHandle | null> {
  try {
    const handle = await frame.evaluateHandle(
      `(${FIND_SCRIPT})(${JSON.stringify(hosts)}, ${JSON.stringify(selectors)})`,
    );
    const element = handle.asElement();
    if (element) return element as ElementHandle;
    await handle.dispose();
  } catch {
    // Navigating: the next poll sees the new document.
  }
  return null;
}

async function pageText(target: TCollectTarget): Promise<string> {
  return await target.page
    .evaluate(`(document.body && document.body.innerText || "").slice(0, 20000)`)
    .then((text) => String(text))
    .catch(() => "");
}

type TWaited =
  | { found: { frame: Frame; fields: ElementHandle[] } }
  /** The portal went past this step (a page in between it did not show this time). */
  | { skipped: "signed_in" | "later_step" }
  | null;

/** The step's frame and its fields once all are there; null when the wait ran out. */
async function waitForStep(
  target: TCollectTarget,
  recipe: TLoginRecipe,
  index: number,
  timeoutMs: number,
): Promise<TWaited> {
  const step = recipe.steps[index];
  if (!step) return null;
  const optional = step.fields.length === 0;
  const later = new Set(recipe.steps.slice(index + 1).map((s) => s.framePath));
  const deadline = Date.now() + timeoutMs;
  // At least one look, so a zero timeout asks "is it there now?".
  for (;;) {
    const frames = target.page.frames().filter((f) => pathOf(f.url()) === step.framePath);
    for (const frame of frames) {
      const fields: ElementHandle[] = [];
      for (const field of step.fields) {
        const found = await find(frame, step.shadowHosts, field.selectors);
        if (!found) break;
        fields.push(found);
      }
      if (fields.length < step.fields.length) continue;
      if (!optional || step.submit.how === "enter") return { found: { frame, fields } };
      // A page in between: there once its button is.
      if (await find(frame, step.shadowHosts, step.submit.selectors)) {
        return { found: { frame, fields } };
      }
    }
    const path = pathOf(target.page.url());
    if (optional && later.has(path) && path !== step.framePath) return { skipped: "later_step" };
    if (recipe.successPath && path === recipe.successPath) return { skipped: "signed_in" };
    if (Date.now() >= deadline) return null;
    await sleep(POLL_MS);
  }
}

/** The refusal the page shows, as a failure, if it shows one. */
async function refusal(target: TCollectTarget, afterCode: boolean): Promise<Failed | null> {
  const text = await pageText(target);
  if (GENERIC_LOCKED.test(text)) return new Failed("locked");
  if (GENERIC_WRONG.test(text)) return new Failed(afterCode ? "mfa_rejected" : "wrong_password");
  return null;
}

/**
 * Why the portal is not where step `index` (or, past the last, success) should be: a
 * refusal of the step before, the code prompt shown again (the code was refused), a page
 * the recipe never had (the recipient must sign in again), or a changed portal.
 */
async function stuck(
  target: TCollectTarget,
  recipe: TLoginRecipe,
  index: number,
  missing: string,
): Promise<Failed> {
  const total = recipe.steps.length;
  const previous = recipe.steps[index - 1];
  const afterCode = Boolean(previous?.fields.some((field) => field.kind === "code"));
  if (previous) {
    const refused = await refusal(target, afterCode);
    if (refused) return refused;
    if (afterCode && (await waitForStep(target, recipe, index - 1, 0))) {
      return new Failed("mfa_rejected");
    }
  }
  const path = pathOf(target.page.url());
  const known = new Set([...recipe.steps.map((s) => s.framePath), recipe.successPath]);
  if (!known.has(path) && path !== pathOf(target.loginUrl)) {
    // Read after "Sign-in stopped at " (services/collection/run.ts).
    const where = `step ${Math.min(index + 1, total)} of ${total}`;
    return new Failed(
      "needs_recipient",
      `${where}: the utility showed a page this sign-in never had (${path})`,
    );
  }
  return new Failed("portal_changed", missing);
}

export async function replayRecipe(
  target: TCollectTarget,
  limits: TCollectLimits,
  recipe: TLoginRecipe,
  credential: TCollectCredential,
  askForCode: () => Promise<string>,
): Promise<void> {
  const total = recipe.steps.length;
  for (const [index, step] of recipe.steps.entries()) {
    const name = `step ${index + 1} of ${total}`;
    const waited = await waitForStep(target, recipe, index, limits.stepTimeoutMs);
    if (!waited) {
      const kinds = step.fields.map((field) => field.kind).join(" + ");
      const what = kinds ? `${kinds} field` : "the button of the page in between";
      throw await stuck(target, recipe, index, `${name}: ${what} not found`);
    }
    if ("skipped" in waited) {
      if (waited.skipped === "signed_in") return;
      continue;
    }
    const { found } = waited;
    for (const [i, field] of step.fields.entries()) {
      const value =
        field.kind === "identifier"
          ? credential.username
          : field.kind === "password"
            ? credential.password
            : // Asked for now that the prompt shows: the code the portal just sent.
              await askForCode();
      const handle = found.fields[i];
      if (!handle) continue;
      await handle.evaluate((el) => {
        (el as unknown as { value: string }).value = "";
      });
      await handle.focus();
      // Typed like a person would (key events): script-rendered portals listen to them.
      await handle.type(value);
    }
    if (step.submit.how === "click") {
      const button = await find(found.frame, step.shadowHosts, step.submit.selectors);
      if (!button) throw new Failed("portal_changed", `${name}: submit button not found`);
      await button.click();
    } else {
      await found.fields.at(-1)?.press("Enter");
    }
  }
  // Signed in once the portal shows the page success landed on.
  const deadline = Date.now() + limits.stepTimeoutMs;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    if (recipe.successPath && pathOf(target.page.url()) === recipe.successPath) return;
  }
  throw await stuck(target, recipe, total, `step ${total} of ${total}: sign-in did not finish`);
}
