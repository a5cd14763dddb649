// Matching ignores case and diacritics ("Ayşe" = "Ayse", "FRÖHND" = "Fröhnd"). The folded text keeps a map back
// to the original, so a match in the folded text names exact original offsets (JavaScript string indices).
export type Folded = { text: string; /** original index of each folded char */ at: number[]; source: string };

export function foldChar(ch: string): string {
  return ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function fold(source: string): Folded {
  let text = "";
  const at: number[] = [];
  for (let i = 0; i < source.length; ) {
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) at.push(i);
    text += f;
    i += ch.length;
  }
  return { text, at, source };
}

/** The folded form of a search term (same rule as the text). */
export function foldTerm(term: string): string {
  return fold(term).text;
}

/** Original [start, end) of a folded match [s, e). */
export function originalSpan(f: Folded, s: number, e: number): [number, number] {
  const start = f.at[s] ?? f.source.length;
  if (e <= s) return [start, start];
  const lastOrig = f.at[e - 1]!;
  const cp = f.source.codePointAt(lastOrig)!;
  return [start, lastOrig + String.fromCodePoint(cp).length];
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const DIGRAPHS: Record<string, string> = { ä: "a(?:e)?", ö: "o(?:e)?", ü: "u(?:e)?", ß: "(?:ß|ss)" };

/**
 * A term as a pattern over folded text that also finds it spelled without umlauts or ß, as people type on
 * keyboards without them ("Froehnd", "Strasse" for Fröhnd, Straße). Spaces stay spaces (callers widen them).
 */
export function spellingPattern(term: string): string {
  return [...term].map((ch) => DIGRAPHS[ch.toLowerCase()] ?? escapeRegExp(foldChar(ch))).join("");
}

/** A whole-word pattern over folded text: letters and digits around it are not part of a match. */
export function wordPattern(body: string, flags = "gu"): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, flags);
}
