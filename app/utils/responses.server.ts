// 4xx exits as thrown Responses; the route's ErrorBoundary turns them into the app's error page.
import { i18nFor } from "../i18n/i18n.server.ts";
import { languageOf } from "../i18n/language.server.ts";

export function forbidden(message = "forbidden"): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

export function invariantResponse(condition: unknown, status: 400 | 403 | 404 | 409 | 413 | 415 | 422 = 404, message?: string): asserts condition {
  if (!condition) throw new Response(message ?? String(status), { status });
}

// Resource routes (downloads, media, JSON for the page's scripts) have no error page: the body of a thrown
// refusal is what the reader sees. The plain-text messages thrown above and in those routes serve as codes for
// texts in common:refusals; any other 400/403/404 text gets its status's text. JSON bodies are left alone.
const REFUSALS: Record<string, string> = {
  forbidden: "forbidden",
  "not found": "notFound",
  "unknown format": "unknownFormat",
  "bad query": "badQuery",
  "unknown language": "unknownLanguage",
  "invalid CSRF token": "csrf",
};
const BY_STATUS: Record<number, string> = { 400: "badRequest", 403: "forbidden", 404: "notFound" };

async function inReadersLanguage(request: Request, error: unknown): Promise<unknown> {
  if (!(error instanceof Response) || !BY_STATUS[error.status] || !error.headers.get("content-type")?.startsWith("text/plain")) return error;
  // Already in the reader's language (the one-time password's refusal, auth/session.server.ts).
  if (error.headers.has("Content-Language")) return error;
  // "bad query: redact takes 0 or 1": the part before the colon is the code, the rest is for developers.
  const message = (await error.text()).trim();
  const language = languageOf(request);
  const i18n = i18nFor(language);
  // "consent missing: externalTranscription" (a download refused by a consent gate): the scope by its name.
  const consent = /^consent missing: (\w+)$/.exec(message);
  if (consent) return refusal(error, language, i18n.t("common:refusals.consentMissing", { scope: i18n.t(`interviews:scopes.${consent[1]}`) }));
  const code = REFUSALS[message] ?? REFUSALS[message.split(":")[0]!] ?? BY_STATUS[error.status]!;
  return refusal(error, language, i18n.t(`common:refusals.${code}`));
}

function refusal(error: Response, language: string, text: string): Response {
  const headers = new Headers(error.headers);
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Content-Language", language);
  headers.delete("Content-Length");
  return new Response(text, { status: error.status, statusText: error.statusText, headers });
}

/** Wraps a resource route's loader or action so that its plain-text refusals speak the reader's language. */
export function refusalsInReadersLanguage<Args extends { request: Request }, Result>(handler: (args: Args) => Promise<Result>): (args: Args) => Promise<Result> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      throw await inReadersLanguage(args.request, error);
    }
  };
}

/**
 * 405 for a method a resource route does not take (POST to a download): the methods it does take, and a sentence in
 * the reader's language. Remix's own answer was a 405 with {"message":"Unexpected Server Error"}. Used for every
 * resource route by app/http/methods.js (through entry.server.tsx).
 */
export function methodNotAllowed(request: Request, allow: readonly string[]): Response {
  const language = languageOf(request);
  const text = i18nFor(language).t("common:refusals.methodNotAllowed", { methods: allow.join(", ") });
  return new Response(text, { status: 405, statusText: "Method Not Allowed", headers: { Allow: allow.join(", "), "Content-Type": "text/plain; charset=utf-8", "Content-Language": language } });
}
