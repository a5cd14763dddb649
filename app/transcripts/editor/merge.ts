// After a refused save (someone saved the transcript meanwhile): which turns this page changed since the version it
// edited (its base), what the stored version has there, and the three-way merge of the two, as version control
// merges lines. Turns are compared by speaker, times and text. Pure functions, used in the browser.
import type { Paragraph } from "../formats/types.ts";
import type { SpeakerRoles } from "../speakers.ts";

// ---- longest common subsequence ----------------------------------------------------------------------------------

/** Beyond this many cells the table is not built: everything between the common ends counts as changed. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Pairs of indices (i in a, j in b) of a longest common subsequence of equal items, ascending. The common start and
 * end are taken first (usually all but a few turns or words), so the table covers only what lies between them.
 */
export function lcsPairs<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean = Object.is): [number, number][] {
  let start = 0;
  while (start < a.length && start < b.length && same(a[start]!, b[start]!)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && same(a[endA - 1]!, b[endB - 1]!)) {
    endA--;
    endB--;
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < start; i++) pairs.push([i, i]);
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0 && n * m <= MAX_LCS_CELLS) {
    // lengths of the common subsequence of a[i..] and b[j..], row by row
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] = same(a[start + i]!, b[start + j]!) ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (same(a[start + i]!, b[start + j]!)) {
        pairs.push([start + i, start + j]);
        i++;
        j++;
      } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
      else j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) pairs.push([endA + k, endB + k]);
  return pairs;
}

// ---- words ---------------------------------------------------------------------------------------------------------

export type DiffPart = { kind: "same" | "removed" | "added"; text: string };

/** Which tokens of `a` and of `b` are not in their longest common subsequence (true: only on that side). */
export function changedTokens(a: readonly string[], b: readonly string[]): { a: boolean[]; b: boolean[] } {
  const onlyA = a.map(() => true);
  const onlyB = b.map(() => true);
  for (const [i, j] of lcsPairs(a, b)) {
    onlyA[i] = false;
    onlyB[j] = false;
  }
  return { a: onlyA, b: onlyB };
}

const words = (text: string) => text.split(/\s+/u).filter(Boolean);

/** The word-level difference from `a` to `b`: runs of common, removed and added words, in reading order. */
export function diffWords(a: string, b: string): DiffPart[] {
  const wa = words(a);
  const wb = words(b);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], word: string) => {
    const last = parts.at(-1);
    if (last?.kind === kind) last.text += ` ${word}`;
    else parts.push({ kind, text: word });
  };
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...lcsPairs(wa, wb), [wa.length, wb.length] as [number, number]]) {
    while (i < pi) push("removed", wa[i++]!);
    while (j < pj) push("added", wb[j++]!);
    if (pi < wa.length) push("same", wa[pi]!);
    i = pi + 1;
    j = pj + 1;
  }
  return parts;
}

// ---- turns ---------------------------------------------------------------------------------------------------------

/** Speaker, times and text: what a change of a turn is (word timings follow the text). */
export const sameTurn = (x: Paragraph, y: Paragraph) => x.speaker === y.speaker && x.startMs === y.startMs && x.endMs === y.endMs && x.text === y.text;
const sameTurns = (x: readonly Paragraph[], y: readonly Paragraph[]) => x.length === y.length && x.every((p, i) => sameTurn(p, y[i]!));

/**
 * A stretch of the transcript that differs from the base on at least one side: `base` turns became `mine` here and
 * `theirs` in the stored version (an empty side: deleted there, or nothing inserted).
 * - "mine": only this page changed it (merges cleanly: the stored version has the base's turns here)
 * - "theirs": only the stored version changed it (taken without asking)
 * - "both": both changed it differently (needs a choice)
 * - "same": both made the same change
 */
export type Chunk = { id: number; kind: "mine" | "theirs" | "both" | "same"; base: Paragraph[]; mine: Paragraph[]; theirs: Paragraph[] };
export type Segment = { kind: "stable"; turns: Paragraph[] } | Chunk;

type Range = { base: [number, number]; mine: [number, number]; theirs: [number, number] };

/** For each base turn, the index of the same turn on the other side, or -1. */
function matchOf(base: readonly Paragraph[], other: readonly Paragraph[]): Int32Array {
  const map = new Int32Array(base.length).fill(-1);
  for (const [i, j] of lcsPairs(base, other, sameTurn)) map[i] = j;
  return map;
}

/**
 * Three-way merge of turns. Base turns kept on both sides are stable; the stretches between them are chunks. A
 * chunk is cut further wherever both sides keep a turn next to the cut (an edit of turn 5 here and of turn 6 there
 * are two chunks, not one conflict), and a conflicting chunk with as many turns on every side is compared turn by
 * turn.
 */
export function mergeTurns(base: readonly Paragraph[], mine: readonly Paragraph[], theirs: readonly Paragraph[]): Segment[] {
  const inMine = matchOf(base, mine);
  const inTheirs = matchOf(base, theirs);
  const segments: Segment[] = [];
  let nextId = 0;
  const slice = (r: Range) => ({ base: base.slice(...r.base), mine: mine.slice(...r.mine), theirs: theirs.slice(...r.theirs) });
  const classify = (r: Range) => {
    const { base: b, mine: m, theirs: t } = slice(r);
    const mineSame = sameTurns(m, b);
    const theirsSame = sameTurns(t, b);
    if (mineSame && theirsSame) {
      if (b.length) segments.push({ kind: "stable", turns: b });
      return;
    }
    const kind = mineSame ? "theirs" : theirsSame ? "mine" : sameTurns(m, t) ? "same" : "both";
    if (kind === "both" && b.length > 1 && m.length === b.length && t.length === b.length) {
      for (let k = 0; k < b.length; k++) {
        classify({ base: [r.base[0] + k, r.base[0] + k + 1], mine: [r.mine[0] + k, r.mine[0] + k + 1], theirs: [r.theirs[0] + k, r.theirs[0] + k + 1] });
      }
      return;
    }
    segments.push({ id: nextId++, kind, base: b, mine: m, theirs: t });
  };
  // Where a side stands at the boundary before base turn `b`, when a kept turn beside it says so.
  const at = (map: Int32Array, b: number): number | null => (b > 0 && map[b - 1]! >= 0 ? map[b - 1]! + 1 : b < map.length && map[b]! >= 0 ? map[b]! : null);
  const chunk = (r: Range) => {
    let from: Range["base"][0] = r.base[0];
    let mineFrom = r.mine[0];
    let theirsFrom = r.theirs[0];
    for (let b = r.base[0] + 1; b < r.base[1]; b++) {
      const m = at(inMine, b);
      const t = at(inTheirs, b);
      if (m === null || t === null) continue;
      classify({ base: [from, b], mine: [mineFrom, m], theirs: [theirsFrom, t] });
      from = b;
      mineFrom = m;
      theirsFrom = t;
    }
    classify({ base: [from, r.base[1]], mine: [mineFrom, r.mine[1]], theirs: [theirsFrom, r.theirs[1]] });
  };
  let i = 0;
  let j = 0;
  let k = 0;
  while (i <= base.length) {
    // the next base turn kept on both sides (or the end)
    let s = i;
    while (s < base.length && (inMine[s]! < 0 || inTheirs[s]! < 0)) s++;
    const mineTo = s < base.length ? inMine[s]! : mine.length;
    const theirsTo = s < base.length ? inTheirs[s]! : theirs.length;
    if (s > i || mineTo > j || theirsTo > k) chunk({ base: [i, s], mine: [j, mineTo], theirs: [k, theirsTo] });
    if (s === base.length) break;
    const last = segments.at(-1);
    if (last?.kind === "stable") last.turns.push(base[s]!);
    else segments.push({ kind: "stable", turns: [base[s]!] });
    i = s + 1;
    j = mineTo + 1;
    k = theirsTo + 1;
  }
  return segments;
}

/** The chunks this page changed and the stored version does not have yet: what the conflict panel lists. */
export const unsavedChunks = (segments: readonly Segment[]): Chunk[] => segments.filter((s): s is Chunk => s.kind === "mine" || s.kind === "both");

export type Choice = "mine" | "saved";

/**
 * The stored version with the chosen chunks of this page applied: stable turns and the stored version's own changes
 * as they are, a listed chunk as chosen (unchosen ones keep the stored turns).
 */
export function applyChoices(segments: readonly Segment[], choices: ReadonlyMap<number, Choice>): Paragraph[] {
  return segments.flatMap((s) => (s.kind === "stable" ? s.turns : choices.get(s.id) === "mine" && (s.kind === "mine" || s.kind === "both") ? s.mine : s.theirs));
}

/** Roles of speaker labels merged the same way: a label whose role this page changed takes this page's. */
export function mergeRoles(base: SpeakerRoles, mine: SpeakerRoles, theirs: SpeakerRoles): SpeakerRoles {
  const merged: SpeakerRoles = { ...theirs };
  for (const label of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    if (mine[label] === base[label]) continue;
    if (mine[label] === undefined) delete merged[label];
    else merged[label] = mine[label]!;
  }
  return merged;
}
