// The recipient flow's own i18next instance: the admin pages stay English and untouched,
// and the recipient's language is detected from ?lang=, their earlier choice, then the
// browser. Resources are bundled (a few KB each) so the first paint is already translated.
import i18next, { type i18n } from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { de } from "./de";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { ja } from "./ja";

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
  { code: "de", label: "Deutsch" },
  { code: "es", label: "Español" },
  { code: "ja", label: "日本語" },
] as const;
export type TLanguage = (typeof LANGUAGES)[number]["code"];

export const LANGUAGE_STORAGE_KEY = "meterlink.recipient.lang";

export function createRecipientI18n(): i18n {
  const instance = i18next.createInstance();
  void instance
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources: {
        en: { translation: en },
        fr: { translation: fr },
        de: { translation: de },
        es: { translation: es },
        ja: { translation: ja },
      },
      supportedLngs: LANGUAGES.map((language) => language.code),
      nonExplicitSupportedLngs: true,
      load: "languageOnly",
      fallbackLng: "en",
      // React escapes text already; escaping here would show "&amp;" in names.
      interpolation: { escapeValue: false },
      detection: {
        order: ["querystring", "localStorage", "navigator"],
        lookupQuerystring: "lang",
        lookupLocalStorage: LANGUAGE_STORAGE_KEY,
        // Only a choice made with the switcher is remembered (see `chooseLanguage`): a
        // detected browser language must not outrank the invitation's own language.
        caches: [],
      },
      initAsync: false,
    });
  return instance;
}

/** The language actually in use, narrowed to the ones we ship ("fr-FR" → "fr"). */
export function currentLanguage(instance: i18n): TLanguage {
  const resolved = (instance.resolvedLanguage ?? instance.language ?? "en").slice(0, 2);
  return LANGUAGES.some((language) => language.code === resolved) ? (resolved as TLanguage) : "en";
}

/** The recipient picked a language: it wins over the invitation's, now and on return. */
export function chooseLanguage(instance: i18n, language: string): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage can be off (private mode, a sandboxed iframe): the choice lasts this page.
  }
  void instance.changeLanguage(language);
}

/**
 * The invitation's language (`invitation.locale`) applies unless the recipient chose one:
 * `?lang=` in the link or an earlier choice with the switcher.
 */
export function applyInvitationLanguage(instance: i18n, locale: string): void {
  if (new URLSearchParams(window.location.search).has("lang")) return;
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {}
  if (stored) return;
  if (LANGUAGES.some((language) => language.code === locale) && instance.language !== locale) {
    void instance.changeLanguage(locale);
  }
}
