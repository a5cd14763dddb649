// The language of research content (transcripts, narratives, codebook examples, memos) for its lang attribute:
// it is German first, and in the English UI it would otherwise inherit html lang="en" and a screen reader would
// read German words with an English voice (WCAG 3.1.2). UI strings are not marked.
export const RESEARCH_LANGUAGE = "de";

/** The interview's first language (Interview.languages is a JSON array of codes) when it is a plain code, else German. */
export function contentLanguage(languages?: string | string[] | null): string {
  let list: unknown = languages;
  if (typeof languages === "string") {
    try {
      list = JSON.parse(languages);
    } catch {
      list = [languages];
    }
  }
  const first = Array.isArray(list) ? list[0] : null;
  return typeof first === "string" && /^[a-z]{2}$/.test(first) ? first : RESEARCH_LANGUAGE;
}
