// Finds the one-time code in a forwarded SMS or email. Utilities word it many ways
// ("your verification code is 123456", "Code : 123456", "123456 is your code"); texts
// also carry phone numbers and dates, so a number next to a "code" word wins, then a
// lone 6-digit number, then any lone 4-8 digit number.
const KEYWORD =
  /(?:code|passcode|pin|otp|one[- ]time|verification|sicherheitscode|bestätigungscode|código|codice)\D{0,40}?(?<![\d+])(\d{4,8})(?!\d)/iu;
const BEFORE_KEYWORD =
  /(?<![\d+\-/.])(\d{4,8})(?![\d\-/.])\s+(?:is|est|ist|es)\s+(?:your|votre|ihr|su)\b/iu;
const LONE = /(?<![\d+\-/.:,])(\d{4,8})(?![\d\-/.:,])/gu;

export function extractCode(text: string): string | null {
  const plain = text.replace(/<[^>]*>/g, " ").slice(0, 20_000);
  const before = BEFORE_KEYWORD.exec(plain)?.[1];
  if (before) return before;
  const keyword = KEYWORD.exec(plain)?.[1];
  if (keyword) return keyword;
  const lone = [...plain.matchAll(LONE)].map((match) => match[1] ?? "");
  return lone.find((candidate) => candidate.length === 6) ?? lone[0] ?? null;
}
