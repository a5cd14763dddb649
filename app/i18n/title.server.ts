// Page titles in the page language (WCAG 2.4.2), computed by the loader for the route's meta export.
import { createI18n } from "../i18n/config.ts";
import { languageOf } from "../i18n/language.server.ts";

export function pageTitle(request: Request, key: string, options?: Record<string, unknown>): string {
  const i18n = createI18n(languageOf(request));
  return `${i18n.t(key, options)} – Lebenswege`;
}

export function serverT(request: Request) {
  const i18n = createI18n(languageOf(request));
  return { t: i18n.t.bind(i18n), language: i18n.language };
}
