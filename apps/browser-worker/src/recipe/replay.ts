// Replays a learned login recipe (#19) headlessly with the sealed credential: for each
// recorded step, find its fields in the recorded frame (and shadow roots), type the
// credential, send the step the way the recipient did, then wait for the page where
// success landed. Invariants: the credential is typed into the portal and nowhere else;
// a recorded field or button that cannot be found ends as `portal_changed` naming the
// step (not a crash, not a silent fallback); every wait is bounded.
import type { TCollectCredential } from "@meterlink/shared/connection";
import type { TLoginRecipe, TRecipeStep } from "@meterlink/shared/recipe";
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

/** The step's frame and its fields, once all are there; null when the wait ran out. */
async function waitForStep(
  target: TCollectTarget,
  step: TRecipeStep,
  timeoutMs: number,
): Promise<{ frame: Frame; fields: ElementHandle[] } | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const frames = target.page.frames().filter((f) => pathOf(f.url()) === step.framePath);
    for (const frame of frames) {
      const fields: ElementHandle[] = [];
      for (const field of step.fields) {
        const found = await find(frame, step.shadowHosts, field.selectors);
        if (!found) break;
        fields.push(found);
      }
      if (fields.length === step.fields.length) return { frame, fields };
    }
    await sleep(POLL_MS);
  }
  return null;
}

/** The refusal the page shows, as a failure, if it shows one. */
async function refusal(target: TCollectTarget): Promise<Failed | null> {
  const text = await pageText(target);
  if (GENERIC_LOCKED.test(text)) return new Failed("locked");
  if (GENERIC_WRONG.test(text)) return new Failed("wrong_password");
  return null;
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
    const found = await waitForStep(target, step, limits.stepTimeoutMs);
    if (!found) {
      // A refusal of the previous step (unknown account) is not a changed portal.
      if (index > 0) {
        const refused = await refusal(target);
        if (refused) throw refused;
      }
      const kinds = step.fields.map((field) => field.kind).join(" + ");
      throw new Failed("portal_changed", `${name}: ${kinds} field not found`);
    }
    for (const [i, field] of step.fields.entries()) {
      const value =
        field.kind === "identifier"
          ? credential.username
          : field.kind === "password"
            ? credential.password
            : await askForCode();
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
  // Signed in once the portal shows the page success landed on, without a login field.
  const deadline = Date.now() + limits.stepTimeoutMs;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    const path = pathOf(target.page.url());
    if (recipe.successPath && path === recipe.successPath) return;
    const last = recipe.steps.at(-1);
    if (last && pathOf(target.page.url()) === last.framePath) {
      const refused = await refusal(target);
      if (refused) throw refused;
    }
  }
  throw new Failed("portal_changed", `after step ${total} of ${total}: sign-in did not finish`);
}
