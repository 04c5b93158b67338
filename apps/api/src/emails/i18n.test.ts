import { describe, expect, it } from "vitest";
import { EMAIL_LOCALES, EMAIL_STRINGS, emailLocale, formatEmailDate } from "./i18n";

function placeholders(template: string): string[] {
  // A set: a translation may name the company once where English names it twice.
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ""))].sort();
}

describe("email strings", () => {
  it("use the same placeholders in every locale as in English", () => {
    for (const locale of EMAIL_LOCALES) {
      for (const [key, english] of Object.entries(EMAIL_STRINGS.en)) {
        const translated = EMAIL_STRINGS[locale][key as keyof typeof EMAIL_STRINGS.en];
        expect({ locale, key, placeholders: placeholders(translated) }).toEqual({
          locale,
          key,
          placeholders: placeholders(english),
        });
      }
    }
  });

  it("are translated, not copied from English", () => {
    for (const locale of EMAIL_LOCALES.filter((l) => l !== "en")) {
      expect(EMAIL_STRINGS[locale].invitationButton).not.toBe(EMAIL_STRINGS.en.invitationButton);
      expect(EMAIL_STRINGS[locale].noPassword).not.toBe(EMAIL_STRINGS.en.noPassword);
    }
  });
});

describe("emailLocale", () => {
  it("maps regional and differently cased tags to a supported language", () => {
    expect(emailLocale("fr-CA")).toBe("fr");
    expect(emailLocale("ja_JP")).toBe("ja");
    expect(emailLocale("DE")).toBe("de");
  });

  it("falls back to English", () => {
    expect(emailLocale(undefined)).toBe("en");
    expect(emailLocale(null)).toBe("en");
    expect(emailLocale("")).toBe("en");
    expect(emailLocale("pt-BR")).toBe("en");
  });
});

describe("formatEmailDate", () => {
  const date = new Date("2030-06-05T14:30:00Z");

  it("formats per locale and names the time zone", () => {
    expect(formatEmailDate(date, "en")).toBe("June 5, 2030 at 2:30 PM UTC");
    expect(formatEmailDate(date, "fr")).toBe("5 juin 2030 à 14:30 UTC");
    expect(formatEmailDate(date, "de")).toContain("5. Juni 2030");
    expect(formatEmailDate(date, "es")).toContain("5 de junio de 2030");
    expect(formatEmailDate(date, "ja")).toContain("2030年6月5日");
  });

  it("shows the time in the recipient's zone when known", () => {
    expect(formatEmailDate(date, "fr", "Europe/Paris")).toContain("16:30");
  });
});
