// Coding anchors: where a coding sits in a transcript and how it follows edits (docs/decisions/0008).
// Shared by the server and the browser editor; no Node-only imports here.
//
// Unit: offsets are Unicode CODE POINTS into the transcript's plain text, `writeText(paragraphs)` (the Dresing &
// Pehl layout of the fixtures' int-0N.txt), 0-based, end exclusive: the unit REFI-QDA uses. JavaScript string
// indices are UTF-16 units; the helpers below convert.
//
// Mapping semantics (mapRange): a coding is the set of characters it covers, and it keeps covering the same
// surviving characters through any sequence of edits.
//   - deleting characters removes them from the coding (it shrinks);
//   - text inserted strictly between two of its characters joins it (it grows);
//   - text inserted at its start or end boundary stays outside;
//   - a replacement is a deletion followed by an insertion at the deletion's start;
//   - when every character it covered is deleted it becomes orphaned: it keeps a collapsed position
//     (start = end) where its text was, moves with later edits as a point (text inserted exactly at the point
//     goes after it), and never grows again. Orphans are kept for review, never dropped.
// Because insertions join only strictly inside, a coding always covers one contiguous span: from its first to its
// last surviving character.
import diff from "fast-diff";

/** [start, end) in code points. */
export type Span = { start: number; end: number };
/** A coding's position; orphaned = every character it covered was deleted (then start === end). */
export type Anchor = Span & { orphaned: boolean };
/**
 * One change of the text: replace the code points [start, end) by `insert` ("" = pure deletion, start === end =
 * pure insertion). A list of edits is applied in order: each edit's offsets refer to the text as the previous
 * edits left it (like editor transactions).
 */
export type Edit = { start: number; end: number; insert: string };

// ---- code points and UTF-16 ---------------------------------------------------------------------------------

/** Number of code points of a string (astral characters such as emoji count once). */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Code point offset of a UTF-16 index (an index inside a surrogate pair counts as the pair's start). */
export function utf16ToCodePoint(text: string, index: number): number {
  return codePointLength(text.slice(0, index)) - (isInsidePair(text, index) ? 1 : 0);
}

/** UTF-16 index of a code point offset (offsets beyond the end give text.length). */
export function codePointToUtf16(text: string, offset: number): number {
  let i = 0;
  for (let n = 0; n < offset && i < text.length; n++) i += isPairAt(text, i) ? 2 : 1;
  return i;
}

/** text[start, end) in code points. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const from = codePointToUtf16(text, start);
  return text.slice(from, from + codePointToUtf16(text.slice(from), end - start));
}

const isPairAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  const d = text.charCodeAt(i + 1);
  return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff;
};
const isInsidePair = (text: string, index: number) => index > 0 && index < text.length && isPairAt(text, index - 1);

/**
 * Fast conversions for one text (the editor converts many positions of a long transcript): O(log n) per call
 * after one pass over the text.
 */
export class OffsetMap {
  /** UTF-16 indices of the astral characters, ascending. */
  private readonly astral: number[] = [];
  readonly length: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (isPairAt(text, i)) {
        this.astral.push(i);
        i++;
      }
    }
    this.length = text.length - this.astral.length;
  }

  toCodePoint(index: number): number {
    // every astral character starting before `index` took two units (an index inside a pair gives the pair's start)
    return index - lowerBound(this.astral, index);
  }

  toUtf16(offset: number): number {
    // the k-th astral character (0-based) at UTF-16 index a sits at code point a - k
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid]! - mid < offset) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(this.text.length, offset + lo);
  }

  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- mapping ------------------------------------------------------------------------------------------------

// Many codings are mapped through the same edits: count each insertion's code points once.
const insertedLengths = new WeakMap<Edit, number>();
function insertedLength(edit: Edit): number {
  let n = insertedLengths.get(edit);
  if (n === undefined) insertedLengths.set(edit, (n = codePointLength(edit.insert)));
  return n;
}

/** Maps a coding's position through edits applied in order (semantics at the top of this file). */
export function mapRange(range: Span & { orphaned?: boolean }, edits: readonly Edit[]): Anchor {
  let { start, end } = range;
  let orphaned = Boolean(range.orphaned) || end <= start;
  if (orphaned) end = start;
  for (const edit of edits) {
    const inserted = insertedLength(edit);
    const removed = edit.end - edit.start;
    if (removed < 0 || edit.start < 0) throw new RangeError(`invalid edit [${edit.start}, ${edit.end})`);
    if (orphaned) {
      start = mapPoint(start, edit, inserted);
      end = start;
      continue;
    }
    // 1. deletion of [edit.start, edit.end)
    const shrink = (p: number) => (p <= edit.start ? p : p >= edit.end ? p - removed : edit.start);
    start = shrink(start);
    end = shrink(end);
    if (start === end) {
      orphaned = true;
      start = mapPoint(start, { start: start, end: start, insert: edit.insert }, inserted);
      end = start;
      continue;
    }
    // 2. insertion at edit.start: strictly inside grows the coding, at or before its start shifts it
    if (inserted > 0) {
      if (edit.start <= start) {
        start += inserted;
        end += inserted;
      } else if (edit.start < end) {
        end += inserted;
      }
    }
  }
  return { start, end, orphaned };
}

/** A collapsed position through one edit: deleted around it -> the deletion's start; text inserted at it goes after it. */
function mapPoint(point: number, edit: Edit, inserted: number): number {
  if (point <= edit.start) return point;
  if (point >= edit.end) return point - (edit.end - edit.start) + inserted;
  return edit.start;
}

/** Applies edits in order (for tests, and to check a client's edits against the text it sends). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of edits) {
    const map = new OffsetMap(out);
    if (edit.end > map.length) throw new RangeError(`edit [${edit.start}, ${edit.end}) beyond the text (${map.length})`);
    out = out.slice(0, map.toUtf16(edit.start)) + edit.insert + out.slice(map.toUtf16(edit.end));
  }
  return out;
}

/** Whether a span lies inside a text of `length` code points and covers at least one character. */
export const isValidSpan = (span: Span, length: number) =>
  Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start < span.end && span.end <= length;

/** Narrows a span so it neither starts nor ends with whitespace (a diff may leave a space at a coding's edge). */
export function trimSpan(text: OffsetMap, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/u.test(text.slice(start, start + 1))) start++;
  while (end > start && /\s/u.test(text.slice(end - 1, end))) end--;
  return start < end ? { start, end } : span;
}

const charAt = (text: OffsetMap, offset: number) => (offset >= 0 && offset < text.length ? text.slice(offset, offset + 1) : "");
/** Whether the offset lies between two word characters. */
const insideWord = (text: OffsetMap, offset: number) => isWordChar(charAt(text, offset - 1)) && isWordChar(charAt(text, offset));

/**
 * A coding through a before/after change (editsFromDiff of oldText and newText): mapRange, then an edge that was
 * at a word boundary and now falls inside a word is widened to that word (a typo fixed in a coding's last word,
 * "Kurs" -> "Kurse", keeps the whole word), and whitespace at the edges is dropped.
 */
export function followDiff(oldText: OffsetMap, coding: Anchor, newText: OffsetMap, edits: readonly Edit[]): Anchor {
  const mapped = mapRange(coding, edits);
  if (mapped.orphaned) return mapped;
  let { start, end } = mapped;
  if (!insideWord(oldText, coding.start)) while (insideWord(newText, start)) start--;
  if (!insideWord(oldText, coding.end)) while (insideWord(newText, end)) end++;
  return { ...trimSpan(newText, { start, end }), orphaned: false };
}

// ---- edits from before/after ----------------------------------------------------------------------------------

// Words (letters, marks, digits), runs of whitespace, and single other characters. The diff aligns only the words
// and punctuation (whitespace would tie with words and pull the alignment off them); what lies between two aligned
// tokens is one replaced run, narrowed to where the old and new run differ. So an edited word is replaced as a
// whole, and "Kurs" -> "Kurse" is the insertion of one letter.
const TOKEN = /[\p{L}\p{M}\p{N}]+|\s+|[^\s\p{L}\p{M}\p{N}]/gu;
const isSpace = (token: string) => /^\s/u.test(token);
// Token ids become BMP characters outside the surrogate range for fast-diff.
const FIRST_TOKEN_CHAR = 0x100;
const MAX_TOKENS = 0xd800 - FIRST_TOKEN_CHAR;

/**
 * Edits (in order, code points) that turn oldText into newText, for changes the server sees only as before and
 * after: version restore, an import replacing a transcript, saves without the editor's anchors.
 */
export function editsFromDiff(oldText: string, newText: string): Edit[] {
  if (oldText === newText) return [];
  const a = Array.from(oldText);
  const b = Array.from(newText);
  let prefix = 0;
  const shorter = Math.min(a.length, b.length);
  while (prefix < shorter && a[prefix] === b[prefix]) prefix++;
  // back to a token boundary, so the diff below sees whole words
  while (prefix > 0 && isWordChar(a[prefix - 1]!) && (isWordChar(a[prefix] ?? "") || isWordChar(b[prefix] ?? ""))) prefix--;
  let suffix = 0;
  while (suffix < shorter - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  while (suffix > 0 && isWordChar(a[a.length - suffix]!) && (isWordChar(a[a.length - suffix - 1] ?? "") || isWordChar(b[b.length - suffix - 1] ?? ""))) suffix--;
  const oldTokens = a.slice(prefix, a.length - suffix).join("").match(TOKEN) ?? [];
  const newTokens = b.slice(prefix, b.length - suffix).join("").match(TOKEN) ?? [];

  // indices of the aligned (non-whitespace) tokens, encoded one character each
  const ids = new Map<string, string>();
  const alignable = (tokens: string[]) => tokens.flatMap((t, i) => (isSpace(t) ? [] : [i]));
  const encode = (tokens: string[], indices: number[]) =>
    indices
      .map((i) => {
        let id = ids.get(tokens[i]!);
        if (id === undefined) {
          id = String.fromCharCode(FIRST_TOKEN_CHAR + Math.min(ids.size, MAX_TOKENS - 1));
          ids.set(tokens[i]!, id);
        }
        return id;
      })
      .join("");
  const oldIdx = alignable(oldTokens);
  const newIdx = alignable(newTokens);
  const encodedOld = encode(oldTokens, oldIdx);
  const encodedNew = encode(newTokens, newIdx);
  // more distinct words than characters to stand for them: one replaced run (still exact, only coarser)
  const pairs: [number, number][] = [];
  if (ids.size < MAX_TOKENS) {
    let oi = 0;
    let ni = 0;
    for (const [op, chars] of diff(encodedOld, encodedNew)) {
      if (op === diff.EQUAL) for (let k = 0; k < chars.length; k++) pairs.push([oldIdx[oi++]!, newIdx[ni++]!]);
      else if (op === diff.DELETE) oi += chars.length;
      else ni += chars.length;
    }
  }

  const edits: Edit[] = [];
  let pos = prefix; // code point position in the text as the edits so far left it
  let lastOld = 0;
  let lastNew = 0;
  for (const [o, n] of [...pairs, [oldTokens.length, newTokens.length] as [number, number]]) {
    const oldRun = Array.from(oldTokens.slice(lastOld, o).join(""));
    const newRun = Array.from(newTokens.slice(lastNew, n).join(""));
    edits.push(...replaceRun(pos, oldRun, newRun));
    pos += newRun.length + (o < oldTokens.length ? codePointLength(oldTokens[o]!) : 0);
    lastOld = o + 1;
    lastNew = n + 1;
  }
  return edits;
}

const isWordChar = (c: string) => c !== "" && /[\p{L}\p{M}\p{N}]/u.test(c);

/** One replacement of oldRun by newRun at `at`, narrowed to what differs (none if they are equal). */
function replaceRun(at: number, oldRun: string[], newRun: string[]): Edit[] {
  let head = 0;
  const shorter = Math.min(oldRun.length, newRun.length);
  while (head < shorter && oldRun[head] === newRun[head]) head++;
  let tail = 0;
  while (tail < shorter - head && oldRun[oldRun.length - 1 - tail] === newRun[newRun.length - 1 - tail]) tail++;
  if (head === oldRun.length && head === newRun.length) return [];
  return [{ start: at + head, end: at + oldRun.length - tail, insert: newRun.slice(head, newRun.length - tail).join("") }];
}
