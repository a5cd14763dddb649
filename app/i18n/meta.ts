// Page titles computed in a route's meta export (server and browser), for titles that depend on where one is in a
// layout, e.g. the tab of a case: "Identität – LOE-2019-0001 – Lebenswege" (WCAG 2.4.2). The language is the root
// loader's. Its own i18next instance, without the React binding, so it never replaces the page's instance.
import i18next, { type i18n as I18n } from "i18next";
import { DEFAULT_LANGUAGE, LANGUAGES, isLanguage, type Language } from "./config.ts";
import { resources } from "./resources.ts";
import type { Tab } from "../components/tab-nav.tsx";

const instances = new Map<Language, I18n>();

function instanceFor(lng: Language): I18n {
  let instance = instances.get(lng);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({ lng, fallbackLng: DEFAULT_LANGUAGE, supportedLngs: [...LANGUAGES], resources, ns: Object.keys(resources.de), defaultNS: "common", interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
    instances.set(lng, instance);
  }
  return instance;
}

type Match = { id: string; data: unknown };

/** `t` in the page's language (the root loader's `locale`). */
export function metaT(matches: readonly Match[]): (key: string) => string {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined)?.locale;
  const instance = instanceFor(isLanguage(locale) ? locale : DEFAULT_LANGUAGE);
  return (key) => instance.t(key);
}

/** A tab label's key with its namespace: as written when it names one ("notes:tab"), else in the page's `ns`. */
export const inNamespace = (key: string, ns: string) => (key.includes(":") ? key : `${ns}:${key}`);

/** The parts joined as the app's titles are: most specific first, the app's name last. */
export const joinTitle = (...parts: (string | null | undefined)[]) => [...parts.filter(Boolean), "Lebenswege"].join(" – ");

/** The tab a path belongs to (the longest matching `to`; `end` tabs only exactly), or undefined. */
export function currentTab(tabs: readonly Tab[], pathname: string): Tab | undefined {
  const path = pathname.replace(/\/+$/, "");
  return tabs
    .filter((tab) => tab.show && (tab.end ? path === tab.to : path === tab.to || path.startsWith(`${tab.to}/`)))
    .sort((a, b) => b.to.length - a.to.length)[0];
}
