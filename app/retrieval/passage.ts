// A coded segment as a reader sees it: the coded words with a few words of context on either side, the
// speaker and the time of the paragraph where it starts (to the word when the paragraph has word timings).
// Offsets are code points of the transcript's plain text (writeText), the unit of Coding.start/end.
import { formatDpTimestamp } from "../transcripts/formats/timestamp.ts";
import { speakerLabel, type Word } from "../transcripts/formats/types.ts";

export const CONTEXT_WORDS = 12;

/** One paragraph with the offset of its block in the plain text (see BLOCK_LENGTH in sql.server.ts). */
export type PlacedParagraph = {
  position: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  words: Word[] | null;
  /** offset of the block's first character (the speaker label) */
  blockStart: number;
};

export type Passage = {
  before: string;
  text: string;
  after: string;
  /** whether a space stands between the context and the coded words (none before "." or inside a word) */
  gapBefore: boolean;
  gapAfter: boolean;
  /** every speaker of the passage, in order ("I, B" for a question and its answer) */
  speaker: string;
  /** ms where the segment starts: the word's start when word timings fit the text, else the paragraph's */
  startMs: number;
  paragraphPosition: number;
};

const cp = (s: string) => Array.from(s);

/** The block of a paragraph exactly as writeText writes it (without the blank line after it). */
export function blockText(p: Pick<PlacedParagraph, "speaker" | "text" | "endMs">): string {
  return [`${speakerLabel(p.speaker)}:`, p.text, formatDpTimestamp(p.endMs)].filter(Boolean).join(" ");
}

/** Where the paragraph's text starts inside its block, in code points. */
const textOffset = (p: Pick<PlacedParagraph, "speaker">) => cp(speakerLabel(p.speaker)).length + 2;

function lastWords(text: string, n: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const cut = words.slice(-n).join(" ");
  return words.length > n ? `… ${cut}` : cut;
}

function firstWords(text: string, n: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const cut = words.slice(0, n).join(" ");
  return words.length > n ? `${cut} …` : cut;
}

/** Index of the word in which a character offset of the text lies (0 when before the first word). */
export function wordIndexAt(text: string, offset: number): number {
  const head = cp(text).slice(0, offset).join("");
  const tokens = head.split(/\s+/).filter(Boolean).length;
  if (tokens === 0) return 0;
  return /\s$/.test(head) ? tokens : tokens - 1;
}

/**
 * The passage [start, end) from the paragraphs it touches (sorted by position, the first one containing
 * `start`). Context stays inside the paragraphs' texts: never the speaker label or the timestamp.
 */
export function passageOf(paragraphs: PlacedParagraph[], start: number, end: number, contextWords = CONTEXT_WORDS): Passage | null {
  const first = paragraphs[0];
  if (!first) return null;
  const last = paragraphs[paragraphs.length - 1]!;
  // The plain text from the first block's start to the last block's end.
  const whole = cp(paragraphs.map(blockText).join("\n\n"));
  const base = first.blockStart;
  const from = Math.max(0, start - base);
  const to = Math.min(whole.length, end - base);
  const firstTextStart = textOffset(first);
  const lastTextStart = last.blockStart - base + textOffset(last);
  const lastTextEnd = lastTextStart + cp(last.text).length;
  const before = whole.slice(Math.min(firstTextStart, from), from).join("");
  const after = whole.slice(Math.max(to, Math.min(to, lastTextEnd)), Math.max(to, lastTextEnd)).join("");
  const inText = Math.max(0, from - firstTextStart);
  const words = first.words;
  const tokenCount = first.text.split(/\s+/).filter(Boolean).length;
  const k = wordIndexAt(first.text, inText);
  const wordStart = words && words.length === tokenCount && words[k] ? words[k]!.s : null;
  // Across paragraphs the reader sees a line break and the next speaker, not the transcript's timestamp marks.
  const text = whole
    .slice(from, to)
    .join("")
    .replace(/ ?#\d{2}:\d{2}:\d{2}-\d#\n\n/g, "\n")
    .replace(/ ?#\d{2}:\d{2}:\d{2}-\d#$/, "");
  return {
    before: lastWords(before, contextWords),
    text,
    after: firstWords(after, contextWords),
    gapBefore: before === "" || /\s$/.test(before),
    gapAfter: after === "" || /^\s/.test(after),
    speaker: [...new Set(paragraphs.map((p) => p.speaker))].join(", "),
    startMs: wordStart ?? first.startMs,
    paragraphPosition: first.position,
  };
}
