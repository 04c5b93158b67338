// Finds the one-time code in a forwarded SMS or email. Utilities word it many ways
// ("your verification code is 123456", "Code : 123456", "123456 is your code"); texts
// also carry phone numbers, dates and (in a forwarded email) addresses, so a number next
// to a "code" word wins, then a lone 6-digit number, then any lone 4-8 digit number.
// Two different codes found by the same rule are "several": guessing would type the
// wrong one into the portal (and a wrong code can lock the account), so none is used.
const KEYWORD =
  /(?:code|passcode|pin|otp|one[- ]time|verification|sicherheitscode|bestätigungscode|código|codice)\D{0,40}?(?<![\d+])(\d{4,8})(?!\d)/giu;
const BEFORE_KEYWORD =
  /(?<![\d+\-/.])(\d{4,8})(?![\d\-/.])\s+(?:is|est|ist|es)\s+(?:your|votre|ihr|su)\b/giu;
const LONE = /(?<![\d+\-/.:,])(\d{4,8})(?![\d\-/.:,])/gu;
/** Addresses and links carry digits (our own `c-…` keys among them) that are never codes. */
const NOT_TEXT = /<[^>]*>|\S+@\S+|\bhttps?:\/\/\S+/giu;

export type TCodeFound = { kind: "one"; code: string } | { kind: "none" } | { kind: "several" };

function decide(candidates: string[]): TCodeFound | null {
  const distinct = [...new Set(candidates)];
  if (distinct.length === 0) return null;
  if (distinct.length > 1) return { kind: "several" };
  return { kind: "one", code: distinct[0] as string };
}

const all = (pattern: RegExp, text: string) =>
  [...text.matchAll(pattern)].map((match) => match[1] ?? "");

export function findCode(text: string): TCodeFound {
  const plain = text.slice(0, 40_000).replace(NOT_TEXT, " ").slice(0, 20_000);
  const found = decide(all(BEFORE_KEYWORD, plain)) ?? decide(all(KEYWORD, plain));
  if (found) return found;
  const lone = all(LONE, plain);
  return (
    decide(lone.filter((candidate) => candidate.length === 6)) ?? decide(lone) ?? { kind: "none" }
  );
}

/** The code when there is exactly one, else null. */
export function extractCode(text: string): string | null {
  const found = findCode(text);
  return found.kind === "one" ? found.code : null;
}
