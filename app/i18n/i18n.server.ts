// One i18next instance per language for the whole server process. Creating one costs about a millisecond (it takes in
// every namespace), and a page needed two or three (the render, its title, messages). Sharing is safe: the server
// never changes an instance's language or resources; each request picks the instance of its reader's language.
// (app/i18n/meta.ts keeps instances of its own: it runs in the browser too, where it must not replace the page's.)
import type { i18n as I18n } from "i18next";
import { createI18n, type Language } from "./config.ts";

const instances = new Map<Language, I18n>();

export function i18nFor(language: Language): I18n {
  let instance = instances.get(language);
  if (!instance) {
    instance = createI18n(language);
    instances.set(language, instance);
  }
  return instance;
}
