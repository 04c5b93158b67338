// A headless bill collection in one session's page: sign in with the provider's login
// recipe, answer MFA with a code the API forwards, read the bills list and download the
// new bills' files through the page. Invariants:
// - the plaintext credential lives only in this object's closure for one call, is typed
//   into the portal and nowhere else (never logged, never returned);
// - the session ends (its context closes) whatever the result: one collection per
//   session;
// - every wait is bounded: each page step, the MFA wait, the downloads.
import type {
  TCollectedBill,
  TCollectNote,
  TCollectRecipe,
  TCollectResult,
  TOpenedCollectRequest,
} from "@meterlink/shared/connection";
import { z } from "zod";
import { CAPTURE_BINDING } from "../capture/script";
import { replayRecipe } from "../recipe/replay";
import {
  Failed,
  GENERIC_LOCKED,
  GENERIC_WRONG,
  sleep,
  type TCollectLimits,
  type TCollectTarget,
} from "./common";
import { discoverBills } from "./discover";
import { readRuleBills } from "./rules";
import { LOOK_SCRIPT } from "./scripts";

export { DEFAULT_COLLECT_LIMITS, type TCollectLimits, type TCollectTarget } from "./common";

const ZLook = z.object({
  url: z.string(),
  ready: z.boolean(),
  text: z.string(),
  username: z.boolean(),
  password: z.boolean(),
  code: z.boolean(),
  submit: z.boolean(),
  success: z.boolean(),
  error: z.boolean(),
  bills: z.number(),
  noBills: z.boolean(),
});
type TLook = z.infer<typeof ZLook>;

function selectorsOf(recipe: TCollectRecipe) {
  return {
    username:
      recipe.usernameSelector ??
      'input[autocomplete="username"], input[type="email"], input[name*="user" i], input[name*="email" i]',
    password: recipe.passwordSelector ?? 'input[type="password"]',
    code: recipe.codeSelector ?? 'input[autocomplete="one-time-code"]',
    submit: recipe.submitSelector ?? 'button[type="submit"], input[type="submit"]',
    success: recipe.successSelector,
    error: recipe.errorSelector,
    bills: recipe.billsSelector,
    noBills: recipe.noBillsSelector,
  };
}

function includesAny(text: string, needles: string[] | undefined): boolean {
  const lower = text.toLowerCase();
  return Boolean(needles?.some((needle) => lower.includes(needle.toLowerCase())));
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

/**
 * One collection. `run` drives the page; `answers` yields what each HTTP call answers
 * (`mfa_required` once per code asked, then the final result).
 */
export class Collection {
  #answer = deferred<TCollectResult>();
  #code: { resolve: (code: string) => void } | null = null;
  #limits: TCollectLimits;
  #target: TCollectTarget;
  #onDone: () => Promise<void>;
  started = false;

  constructor(target: TCollectTarget, limits: TCollectLimits, onDone: () => Promise<void>) {
    this.#target = target;
    this.#limits = limits;
    this.#onDone = onDone;
  }

  get waitingForCode(): boolean {
    return this.#code !== null;
  }

  /** The next answer (an HTTP call awaits it). Take it before acting. */
  nextAnswer(): Promise<TCollectResult> {
    return this.#answer.promise;
  }

  start(request: TOpenedCollectRequest): void {
    this.started = true;
    void this.#run(request).then(
      async (result) => {
        await this.#onDone().catch(() => undefined);
        this.#publish(result);
      },
      async (error: unknown) => {
        this.#target.log.warn({ err: error }, "collection failed unexpectedly");
        await this.#onDone().catch(() => undefined);
        this.#answer.reject(new Error("collection failed"));
      },
    );
  }

  /** Hands a forwarded code to a collection waiting for one; false if none waits. */
  provideCode(code: string): boolean {
    const waiting = this.#code;
    if (!waiting) return false;
    this.#code = null;
    waiting.resolve(code);
    return true;
  }

  #publish(result: TCollectResult): void {
    const current = this.#answer;
    this.#answer = deferred();
    current.resolve(result);
  }

  async #run(request: TOpenedCollectRequest): Promise<TCollectResult> {
    try {
      await this.#signIn(request);
      return { status: "ok", ...(await this.readBills(request)) };
    } catch (error) {
      if (error instanceof Failed) {
        this.#target.log.info({ reason: error.reason, step: error.step }, "collection failed");
        return {
          status: "failed",
          reason: error.reason,
          ...(error.step ? { step: error.step } : {}),
        };
      }
      throw error;
    }
  }

  // ------------------------------------------------------------------ sign-in

  async #signIn(request: TOpenedCollectRequest): Promise<void> {
    const { page, loginUrl, log } = this.#target;
    const { recipe, credential } = request;
    const selectors = selectorsOf(recipe);
    // The session's capture hook would seal and end the session on success: a collection
    // types a credential it already holds, so capture is switched off for this page.
    await page.removeExposedFunction(CAPTURE_BINDING).catch(() => undefined);

    let status: number | null = null;
    try {
      const response = await page.goto(loginUrl, {
        waitUntil: "load",
        timeout: this.#limits.stepTimeoutMs,
      });
      status = response?.status() ?? null;
    } catch {
      throw new Failed("provider_down");
    }
    // 5xx, or our egress proxy's 502 for an unreachable host: the utility is down.
    if (status !== null && status >= 500) throw new Failed("provider_down");
    if (status !== null && status >= 400) throw new Failed("portal_changed");
    // How the recipient signed in live, when recorded: replayed before the generic sign-in.
    if (request.learnedRecipe) {
      await replayRecipe(this.#target, this.#limits, request.learnedRecipe, credential, () =>
        this.#askForCode(request.mfaWaitMs),
      );
      log.info({ steps: request.learnedRecipe.steps.length }, "signed in with the learned recipe");
      return;
    }

    let codeSubmitted = false;
    let look = await this.#settledLook(selectors);
    for (let step = 0; step < this.#limits.maxSteps; step++) {
      if (this.#signedIn(look, recipe)) {
        log.info({ steps: step }, "signed in for collection");
        return;
      }
      const refused =
        look.error ||
        includesAny(look.text, recipe.errorText) ||
        // Without rules naming the portal's error, a refusal is the form back with words
        // like "incorrect" after a submit.
        (step > 0 &&
          !recipe.errorText?.length &&
          (look.password || look.username) &&
          GENERIC_WRONG.test(look.text));
      if (refused) {
        if (includesAny(look.text, recipe.lockedText) || GENERIC_LOCKED.test(look.text)) {
          throw new Failed("locked");
        }
        throw new Failed(codeSubmitted ? "mfa_rejected" : "wrong_password");
      }
      if (look.code) {
        const code = await this.#askForCode(request.mfaWaitMs);
        await this.#fill(selectors.code, code);
        codeSubmitted = true;
      } else if (look.username || look.password) {
        if (look.username) await this.#fill(selectors.username, credential.username);
        if (look.password) await this.#fill(selectors.password, credential.password);
      } else {
        // Not signed in, no error, nothing to fill: this is not the page the recipe knows.
        throw new Failed("portal_changed");
      }
      const before = look;
      await this.#submit(selectors, look);
      look = await this.#afterSubmit(selectors, before);
    }
    throw new Failed("portal_changed");
  }

  #signedIn(look: TLook, recipe: TCollectRecipe): boolean {
    if (look.username || look.password || look.code) return false;
    if (look.success) return true;
    const path = pathOf(look.url);
    if (recipe.successPathPrefix) return path.startsWith(recipe.successPathPrefix);
    if (recipe.loginPathPrefix) return !path.startsWith(recipe.loginPathPrefix);
    return path !== pathOf(this.#target.loginUrl);
  }

  async #askForCode(waitMs: number): Promise<string> {
    const code = new Promise<string>((resolve) => {
      this.#code = { resolve };
    });
    this.#publish({ status: "mfa_required" });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    const got = await Promise.race([code, timeout]);
    clearTimeout(timer);
    this.#code = null;
    if (got === null) throw new Failed("mfa_timeout");
    return got;
  }

  async #fill(selector: string, value: string): Promise<void> {
    const { page } = this.#target;
    const handles = await page.$$(selector);
    for (const handle of handles) {
      const usable = await handle
        .evaluate((el) => {
          // No DOM lib in the worker's types: the input's few fields, structurally.
          const input = el as unknown as {
            value: string;
            disabled: boolean;
            readOnly: boolean;
            getClientRects(): { length: number };
          };
          const visible = input.getClientRects().length > 0;
          if (!visible || input.disabled || input.readOnly) return false;
          input.value = "";
          return true;
        })
        .catch(() => false);
      if (!usable) continue;
      await handle.focus();
      // Typed like a person would (key events): script-rendered portals listen to them.
      await handle.type(value);
      return;
    }
    throw new Failed("portal_changed");
  }

  async #submit(selectors: ReturnType<typeof selectorsOf>, look: TLook): Promise<void> {
    const { page } = this.#target;
    if (look.submit) {
      const handles = await page.$$(selectors.submit);
      for (const handle of handles) {
        const visible = await handle
          .evaluate((el) => el.getClientRects().length > 0)
          .catch(() => false);
        if (!visible) continue;
        await handle.click().catch(() => undefined);
        return;
      }
    }
    await page.keyboard.press("Enter");
  }

  /** Waits until the page reacted to a submit: moved, showed an error, or asked for more. */
  async #afterSubmit(selectors: ReturnType<typeof selectorsOf>, before: TLook): Promise<TLook> {
    const deadline = Date.now() + this.#limits.stepTimeoutMs;
    await sleep(300);
    let previous: string | null = null;
    while (Date.now() < deadline) {
      const look = await this.#look(selectors);
      if (look?.ready) {
        const changed =
          look.url !== before.url ||
          look.error ||
          look.text !== before.text ||
          look.code !== before.code ||
          look.password !== before.password;
        // Counted once it holds over two polls: redirects and re-renders have settled.
        const fingerprint = JSON.stringify([look.url, look.code, look.password, look.text]);
        if (changed && fingerprint === previous) return look;
        previous = fingerprint;
      } else {
        previous = null;
      }
      await sleep(250);
    }
    throw new Failed("portal_changed");
  }

  async #settledLook(selectors: ReturnType<typeof selectorsOf>): Promise<TLook> {
    const deadline = Date.now() + this.#limits.stepTimeoutMs;
    while (Date.now() < deadline) {
      const look = await this.#look(selectors);
      // Script-rendered portals draw their form after load.
      if (look?.ready && (look.username || look.password || look.code || look.bills > 0)) {
        return look;
      }
      await sleep(200);
    }
    const last = await this.#look(selectors);
    if (!last) throw new Failed("provider_down");
    return last;
  }

  async #look(selectors: ReturnType<typeof selectorsOf>): Promise<TLook | null> {
    try {
      const raw: unknown = await this.#target.page.evaluate(
        `(${LOOK_SCRIPT})(${JSON.stringify(selectors)})`,
      );
      const parsed = ZLook.safeParse(raw);
      return parsed.success ? parsed.data : null;
    } catch {
      // Navigating: the next poll sees the new document.
      return null;
    }
  }

  // ------------------------------------------------------------------ bills

  /** The signed-in page's bills: the provider's rules when it has them, else discovery. */
  async readBills(
    request: Pick<TOpenedCollectRequest, "recipe" | "knownBillIds" | "collectFrom">,
  ): Promise<{ bills: TCollectedBill[]; notes: TCollectNote[] }> {
    const { recipe } = request;
    if (recipe.billsSelector) {
      const selectors = selectorsOf(recipe);
      const look = () => this.#look(selectors);
      return {
        bills: await readRuleBills(this.#target, this.#limits, request, look),
        notes: [],
      };
    }
    return await discoverBills(this.#target, this.#limits, request);
  }
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // An answer nobody awaits (the caller gave up) must not crash the process.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
