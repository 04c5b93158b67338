// What the parts of a collection share: its bounds, the failure it ends with, and the
// one way a document is downloaded (through the page, with the page's own cookies).
import type { TCollectFailureReason } from "@meterlink/shared/connection";
import type { Logger } from "pino";
import type { Page } from "puppeteer-core";
import { z } from "zod";
import { DOWNLOAD_SCRIPT } from "./scripts";

export type TCollectLimits = {
  /** One page step (a load, or the reaction to a submit). */
  stepTimeoutMs: number;
  maxSteps: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** Pages generic discovery may open (menus and statement pages). */
  maxDiscoveryPages: number;
};

export const DEFAULT_COLLECT_LIMITS: TCollectLimits = {
  stepTimeoutMs: 20_000,
  maxSteps: 8,
  maxFileBytes: 10 * 1024 * 1024,
  // The answer is one JSON body: keep it well under what the API will read.
  maxTotalBytes: 40 * 1024 * 1024,
  maxDiscoveryPages: 12,
};

export type TCollectTarget = {
  page: Page;
  loginUrl: string;
  allowedHostnames: string[];
  log: Logger;
};

export class Failed extends Error {
  /** `step`: which learned-recipe step failed, for the admin (never a value typed). */
  constructor(
    readonly reason: TCollectFailureReason,
    readonly step?: string,
  ) {
    super(reason);
  }
}

// Lockout wording in the languages our utilities use, when the recipe names none.
export const GENERIC_LOCKED =
  /\b(locked|lock-?out|too many (?:failed )?(?:attempts|tries)|gesperrt|bloqu[ée]e?|verrouill[ée]e?|bloquead[ao]|geblokkeerd)\b/i;

// "Wrong password" wording, for portals whose rules name none (or that have no rules).
export const GENERIC_WRONG =
  /\b(incorrect|invalid|wrong|not recogni[sz]ed|doesn't match|do not match|incorrecte?s?|invalide|erron[ée]e?s?|falsch|ung[üu]ltig)\b/i;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const ZDownload = z.union([
  z.object({ error: z.string() }),
  z.object({ contentType: z.string(), base64: z.string() }),
]);
export type TDownload = z.infer<typeof ZDownload>;

/** Fetches `url` in the page (same-origin cookies, no redirects), refused past `cap` bytes. */
export async function downloadInPage(page: Page, url: string, cap: number): Promise<TDownload> {
  const raw: unknown = await page
    .evaluate(`(${DOWNLOAD_SCRIPT})(${JSON.stringify(url)}, ${cap})`)
    .catch(() => ({ error: "fetch failed" }));
  const parsed = ZDownload.safeParse(raw);
  return parsed.success ? parsed.data : { error: "fetch failed" };
}
