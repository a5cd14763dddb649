// Timing rules of the editor, kept apart from Tiptap so they can be tested as plain functions.
// - An edit inside a paragraph never changes its times (the node keeps its attributes).
// - Split at the cursor: the time is divided at the word timing nearest the cursor, or in proportion to the text.
// - Merge: start of the first, end of the second, words joined.
import type { Word } from "../formats/types.ts";

export type Timing = { startMs: number | null; endMs: number | null; words: Word[] | null };
export type Token = { text: string; from: number; to: number };

export function tokenize(text: string): Token[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], from: m.index!, to: m.index! + m[0].length }));
}

const normal = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * Which engine word each token of the (possibly edited) text stands for, or null. Greedy with a short look-ahead:
 * equal words match (punctuation and case aside); where the counts still agree an edited word takes the place
 * of the one it replaced; inserted or deleted words lose their timing.
 */
export function alignWords(tokens: readonly Token[], words: readonly Word[] | null | undefined): (number | null)[] {
  const result: (number | null)[] = tokens.map(() => null);
  if (!words?.length) return result;
  let w = 0;
  for (let i = 0; i < tokens.length && w < words.length; i++) {
    const token = normal(tokens[i]!.text);
    let found = -1;
    for (let j = w; j < Math.min(words.length, w + 4); j++) {
      if (normal(words[j]!.t) === token && token !== "") {
        found = j;
        break;
      }
    }
    if (found >= 0) {
      result[i] = found;
      w = found + 1;
    } else if (tokens.length - i === words.length - w) {
      result[i] = w++;
    }
  }
  return result;
}

/** The time a click at `offset` (in the paragraph's text) should seek to: the word's start, else the paragraph's. */
export function seekTimeAt(text: string, offset: number, timing: Timing): number | null {
  const tokens = tokenize(text);
  const aligned = alignWords(tokens, timing.words);
  const index = tokens.findIndex((t) => offset >= t.from && offset <= t.to);
  const word = index >= 0 ? aligned[index] : null;
  if (word !== null && word !== undefined && timing.words) return timing.words[word]!.s;
  return timing.startMs;
}

/** Token ranges (offsets in the text) with the word they stand for: for highlights and low-confidence marks. */
export function alignedTokens(text: string, words: readonly Word[] | null | undefined): { from: number; to: number; word: Word }[] {
  if (!words?.length) return [];
  const tokens = tokenize(text);
  const aligned = alignWords(tokens, words);
  return tokens.flatMap((t, i) => (aligned[i] === null ? [] : [{ from: t.from, to: t.to, word: words[aligned[i]!]! }]));
}

export function splitTiming(text: string, offset: number, timing: Timing): [Timing, Timing] {
  const { startMs, endMs, words } = timing;
  if (startMs === null || endMs === null) return [{ startMs, endMs: null, words: null }, { startMs: null, endMs, words: null }];
  const tokens = tokenize(text);
  const aligned = alignWords(tokens, words);
  let at: number | null = null;
  let wordCut: number | null = null;
  if (words?.length) {
    // The first timed word at or after the cursor starts the second paragraph; else the last before it ends the first.
    const after = tokens.findIndex((t, i) => t.to > offset && aligned[i] !== null);
    if (after >= 0) {
      wordCut = aligned[after]!;
      at = words[wordCut]!.s;
    } else {
      const before = [...tokens.keys()].reverse().find((i) => tokens[i]!.to <= offset && aligned[i] !== null);
      if (before !== undefined) {
        wordCut = aligned[before]! + 1;
        at = words[aligned[before]!]!.e;
      }
    }
  }
  if (at === null) at = text.length ? startMs + Math.round(((endMs - startMs) * Math.min(offset, text.length)) / text.length) : startMs;
  at = Math.min(endMs, Math.max(startMs, at));
  const cut = wordCut ?? 0;
  return [
    { startMs, endMs: at, words: words && wordCut !== null ? words.slice(0, cut) : null },
    { startMs: at, endMs, words: words && wordCut !== null ? words.slice(cut) : null },
  ];
}

export function mergeTiming(first: Timing, second: Timing): Timing {
  const words = first.words || second.words ? [...(first.words ?? []), ...(second.words ?? [])] : null;
  return { startMs: first.startMs ?? second.startMs, endMs: second.endMs ?? first.endMs, words };
}

/**
 * Paragraphs pasted or typed anew have no times yet: they start where the previous ended and end where the
 * next starts (or where they start), so every saved paragraph has times and the untouched ones keep theirs.
 */
export function fillTimes<T extends { startMs: number | null; endMs: number | null }>(paragraphs: readonly T[]): (T & { startMs: number; endMs: number })[] {
  const out: (T & { startMs: number; endMs: number })[] = [];
  paragraphs.forEach((p, i) => {
    const previousEnd = out[i - 1]?.endMs ?? 0;
    const startMs = p.startMs ?? previousEnd;
    let endMs = p.endMs;
    if (endMs === null) {
      const next = paragraphs.slice(i + 1).find((q) => q.startMs !== null || q.endMs !== null);
      endMs = next ? (next.startMs ?? next.endMs!) : startMs;
    }
    out.push({ ...p, startMs, endMs: Math.max(startMs, endMs) });
  });
  return out;
}

/** The paragraph playing at `ms`: the last one that has started and not yet ended. */
export function paragraphAt(paragraphs: readonly { startMs: number | null; endMs: number | null }[], ms: number): number {
  let found = -1;
  paragraphs.forEach((p, i) => {
    if (p.startMs !== null && p.startMs <= ms && (p.endMs === null || ms < p.endMs || (i === paragraphs.length - 1 && ms <= p.endMs))) found = i;
  });
  return found;
}

/** 1:02:03 or 2:03, for labels. */
export function formatClockShort(ms: number | null): string {
  if (ms === null) return "–";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
