// Snippets are cut from the original text (the index holds only normalized tokens): the words whose token
// matches the query are found by their offsets and marked, and the window with the most of them is shown.
import { prefixAlternatives } from "./query/compile.ts";
import type { HighlightTerms } from "./query/parse.ts";
import { tokenize } from "./text/normalize.ts";

export type Segment = { text: string; hit: boolean };
/** `spoken`: cut from a transcript passage (what a person said; pages mark it, see the identity-leak test). */
export type Snippet = { spoken?: boolean; segments: Segment[]; before: boolean; after: boolean };

export function matcher(terms: HighlightTerms): (token: string) => boolean {
  const exact = new Set(terms.tokens);
  for (const p of terms.prefixes) for (const e of prefixAlternatives(p).exact) exact.add(e);
  return (token) => exact.has(token) || terms.prefixes.some((p) => token.startsWith(p));
}

export function makeSnippet(text: string, terms: HighlightTerms, maxChars = 260): Snippet {
  const isHit = matcher(terms);
  const hits = tokenize(text).filter((t) => isHit(t.token));
  if (text.length <= maxChars) return { segments: mark(text, 0, text.length, hits), before: false, after: false };
  // The window (maxChars wide) that holds the most hits, starting a little before its first hit.
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < hits.length; i++) {
    while (j < hits.length && hits[j]!.end - hits[i]!.start <= maxChars) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      bestStart = hits[i]!.start;
    }
  }
  let start = Math.max(0, bestStart - Math.floor(maxChars / 5));
  let end = Math.min(text.length, start + maxChars);
  start = Math.max(0, end - maxChars);
  // Whole words at both edges.
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space !== -1 && space < bestStart) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  return { segments: mark(text, start, end, hits), before: start > 0, after: end < text.length };
}

function mark(text: string, start: number, end: number, hits: { start: number; end: number }[]): Segment[] {
  const out: Segment[] = [];
  let at = start;
  for (const h of hits) {
    if (h.end <= start || h.start >= end) continue;
    const s = Math.max(h.start, start);
    const e = Math.min(h.end, end);
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < end) out.push({ text: text.slice(at, end), hit: false });
  return out;
}
