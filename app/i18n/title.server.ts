// Page titles in the page language (WCAG 2.4.2), computed by the loader for the route's meta export.
import { i18nFor } from "./i18n.server.ts";
import { languageOf } from "../i18n/language.server.ts";

export function pageTitle(request: Request, key: string, options?: Record<string, unknown>): string {
  const i18n = i18nFor(languageOf(request));
  return `${i18n.t(key, options)} – Lebenswege`;
}

export function serverT(request: Request) {
  const i18n = i18nFor(languageOf(request));
  return { t: i18n.t.bind(i18n), language: i18n.language };
}
