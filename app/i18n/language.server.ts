import { DEFAULT_LANGUAGE, LANGUAGE_COOKIE, isLanguage, type Language } from "./config.ts";

/** The page language: the language cookie (set at login and by the switcher), else Accept-Language, else German. */
export function languageOf(request: Request): Language {
  const cookie = request.headers.get("cookie") ?? "";
  const match = cookie.match(new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=([a-z]{2})`));
  if (match && isLanguage(match[1])) return match[1];
  const accept = request.headers.get("accept-language") ?? "";
  for (const part of accept.split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (isLanguage(tag)) return tag;
  }
  return DEFAULT_LANGUAGE;
}

export function languageCookie(lang: Language): string {
  return `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
