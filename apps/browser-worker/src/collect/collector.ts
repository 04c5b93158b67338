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
  TCollectFailureReason,
  TCollectRecipe,
  TCollectResult,
  TOpenedCollectRequest,
} from "@meterlink/shared/connection";
import type { Logger } from "pino";
import type { Page } from "puppeteer-core";
import { z } from "zod";
import { CAPTURE_BINDING } from "../capture/script";
import { isAllowedUrl } from "../session/context";
import { BILLS_SCRIPT, DOWNLOAD_SCRIPT, LOOK_SCRIPT } from "./scripts";

export type TCollectLimits = {
  /** One page step (a load, or the reaction to a submit). */
  stepTimeoutMs: number;
  maxSteps: number;
  maxFileBytes: number;
  maxTotalBytes: number;
};

export const DEFAULT_COLLECT_LIMITS: TCollectLimits = {
  stepTimeoutMs: 20_000,
  maxSteps: 8,
  maxFileBytes: 10 * 1024 * 1024,
  // The answer is one JSON body: keep it well under what the API will read.
  maxTotalBytes: 40 * 1024 * 1024,
};

export type TCollectTarget = {
  page: Page;
  loginUrl: string;
  allowedHostnames: string[];
  log: Logger;
};

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

const ZRow = z.object({
  id: z.string().nullable(),
  utility: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  issuedOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  usage: z.string().nullable(),
  unit: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  pdfUrl: z.string().nullable(),
  csvUrl: z.string().nullable(),
});

const ZDownload = z.union([
  z.object({ error: z.string() }),
  z.object({ contentType: z.string(), base64: z.string() }),
]);

// Lockout wording in the languages our utilities use, when the recipe names none.
const GENERIC_LOCKED =
  /\b(locked|lock-?out|too many (?:failed )?(?:attempts|tries)|gesperrt|bloqu[ée]e?|verrouill[ée]e?|bloquead[ao]|geblokkeerd)\b/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

class Failed extends Error {
  constructor(readonly reason: TCollectFailureReason) {
    super(reason);
  }
}

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
      return { status: "ok", bills: await this.#readBills(request) };
    } catch (error) {
      if (error instanceof Failed) {
        this.#target.log.info({ reason: error.reason }, "collection failed");
        return { status: "failed", reason: error.reason };
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

    let codeSubmitted = false;
    let look = await this.#settledLook(selectors);
    for (let step = 0; step < this.#limits.maxSteps; step++) {
      if (this.#signedIn(look, recipe)) {
        log.info({ steps: step }, "signed in for collection");
        return;
      }
      if (look.error || includesAny(look.text, recipe.errorText)) {
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

  async #readBills(request: TOpenedCollectRequest): Promise<TCollectedBill[]> {
    const { page } = this.#target;
    const { recipe } = request;
    const selectors = selectorsOf(recipe);
    if (recipe.billsPath) {
      const target = new URL(recipe.billsPath, page.url()).toString();
      const response = await page
        .goto(target, { waitUntil: "load", timeout: this.#limits.stepTimeoutMs })
        .catch(() => {
          throw new Failed("provider_down");
        });
      if ((response?.status() ?? 200) >= 500) throw new Failed("provider_down");
    }
    const deadline = Date.now() + this.#limits.stepTimeoutMs;
    let look = await this.#look(selectors);
    while (!(look?.ready && (look.bills > 0 || look.noBills)) && Date.now() < deadline) {
      await sleep(200);
      look = await this.#look(selectors);
    }
    if (!look || (look.bills === 0 && !look.noBills)) throw new Failed("portal_changed");
    if (look.bills === 0) return [];

    const raw: unknown = await page.evaluate(
      `(${BILLS_SCRIPT})(${JSON.stringify(recipe.billsSelector)})`,
    );
    const rows = z.array(ZRow).safeParse(raw);
    if (!rows.success) throw new Failed("portal_changed");
    const known = new Set(request.knownBillIds);
    const bills: TCollectedBill[] = [];
    let totalBytes = 0;
    for (const row of rows.data) {
      if (!row.id || row.id.length > 200) continue;
      const bill: TCollectedBill = {
        id: row.id,
        utility: row.utility?.slice(0, 50) ?? null,
        periodStart: dateOrNull(row.periodStart),
        periodEnd: dateOrNull(row.periodEnd),
        issuedOn: dateOrNull(row.issuedOn),
        dueOn: dateOrNull(row.dueOn),
        usage: row.usage && DECIMAL.test(row.usage) ? row.usage : null,
        unit: row.unit?.slice(0, 20) ?? null,
        amount: row.amount && DECIMAL.test(row.amount) ? row.amount : null,
        currency: row.currency?.slice(0, 10) ?? null,
        files: [],
      };
      if (!known.has(row.id)) {
        const files = await this.#download(row, this.#limits.maxTotalBytes - totalBytes);
        // Over the response budget: leave this bill for the next run rather than store
        // it without its documents (a stored bill is never downloaded again).
        if (files === null) continue;
        for (const file of files) totalBytes += file.base64.length;
        bill.files = files;
      }
      bills.push(bill);
    }
    return bills;
  }

  async #download(
    row: z.infer<typeof ZRow>,
    budget: number,
  ): Promise<TCollectedBill["files"] | null> {
    const { page, allowedHostnames, log } = this.#target;
    const files: TCollectedBill["files"] = [];
    let used = 0;
    for (const [kind, path] of [
      ["pdf", row.pdfUrl],
      ["csv", row.csvUrl],
    ] as const) {
      if (!path) continue;
      let url: string;
      try {
        url = new URL(path, page.url()).toString();
      } catch {
        continue;
      }
      // Documents come from the provider's own hosts, never from wherever a page points.
      if (!isAllowedUrl(url, allowedHostnames)) continue;
      const cap = Math.min(this.#limits.maxFileBytes, Math.floor(((budget - used) * 3) / 4));
      if (cap <= 0) return null;
      const raw: unknown = await page
        .evaluate(`(${DOWNLOAD_SCRIPT})(${JSON.stringify(url)}, ${cap})`)
        .catch(() => ({ error: "fetch failed" }));
      const parsed = ZDownload.safeParse(raw);
      if (!parsed.success || "error" in parsed.data) {
        log.warn({ kind, billId: row.id }, "bill document could not be downloaded");
        if (parsed.success && "error" in parsed.data && parsed.data.error === "too large") {
          return null;
        }
        continue;
      }
      used += parsed.data.base64.length;
      files.push({
        kind,
        contentType: parsed.data.contentType.slice(0, 200),
        base64: parsed.data.base64,
      });
    }
    return files;
  }
}

function dateOrNull(value: string | null): string | null {
  return value && ISO_DATE.test(value) ? value : null;
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
