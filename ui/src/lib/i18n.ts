// Message catalogue (i18next) with English and Spanish. Keys are flat ("list.title"); the
// English catalogue defines the set of keys and the type checker holds every call to it.
import i18next from "i18next";
import { writable, derived } from "svelte/store";
import en from "../locales/en.json";
import es from "../locales/es.json";
import { commands } from "./bindings";

export type MessageKey = keyof typeof en;
export type Lang = "en" | "es";
export const LANGS: Lang[] = ["en", "es"];
/** The OS/browser locale decides the first language; the user's choice is remembered (by the
 * backend, outside the vault: the webview keeps no storage of its own). */
export function initialLang(stored: string | null, navigatorLang: string | undefined): Lang {
  if (stored === "en" || stored === "es") return stored;
  return (navigatorLang ?? "").toLowerCase().startsWith("es") ? "es" : "en";
}

export const lang = writable<Lang>("en");

export async function initI18n(): Promise<void> {
  let stored: string | null = null;
  try {
    stored = (await commands.uiPrefs()).lang;
  } catch {
    stored = null;
  }
  const first = initialLang(stored, typeof navigator === "undefined" ? undefined : navigator.language);
  void i18next.init({
    lng: first,
    fallbackLng: "en",
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false }, // Svelte escapes on output
    resources: { en: { translation: en }, es: { translation: es } },
    initImmediate: false,
  });
  lang.set(first);
  document.documentElement.lang = first;
}

export function setLang(l: Lang): void {
  void i18next.changeLanguage(l);
  // If it cannot be written, the choice simply is not remembered.
  commands.setUiLang(l).catch(() => {});
  document.documentElement.lang = l;
  lang.set(l);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** `$t("key")` re-renders when the language changes. */
export const t = derived(lang, (): Translate => (key, vars) => i18next.t(key, vars ?? {}) as string);

/** For codes from the backend (enum values, error codes), whose keys are built at run time. */
export function codeKey(prefix: string, code: string): MessageKey {
  const key = `${prefix}.${code}`;
  return (key in en ? key : `${prefix}._unknown`) as MessageKey;
}

export const catalogues = { en, es } as const;
