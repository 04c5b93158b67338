// First bills inside the recipient's own session (#18): when the live sign-in succeeded,
// the worker reads the bills in that same signed-in browser (the provider's rules, or
// generic discovery) and reports them before the session ends, so a portal that asks a
// one-time code at every sign-in never has to be signed into a second time for them.
// Only a session started with a `collect` recipe does this. Bounded: a slow portal costs
// the recipient's browser slot at most FIRST_BILLS_BUDGET_MS, and any trouble is reported
// as "failed" (the collection job then reads the bills instead).
import { ZCollectRecipe } from "@meterlink/shared/connection";
import type { TStartSession } from "@meterlink/shared/fleet";
import type { Logger } from "pino";
import type { Page } from "puppeteer-core";
import type { TReport } from "../fleet/link";
import { DEFAULT_COLLECT_LIMITS, type TCollectLimits } from "./common";
import { discoverBills } from "./discover";
import { readRuleBills } from "./rules";

export const FIRST_BILLS_BUDGET_MS = 60_000;

type TFirstBillsSession = {
  id: string;
  provider: TStartSession["provider"];
  activePage: Page | null;
};

/** How many bill rows (or a "no bills" marker) the page shows now. */
function rowLook(page: Page, billsSelector: string, noBillsSelector: string) {
  return async () => {
    try {
      return (await page.evaluate(
        `({ ready: document.readyState === "complete", bills: document.querySelectorAll(${JSON.stringify(billsSelector)}).length, noBills: !!document.querySelector(${JSON.stringify(noBillsSelector)}) })`,
      )) as { ready: boolean; bills: number; noBills: boolean };
    } catch {
      return null;
    }
  };
}

export async function readFirstBills(
  session: TFirstBillsSession,
  report: (report: TReport) => void,
  log: Logger,
  limits: TCollectLimits = DEFAULT_COLLECT_LIMITS,
): Promise<void> {
  const recipe = ZCollectRecipe.safeParse(session.provider.collect ?? null);
  const page = session.activePage;
  if (!recipe.success || !page) return;
  const target = {
    page,
    loginUrl: session.provider.loginUrl,
    allowedHostnames: session.provider.allowedHostnames,
    log,
  };
  const request = { recipe: recipe.data, knownBillIds: [], collectFrom: null };
  // Tells the API to hold the recipient's completion for the bills (bounded there).
  report({ type: "first_bills", sessionId: session.id, status: "reading" });
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      recipe.data.billsSelector
        ? readRuleBills(
            target,
            limits,
            request,
            rowLook(page, recipe.data.billsSelector, recipe.data.noBillsSelector),
          ).then((bills) => ({ bills, notes: [] }))
        : discoverBills(target, limits, request),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), FIRST_BILLS_BUDGET_MS);
      }),
    ]);
    if (!found) throw new Error("first bills took too long");
    report({ type: "first_bills", sessionId: session.id, status: "ok", ...found });
    log.info({ bills: found.bills.length }, "first bills read in the recipient's session");
  } catch (error) {
    log.info({ err: error }, "first bills could not be read in the recipient's session");
    report({ type: "first_bills", sessionId: session.id, status: "failed" });
  } finally {
    clearTimeout(timer);
  }
}
