// Decides whether a login submission succeeded, failed or asks for a code, from what the
// page shows once redirects settle. Generic heuristics first; a provider's `rules` win
// where given. "pending" means "still on the login flow, no verdict yet" (for example the
// password step of an identifier-first portal) and is never sent to the client.
import type { TProviderRules } from "@meterlink/shared/fleet";
import type { TLoginOutcome } from "@meterlink/shared/stream";
import type { Page } from "puppeteer-core";
import { z } from "zod";
import { INSPECT_SCRIPT } from "./script";

// What a frame reports about itself; validated because the page could tamper with it.
const ZFrameInspection = z.object({
  hasPassword: z.boolean(),
  hasCode: z.boolean(),
  ready: z.boolean(),
  text: z.string(),
  errorSelector: z.boolean(),
  successSelector: z.boolean(),
});

export type TPageInspection = {
  url: string;
  hasPassword: boolean;
  hasCode: boolean;
  ready: boolean;
  text: string;
  errorSelector: boolean;
  successSelector: boolean;
};

export type TVerdict = TLoginOutcome | "pending";

// Common wording of login errors in the languages our utilities use (en, de, fr, es, nl).
const GENERIC_ERROR =
  /\b(incorrect|invalid|wrong|not recogni[sz]ed|does not match|do not match|unable to (?:sign|log) ?in|login failed|sign-?in failed|authentication failed|try again|ungültig|falsch|fehlgeschlagen|incorrecte?s?|invalide|erron[ée]|incorrecta|ongeldig|onjuist)\b/i;
const GENERIC_MFA =
  /(verification code|one-time code|security code|enter the code|we sent (?:you )?a code|code (?:sent|envoyé)|bestätigungscode|sicherheitscode|code de (?:vérification|sécurité))/i;

// A refusal that is not about the details typed: the portal locked or blocked the
// account (en, fr, de, es, ja). Told apart so the recipient is not asked to retype.
const LOCKED =
  /(account (?:is |has been )?(?:temporarily )?(?:locked|blocked|suspended|disabled)|(?:is|been) (?:temporarily )?locked|too many (?:failed |unsuccessful |sign-?in |login )?(?:attempts|tries)|compte (?:est )?(?:temporairement )?(?:verrouillé|bloqué)|trop de tentatives|(?:konto|zugang) (?:ist |wurde )?(?:vorübergehend )?gesperrt|zu viele (?:fehlgeschlagene )?(?:anmelde)?versuche|cuenta (?:está |ha sido )?(?:temporalmente )?bloqueada|demasiados intentos|ロックされ)/i;

// A page between sign-in steps that asks to remember the device or stay signed in: the
// account is not shown yet, so it is no verdict; the recipient's button press moves on.
const INTERSTITIAL =
  /(remember (?:this|my) (?:device|browser|computer)\?|trust this (?:device|browser)\?|stay signed in\?|se souvenir de cet appareil|diesem gerät vertrauen|recordar este dispositivo)/i;

/** Whether the page says the account is locked or blocked, not just the details wrong. */
export function saysLocked(text: string): boolean {
  return LOCKED.test(text);
}

function includesAny(text: string, needles: string[] | undefined): boolean {
  if (!needles?.length) return false;
  const lower = text.toLowerCase();
  return needles.some((needle) => lower.includes(needle.toLowerCase()));
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

export function decideOutcome(options: {
  inspection: TPageInspection;
  rules: TProviderRules | undefined;
  loginUrl: string;
  /** Whether a password has been captured in this session at all. */
  passwordCaptured: boolean;
}): TVerdict {
  const { inspection, rules, loginUrl, passwordCaptured } = options;
  const path = pathOf(inspection.url);
  const stillOnLogin = inspection.hasPassword || inspection.hasCode;

  const error =
    inspection.errorSelector ||
    includesAny(inspection.text, rules?.errorText) ||
    // Generic wording only counts while a login form is still shown: a signed-in page
    // may well say "invalid meter reading".
    (!rules?.errorText?.length && stillOnLogin && GENERIC_ERROR.test(inspection.text));
  if (error) return "failure";

  const mfa =
    (inspection.hasCode && !inspection.hasPassword) ||
    (!inspection.hasPassword && includesAny(inspection.text, rules?.mfaText)) ||
    (!inspection.hasPassword && !rules?.mfaText?.length && GENERIC_MFA.test(inspection.text));
  if (mfa && passwordCaptured) return "mfa";

  if (inspection.hasPassword || !passwordCaptured) return "pending";

  if (inspection.successSelector) return "success";
  if (rules?.successPathPrefix) {
    if (path.startsWith(rules.successPathPrefix)) return "success";
  } else if (INTERSTITIAL.test(inspection.text.slice(0, 2_000))) {
    // Off the login page but not on the account yet: no rule says where success lands.
    return "pending";
  } else if (rules?.loginPathPrefix) {
    if (!path.startsWith(rules.loginPathPrefix)) return "success";
  } else if (path !== pathOf(loginUrl)) {
    return "success";
  }
  return "unsure";
}

/** Inspects the main frame and every child frame (an iframe login counts too). */
export async function inspectPage(
  page: Page,
  rules: TProviderRules | undefined,
): Promise<TPageInspection> {
  const selectors = {
    code: rules?.codeSelector,
    password: rules?.passwordSelector,
    error: rules?.errorSelector,
    success: rules?.successSelector,
  };
  const result: TPageInspection = {
    url: page.url(),
    hasPassword: false,
    hasCode: false,
    ready: true,
    text: "",
    errorSelector: false,
    successSelector: false,
  };
  const frames = page.frames();
  const parts = await Promise.all(
    frames.map(async (frame) => {
      try {
        const raw: unknown = await frame.evaluate(
          `(${INSPECT_SCRIPT})(${JSON.stringify(selectors)})`,
        );
        const parsed = ZFrameInspection.safeParse(raw);
        return parsed.success ? parsed.data : null;
      } catch {
        // Frame detached or navigating: it will be inspected on the next round.
        return null;
      }
    }),
  );
  for (const [index, part] of parts.entries()) {
    if (!part) {
      if (index === 0) result.ready = false;
      continue;
    }
    result.hasPassword ||= part.hasPassword;
    result.hasCode ||= part.hasCode;
    result.errorSelector ||= part.errorSelector;
    result.successSelector ||= part.successSelector;
    if (index === 0) result.ready = part.ready;
    result.text += `${part.text}\n`;
  }
  return result;
}
