// Editor document positions <-> code point offsets of the transcript's plain text (writeText, the unit codings are
// stored in: app/coding/anchoring.ts). The layout around each turn's text (speaker label, timestamp, blank line) is
// not copied here: it is read off writeText itself by marking where each paragraph's text starts and ends.
//
// A turn's text in the editor may still hold what a save cleans away (double spaces, a space at its end):
// offsets are mapped onto the cleaned text, as it will be stored.
import type { Node as PMNode } from "@tiptap/pm/model";
import { writeText } from "../../transcripts/formats/text.ts";
import type { Paragraph } from "../../transcripts/formats/types.ts";
import { OffsetMap, codePointLength } from "../anchoring.ts";
import type { EditorCoding } from "./codings-plugin.ts";
import type { ServerCoding } from "./types.ts";

/** Private-use characters that never occur in a transcript: they mark each text inside writeText's output. */
const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Where a paragraph's text sits in the plain text: [start, end) in code points; null for an empty paragraph. */
export type TextSpan = { start: number; end: number } | null;

export function textSpans(paragraphs: readonly Paragraph[]): { spans: TextSpan[]; length: number } {
  const marked = writeText(paragraphs.map((p) => (p.text ? { ...p, text: OPEN + p.text + CLOSE } : p)));
  const spans: TextSpan[] = paragraphs.map(() => null);
  const filled = paragraphs.flatMap((p, i) => (p.text ? [i] : []));
  let k = 0;
  let cp = 0;
  let start = 0;
  for (const ch of marked) {
    if (ch === OPEN) start = cp;
    else if (ch === CLOSE) spans[filled[k++]!] = { start, end: cp };
    else cp++;
  }
  return { spans, length: cp };
}

/** The text of a turn as a save stores it (fromEditor + normalizeParagraphs: whitespace runs -> one space, trimmed). */
export const cleanTurnText = (raw: string) => raw.replace(/\s+/g, " ").trim();

/** Code point offset in the cleaned text of a UTF-16 offset in the raw turn text. */
export function rawToClean(raw: string, offset: number, cleanLength: number): number {
  const prefix = raw.slice(0, offset).replace(/\s+/g, " ").trimStart();
  return Math.min(codePointLength(prefix), cleanLength);
}

/** The smallest UTF-16 offset in the raw turn text whose cleaned offset reaches `cp`. */
export function cleanToRaw(raw: string, cp: number, clean: string): number {
  if (raw === clean) return new OffsetMap(raw).toUtf16(cp);
  const cleanLength = codePointLength(clean);
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rawToClean(raw, mid, cleanLength) < cp) lo = mid + 1;
    else hi = mid;
  }
  // skip whitespace the cleaning dropped, so the position lands on the character itself
  while (lo < raw.length && /\s/.test(raw[lo]!) && rawToClean(raw, lo + 1, cleanLength) === cp) lo++;
  return lo;
}

/** Which side of a gap (between turns, in an empty turn) a position belongs to: a coding's start or its end. */
export type Bias = "start" | "end";

/**
 * Conversions for one state of the document. `paragraphs` are the turns as they would be saved (fromEditor), one
 * per child of `doc`, in order.
 */
export class PlainTextIndex {
  private readonly turnStarts: number[] = [];
  private readonly raws: string[] = [];
  readonly spans: TextSpan[];
  readonly length: number;

  constructor(
    private readonly doc: PMNode,
    private readonly paragraphs: readonly Paragraph[],
  ) {
    doc.forEach((node, offset) => {
      this.turnStarts.push(offset);
      this.raws.push(node.textContent);
    });
    if (this.turnStarts.length !== paragraphs.length) throw new Error("paragraphs do not match the document");
    const { spans, length } = textSpans(paragraphs);
    this.spans = spans;
    this.length = length;
  }

  /** Index of the turn whose node contains `pos` (or starts at it). */
  private turnAt(pos: number): number {
    let lo = 0;
    let hi = this.turnStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.turnStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** First text start at or after turn i (for a start), or last text end at or before it (for an end). */
  private gap(i: number, bias: Bias): number {
    if (bias === "start") {
      for (let j = i; j < this.spans.length; j++) if (this.spans[j]) return this.spans[j]!.start;
      return this.length;
    }
    for (let j = i; j >= 0; j--) if (this.spans[j]) return this.spans[j]!.end;
    return 0;
  }

  toCodePoint(pos: number, bias: Bias): number {
    const i = this.turnAt(pos);
    const span = this.spans[i];
    const textStart = this.turnStarts[i]! + 1;
    const raw = this.raws[i]!;
    if (pos < textStart) return bias === "start" ? this.gap(i, "start") : this.gap(i - 1, "end");
    if (pos > textStart + raw.length) return bias === "start" ? this.gap(i + 1, "start") : this.gap(i, "end");
    if (!span) return this.gap(i, bias);
    const offset = rawToClean(raw, pos - textStart, span.end - span.start);
    // the very end of a turn's text starts nothing, the very start ends nothing: move across the gap
    if (bias === "start" && offset === span.end - span.start) return this.gap(i + 1, "start");
    if (bias === "end" && offset === 0) return this.gap(i - 1, "end");
    return span.start + offset;
  }

  toPosition(cp: number, bias: Bias): number {
    // the paragraph whose text starts last at or before cp
    let found = -1;
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = this.spanAtOrBefore(mid);
      if (span !== null && this.spans[span]!.start <= cp) {
        found = span;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return this.textPos(this.nextFilled(0), 0, "start");
    const span = this.spans[found]!;
    if (cp <= span.end) return this.textPos(found, cp - span.start, bias);
    // in the layout between two texts
    const next = this.nextFilled(found + 1);
    return bias === "start" && next >= 0 ? this.textPos(next, 0, bias) : this.textPos(found, span.end - span.start, bias);
  }

  private spanAtOrBefore(i: number): number | null {
    for (let j = i; j >= 0; j--) if (this.spans[j]) return j;
    return null;
  }

  private nextFilled(i: number): number {
    for (let j = i; j < this.spans.length; j++) if (this.spans[j]) return j;
    return -1;
  }

  private textPos(i: number, cleanOffset: number, _bias: Bias): number {
    if (i < 0) return 1;
    return this.turnStarts[i]! + 1 + cleanToRaw(this.raws[i]!, cleanOffset, this.paragraphs[i]!.text);
  }
}

// One index per document state: the codings loaded with the page, an apply and the save before it convert positions
// of the same document.
const indexes = new WeakMap<PMNode, PlainTextIndex>();

export function indexFor(doc: PMNode, paragraphs: () => readonly Paragraph[]): PlainTextIndex {
  let index = indexes.get(doc);
  if (!index) {
    index = new PlainTextIndex(doc, paragraphs());
    indexes.set(doc, index);
  }
  return index;
}

/** Server codings as editor ranges (the document must hold the text the offsets refer to). */
export function toEditorCodings(index: PlainTextIndex, codings: readonly Pick<ServerCoding, "id" | "codeId" | "start" | "end" | "orphaned">[]): EditorCoding[] {
  return codings.map((c) => {
    const from = index.toPosition(c.start, "start");
    const to = index.toPosition(c.end, "end");
    if (c.orphaned || to <= from) return { id: c.id, codeId: c.codeId, from: 0, to: 0, orphaned: true };
    return { id: c.id, codeId: c.codeId, from, to, orphaned: false };
  });
}
