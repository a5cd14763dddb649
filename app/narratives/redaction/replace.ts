// Replacing every proposal of the engine by its own suggestion, without a review: what an export does when
// "replace identifying details" is chosen (placeholders like [Name], dates coarsened to season or year, as a
// narrative's accepted proposals read). The result keeps the edits, so offsets into the old text (a coding's
// selection) can be carried to the new one and still cover the same words.
import { detect, type DetectContext } from "./detect.ts";
import { isRoleLabel } from "../../transcripts/speakers.ts";
import { applySegment, buildProposals, keyOf, type Proposal } from "./proposals.ts";

/** One replaced span: [start, end) of the old text became [newStart, newEnd) of the new one (JavaScript offsets). */
export type Edit = { start: number; end: number; newStart: number; newEnd: number };
export type Replaced = { text: string; edits: Edit[] };

export function replaceIdentifying(text: string, ctx: DetectContext): Replaced {
  const hits = detect(text, ctx);
  if (!hits.length) return { text, edits: [] };
  const segment = { id: "export", text, hits };
  const accepted = new Map<string, Proposal>(
    buildProposals([segment], { decisions: [], nameMode: "placeholder" }).map((p) => [keyOf(p.text), { ...p, status: "accepted", replacement: p.suggestion }]),
  );
  const parts = applySegment(segment, accepted);
  // Parts alternate between plain text and replaced hits. A plain part may end differently from the old text
  // (the engine fits "am" before a coarsened date); that tail belongs to the following hit's edit.
  const edits: Edit[] = [];
  let at = 0;
  let out = 0;
  let hit = 0;
  let pending: { start: number; newStart: number } | null = null;
  for (const part of parts) {
    if (part.original !== undefined) {
      const h = hits[hit++]!;
      edits.push({ start: pending?.start ?? h.start, end: h.end, newStart: pending?.newStart ?? out, newEnd: out + part.text.length });
      pending = null;
      at = h.end;
    } else {
      const end = hits[hit]?.start ?? text.length;
      const old = text.slice(at, end);
      let same = 0;
      while (same < old.length && same < part.text.length && old[same] === part.text[same]) same++;
      if (same < old.length || same < part.text.length) pending = { start: at + same, newStart: out + same };
      at = end;
    }
    out += part.text.length;
  }
  if (pending) edits.push({ start: pending.start, end: text.length, newStart: pending.newStart, newEnd: out });
  return { text: parts.map((p) => p.text).join(""), edits };
}

/**
 * Carries a range of the old text to the new one: an end inside a replaced span moves to the replacement's end,
 * a start inside one to its beginning, so a selection covers the same words, and a selection wholly inside a
 * replaced span covers its placeholder. Offsets are JavaScript string offsets; edits sorted and disjoint.
 */
export function mapRange(edits: readonly Edit[], start: number, end: number): { start: number; end: number } {
  return { start: mapOffset(edits, start, "start"), end: mapOffset(edits, end, "end") };
}

function mapOffset(edits: readonly Edit[], offset: number, side: "start" | "end"): number {
  let shift = 0;
  for (const e of edits) {
    if (e.end <= offset) {
      shift += e.newEnd - e.newStart - (e.end - e.start);
      continue;
    }
    if (e.start < offset) return side === "start" ? e.newStart : e.newEnd;
    break;
  }
  return offset + shift;
}

/** Code point offsets of a string as JavaScript offsets and back (REFI-QDA and Coding count code points). */
export function codePointIndex(text: string) {
  const js: number[] = [0];
  for (const ch of text) js.push(js.at(-1)! + ch.length);
  return {
    toJs: (cp: number) => js[Math.max(0, Math.min(cp, js.length - 1))]!,
    toCp: (offset: number) => {
      let lo = 0;
      let hi = js.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (js[mid]! < offset) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

/**
 * Neutral labels for a transcript's speakers, in order of first appearance: every label other than the role
 * labels (I, I1, B, B2, D, D1 ...) and "" (unassigned) becomes P1, P2 ... A P label is itself a valid speaker label
 * (SPEAKER_NAME), so an exported text still reads back with its turns. Labels absent from the map stay as they are.
 */
export function neutralSpeakers(speakers: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of speakers) if (s !== "" && !isRoleLabel(s) && !out.has(s)) out.set(s, `P${out.size + 1}`);
  return out;
}
