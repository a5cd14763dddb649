// An imported plain text becomes transcript paragraphs, and the app's plain text of a transcript is always
// writeText(paragraphs) (speaker label, text, timestamp). Another tool's text rarely has that exact form, so
// this module also maps every code point offset of the source text to the stored text: a coding keeps
// covering the same words. Texts that already are in that form (our own exports) map one to one.
//
// Paragraphs: a speaker label (I:, B:, D: ...) or a blank line starts one; a timestamp #hh:mm:ss-t# at a
// line's end closes it and gives its end time. Lines of a labelled turn are joined; in a text without labels
// every line is a paragraph of its own. Runs of white space become one space, as in the editor.
import { writeText } from "../transcripts/formats/text.ts";
import { DP_TIMESTAMP_AT_END, dpMatchToMs } from "../transcripts/formats/timestamp.ts";
import { SPEAKER_LABEL, speakerFromLabel, speakerLabel, type Paragraph } from "../transcripts/formats/types.ts";

export type TextLayout = {
  paragraphs: Paragraph[];
  /** writeText(paragraphs) */
  text: string;
  /** A source range [start, end) in code points as a range of `text`, or null when it covers no text (only labels, timestamps, spaces). */
  mapRange(start: number, end: number): { start: number; end: number } | null;
};

const isSpace = (ch: string) => /[\s\u00a0]/.test(ch);
const cpLength = (s: string) => Array.from(s).length;

type Draft = { speaker: string; labelled: boolean; closed: boolean; pieces: [number, number][]; endMs: number | null };

function drafts(cps: string[]): Draft[] {
  const out: Draft[] = [];
  let current: Draft | null = null;
  let i = 0;
  while (i <= cps.length) {
    // One line: [i, lineEnd), then its line break (\r\n, \r or \n).
    let lineEnd = i;
    while (lineEnd < cps.length && cps[lineEnd] !== "\n" && cps[lineEnd] !== "\r") lineEnd++;
    let a = i;
    let b = lineEnd;
    while (a < b && isSpace(cps[a]!)) a++;
    while (b > a && isSpace(cps[b - 1]!)) b--;
    if (a === b) {
      current = null; // a blank line ends the paragraph
    } else {
      let start = a;
      const line = cps.slice(a, b).join("");
      const label = SPEAKER_LABEL.exec(line);
      if (label) {
        current = { speaker: speakerFromLabel(label[1]!), labelled: true, closed: false, pieces: [], endMs: null };
        out.push(current);
        start += cpLength(label[0]);
      } else if (!current || current.closed || !current.labelled) {
        current = { speaker: "", labelled: false, closed: false, pieces: [], endMs: null };
        out.push(current);
      }
      let end = b;
      const rest = cps.slice(start, b).join("");
      const stamp = DP_TIMESTAMP_AT_END.exec(rest);
      const ms = stamp ? dpMatchToMs(stamp) : null;
      if (stamp && ms !== null) {
        end = start + cpLength(rest.slice(0, stamp.index));
        current.endMs = ms;
        current.closed = true;
      }
      if (end > start) current.pieces.push([start, end]);
    }
    if (lineEnd >= cps.length) break;
    i = lineEnd + (cps[lineEnd] === "\r" && cps[lineEnd + 1] === "\n" ? 2 : 1);
  }
  return out;
}

/** The paragraph text with white space collapsed, and for each of its code points the source position it came from. */
function clean(cps: string[], pieces: [number, number][]): { text: string[]; src: number[] } {
  const text: string[] = [];
  const src: number[] = [];
  let pendingSpace = -1; // source position of the white space run waiting to become one space
  pieces.forEach(([start, end], n) => {
    if (n > 0 && pendingSpace < 0) pendingSpace = pieces[n - 1]![1]; // the line break between two lines
    for (let p = start; p < end; p++) {
      const ch = cps[p]!;
      if (isSpace(ch)) {
        if (pendingSpace < 0) pendingSpace = p;
        continue;
      }
      if (pendingSpace >= 0 && text.length) {
        text.push(" ");
        src.push(pendingSpace);
      }
      pendingSpace = -1;
      text.push(ch);
      src.push(p);
    }
  });
  return { text, src };
}

/** Times for turns without a timestamp: the time up to the next timestamp, shared by text length (as parseText does). */
function timed(items: { speaker: string; text: string; endMs: number | null }[]): Paragraph[] {
  const out: Paragraph[] = [];
  let groupStart = 0;
  let previousEnd = 0;
  for (let i = 0; i < items.length; i++) {
    const stamp = items[i]!.endMs;
    if (stamp === null) continue;
    const end = Math.max(previousEnd, stamp);
    const weights = items.slice(groupStart, i + 1).map((t) => Math.max(1, t.text.length));
    const total = weights.reduce((x, y) => x + y, 0);
    let at = previousEnd;
    let acc = 0;
    for (let j = groupStart; j <= i; j++) {
      acc += weights[j - groupStart]!;
      const stop = j === i ? end : previousEnd + Math.round(((end - previousEnd) * acc) / total);
      out.push({ speaker: items[j]!.speaker, startMs: at, endMs: stop, text: items[j]!.text });
      at = stop;
    }
    previousEnd = end;
    groupStart = i + 1;
  }
  for (let j = groupStart; j < items.length; j++) out.push({ speaker: items[j]!.speaker, startMs: previousEnd, endMs: previousEnd, text: items[j]!.text });
  return out;
}

export function layoutText(source: string): TextLayout {
  const cps = Array.from(source);
  const cleaned = drafts(cps)
    .map((d) => ({ draft: d, ...clean(cps, d.pieces) }))
    .filter((d) => d.text.length > 0);
  const paragraphs = timed(cleaned.map((d) => ({ speaker: d.draft.speaker, text: d.text.join(""), endMs: d.draft.endMs })));
  const text = writeText(paragraphs);

  // Our own exports (and any text already in this form) map one to one.
  if (text === source) {
    return { paragraphs, text, mapRange: (start, end) => (end > start ? { start, end } : null) };
  }

  // anchors: output offset -> source offset, increasing in both.
  const out: number[] = [];
  const srcOf: number[] = [];
  let base = 0;
  paragraphs.forEach((p, i) => {
    const textStart = base + cpLength(`${speakerLabel(p.speaker)}: `);
    cleaned[i]!.src.forEach((s, k) => {
      out.push(textStart + k);
      srcOf.push(s);
    });
    base += cpLength(writeText([p])) - 1 + 2;
  });
  const firstAtOrAfter = (p: number) => {
    let lo = 0;
    let hi = srcOf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (srcOf[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    paragraphs,
    text,
    mapRange(start, end) {
      const first = firstAtOrAfter(start);
      const last = firstAtOrAfter(end) - 1; // last anchor before end
      if (first > last) return null;
      return { start: out[first]!, end: out[last]! + 1 };
    },
  };
}
