// Watches the page after a login submission (or a navigation once a password was typed)
// until the portal's verdict is clear: success, a code asked for, a refusal, or no sign
// either way. A verdict counts once it holds over two polls, so redirects have settled;
// the watch is bounded, and a newer one (a new submission) makes an older one stop.
import type { TProviderRules } from "@meterlink/shared/fleet";
import type { Page } from "puppeteer-core";
import { decideOutcome, inspectPage, saysLocked, type TVerdict } from "./outcome";

const WINDOW_MS = 12_000;
const POLL_MS = 250;
const FIRST_LOOK_MS = 400;
const UNSURE_AFTER_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TWatchTarget = {
  /** False once a newer watch started or the session ended. */
  current: () => boolean;
  page: () => Page | null;
  loading: () => boolean;
  passwordCaptured: () => boolean;
  rules: TProviderRules | undefined;
  loginUrl: string;
};

export type TWatchVerdicts = {
  success: (url: string) => Promise<void>;
  mfa: () => void;
  /** `locked`: the portal says the account is locked or blocked. */
  failure: (locked: boolean) => void;
  unsure: () => void;
};

export async function watchForVerdict(target: TWatchTarget, on: TWatchVerdicts): Promise<void> {
  const deadline = Date.now() + WINDOW_MS;
  let previous: TVerdict | null = null;
  let unsureSince: number | null = null;
  let failureSent = false;
  await sleep(FIRST_LOOK_MS);
  while (target.current() && Date.now() < deadline) {
    const page = target.page();
    if (!page) return;
    const inspection = await inspectPage(page, target.rules);
    if (!target.current()) return;
    if (!inspection.ready || target.loading()) {
      previous = null;
      await sleep(POLL_MS);
      continue;
    }
    const verdict = decideOutcome({
      inspection,
      rules: target.rules,
      loginUrl: target.loginUrl,
      passwordCaptured: target.passwordCaptured(),
    });
    if (verdict === previous) {
      if (verdict === "success") {
        await on.success(inspection.url);
        return;
      }
      if (verdict === "mfa") {
        on.mfa();
        return;
      }
      if (verdict === "failure" && !failureSent) {
        // Keep watching: a stale error text may sit on an SPA that then signs in.
        on.failure(saysLocked(inspection.text));
        failureSent = true;
      }
      if (verdict === "unsure") {
        unsureSince ??= Date.now();
        if (Date.now() - unsureSince >= UNSURE_AFTER_MS) {
          on.unsure();
          return;
        }
      }
    }
    if (verdict !== "unsure") unsureSince = null;
    previous = verdict;
    await sleep(POLL_MS);
  }
}
