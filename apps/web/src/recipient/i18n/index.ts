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
        caches: ["localStorage"],
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
