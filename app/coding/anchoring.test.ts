// Coding anchors against a reference model: every character of the text carries an identity, a coding is the set
// of identities it covers, and text inserted strictly between two of its characters joins it. Random edit sequences
// (insert, delete, replace, across paragraph breaks, whole codings deleted, umlauts and astral characters) are
// applied to the model and, as Edit lists, through mapRange; both must agree on every coding.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  OffsetMap,
  applyEdits,
  codePointLength,
  codePointToUtf16,
  editsFromDiff,
  followDiff,
  mapRange,
  sliceCodePoints,
  utf16ToCodePoint,
  type Edit,
} from "./anchoring.ts";

const SEED = 20251128;
const ALPHABET = ["a", "b", "e", "n", "s", "t", "ä", "ö", "ü", "ß", "Ä", " ", " ", ".", ",", "\n\n", "😀", "𝔘", "é"];
const textArb = fc.array(fc.constantFrom(...ALPHABET), { minLength: 0, maxLength: 60 }).map((parts) => parts.join(""));

type ModelChar = { ch: string; id: number };
type EditSpec =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "replace"; at: number; length: number; text: string }
  | { kind: "deleteCoding"; coding: number; extraBefore: number; extraAfter: number };

const editArb: fc.Arbitrary<EditSpec> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: textArb.filter((t) => t.length > 0) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 25 }) }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 12 }), text: textArb }),
  fc.record({ kind: fc.constant("deleteCoding" as const), coding: fc.nat(), extraBefore: fc.integer({ min: 0, max: 3 }), extraAfter: fc.integer({ min: 0, max: 3 }) }),
);

const scenarioArb = fc.record({
  text: textArb.filter((t) => codePointLength(t) >= 2),
  codings: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 6 }),
  edits: fc.array(editArb, { minLength: 1, maxLength: 12 }),
});

/** Positions in the model of the coding's members (ascending). */
const memberPositions = (model: ModelChar[], members: Set<number>) => model.flatMap((c, i) => (members.has(c.id) ? [i] : []));

describe("mapRange", () => {
  it("keeps every coding on exactly the characters the reference model says, through random edit sequences", () => {
    fc.assert(
      fc.property(scenarioArb, ({ text, codings, edits: specs }) => {
        let nextId = 0;
        let model: ModelChar[] = Array.from(text).map((ch) => ({ ch, id: nextId++ }));
        const n = model.length;
        const spans = codings.map(([x, y]) => {
          const a = Math.min(n - 1, Math.floor(x * n));
          const b = Math.min(n, a + 1 + Math.floor(y * (n - a)));
          return { start: a, end: Math.max(a + 1, b) };
        });
        const members = spans.map((s) => new Set(model.slice(s.start, s.end).map((c) => c.id)));
        const edits: Edit[] = [];

        for (const spec of specs) {
          const len = model.length;
          let start: number;
          let end: number;
          let insert = "";
          if (spec.kind === "insert") {
            start = end = Math.min(len, Math.floor(spec.at * (len + 1)));
            insert = spec.text;
          } else if (spec.kind === "deleteCoding") {
            const positions = memberPositions(model, members[spec.coding % members.length]!);
            if (!positions.length) continue;
            start = Math.max(0, positions[0]! - spec.extraBefore);
            end = Math.min(len, positions.at(-1)! + 1 + spec.extraAfter);
          } else {
            if (len === 0) continue;
            start = Math.min(len - 1, Math.floor(spec.at * len));
            end = Math.min(len, start + spec.length);
            insert = spec.kind === "replace" ? spec.text : "";
          }
          edits.push({ start, end, insert });
          // the model: delete, then insert with fresh identities that join a coding only strictly inside it
          model.splice(start, end - start);
          const fresh = Array.from(insert).map((ch) => ({ ch, id: nextId++ }));
          for (const set of members) {
            const before = model[start - 1];
            const after = model[start];
            if (before && after && set.has(before.id) && set.has(after.id)) for (const c of fresh) set.add(c.id);
          }
          model = [...model.slice(0, start), ...fresh, ...model.slice(start)];
        }

        const finalText = model.map((c) => c.ch).join("");
        expect(applyEdits(text, edits)).toBe(finalText);
        spans.forEach((span, k) => {
          const mapped = mapRange({ ...span, orphaned: false }, edits);
          const positions = memberPositions(model, members[k]!);
          if (!positions.length) {
            expect(mapped.orphaned).toBe(true);
            expect(mapped.start).toBe(mapped.end);
            expect(mapped.start).toBeGreaterThanOrEqual(0);
            expect(mapped.start).toBeLessThanOrEqual(model.length);
          } else {
            // members are always contiguous: the coding is exactly the span from its first to its last member
            expect(positions.at(-1)! - positions[0]! + 1).toBe(positions.length);
            expect(mapped).toEqual({ start: positions[0], end: positions.at(-1)! + 1, orphaned: false });
            expect(sliceCodePoints(finalText, mapped.start, mapped.end)).toBe(positions.map((i) => model[i]!.ch).join(""));
          }
        });
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("documents the boundary rules on a small example", () => {
    const coding = { start: 4, end: 9, orphaned: false }; // "Haus " in "Das Haus steht" -> [4, 9) = "Haus "
    expect(mapRange(coding, [{ start: 4, end: 4, insert: "alte " }])).toEqual({ start: 9, end: 14, orphaned: false }); // at the start: outside
    expect(mapRange(coding, [{ start: 9, end: 9, insert: "X" }])).toEqual({ start: 4, end: 9, orphaned: false }); // at the end: outside
    expect(mapRange(coding, [{ start: 6, end: 6, insert: "XY" }])).toEqual({ start: 4, end: 11, orphaned: false }); // strictly inside: grows
    expect(mapRange(coding, [{ start: 2, end: 6, insert: "" }])).toEqual({ start: 2, end: 5, orphaned: false }); // deletion over its start: shrinks
    expect(mapRange(coding, [{ start: 3, end: 10, insert: "neu" }])).toEqual({ start: 3, end: 3, orphaned: true }); // all deleted: orphaned before the replacement
    expect(mapRange({ start: 3, end: 3, orphaned: true }, [{ start: 0, end: 1, insert: "" }, { start: 2, end: 2, insert: "zz" }])).toEqual({ start: 2, end: 2, orphaned: true });
  });
});

describe("code points and UTF-16", () => {
  it("converts both ways around astral characters and agrees with OffsetMap", () => {
    fc.assert(
      fc.property(textArb, fc.double({ min: 0, max: 1, noNaN: true }), (text, x) => {
        const map = new OffsetMap(text);
        const cps = Array.from(text);
        expect(map.length).toBe(cps.length);
        expect(codePointLength(text)).toBe(cps.length);
        const cp = Math.min(cps.length, Math.floor(x * (cps.length + 1)));
        const u16 = cps.slice(0, cp).join("").length;
        expect(codePointToUtf16(text, cp)).toBe(u16);
        expect(map.toUtf16(cp)).toBe(u16);
        expect(utf16ToCodePoint(text, u16)).toBe(cp);
        expect(map.toCodePoint(u16)).toBe(cp);
        expect(map.slice(cp, cps.length)).toBe(cps.slice(cp).join(""));
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(utf16ToCodePoint("a😀b", 2)).toBe(1); // inside the pair: its start
    expect(new OffsetMap("a😀b").toCodePoint(2)).toBe(1);
  });
});

// ---- editsFromDiff on word-level edits ------------------------------------------------------------------------

// Old words begin and end with a letter of one set, new words with letters of another, so a replaced word never
// shares its first or last character with the word it replaces; inside, umlauts and astral letters (𐐷, 𝔘).
const innerArb = fc.array(fc.constantFrom("a", "e", "ö", "ß", "ü", "𐐷", "n", "r"), { minLength: 0, maxLength: 4 }).map((p) => p.join(""));
const wordArb = (edge: string[]) => fc.tuple(fc.constantFrom(...edge), innerArb, fc.constantFrom(...edge)).map(([a, m, b]) => a + m + b);
const OLD_EDGE = ["k", "l", "m", "Ä", "𝔘"];
const NEW_EDGE = ["x", "y", "z", "Ö", "𝔙"];

type WordEdit = { kind: "insert" | "delete" | "replace"; at: number; count: number };
const wordEditArb: fc.Arbitrary<WordEdit> = fc.record({
  kind: fc.constantFrom("insert" as const, "delete" as const, "replace" as const),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  count: fc.integer({ min: 1, max: 3 }),
});

describe("editsFromDiff", () => {
  it("keeps codings on the same words when words are inserted, deleted and replaced", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(wordArb(OLD_EDGE), { minLength: 3, maxLength: 30 }),
        fc.uniqueArray(wordArb(NEW_EDGE), { minLength: 10, maxLength: 10 }),
        fc.array(fc.constantFrom(" ", " ", " ", "\n\n"), { minLength: 30, maxLength: 30 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 5 }),
        fc.array(wordEditArb, { minLength: 1, maxLength: 4 }),
        (oldWords, freshWords, separators, codingSpecs, wordEdits) => {
          const join = (words: string[]) => words.map((w, i) => (i === 0 ? w : separators[i % separators.length] + w)).join("") + "\n";
          const oldText = join(oldWords);
          // each word with its code point span in the old text
          const starts: number[] = [];
          let at = 0;
          oldWords.forEach((w, i) => {
            if (i > 0) at += codePointLength(separators[i % separators.length]!);
            starts.push(at);
            at += codePointLength(w);
          });
          const codings = codingSpecs.map(([x, count]) => {
            const first = Math.min(oldWords.length - 1, Math.floor(x * oldWords.length));
            const last = Math.min(oldWords.length - 1, first + count - 1);
            return { first, last, span: { start: starts[first]!, end: starts[last]! + codePointLength(oldWords[last]!), orphaned: false } };
          });

          let words = [...oldWords];
          let fresh = 0;
          for (const e of wordEdits) {
            const i = Math.floor(e.at * words.length);
            const take = () => freshWords.slice(fresh, (fresh += e.count)).filter(Boolean);
            if (e.kind === "insert") words.splice(i, 0, ...take());
            else if (e.kind === "delete") words.splice(i, e.count);
            else words.splice(i, e.count, ...take());
            if (!words.length) words = [freshWords[9]!];
          }
          const newText = join(words);
          const edits = editsFromDiff(oldText, newText);
          expect(applyEdits(oldText, edits)).toBe(newText);

          const oldMap = new OffsetMap(oldText);
          const newMap = new OffsetMap(newText);
          for (const c of codings) {
            const coded = new Set(oldWords.slice(c.first, c.last + 1));
            const surviving = words.map((w, i) => (coded.has(w) ? i : -1)).filter((i) => i >= 0);
            const mapped = followDiff(oldMap, c.span, newMap, edits);
            if (!surviving.length) {
              expect(mapped.orphaned).toBe(true);
              continue;
            }
            // the words from its first to its last surviving word, new words between them included
            const expected = words.slice(surviving[0], surviving.at(-1)! + 1);
            expect(mapped.orphaned).toBe(false);
            expect(newMap.slice(mapped.start, mapped.end).split(/\s+/u)).toEqual(expected);
          }
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("keeps a coding's whole word when a typo in its last or first word is fixed", () => {
    const before = "B: Der Deutschkurs war in Schopfheim. #00:01:30-6#\n";
    const after = "B: Der Deutschkurse war in Schopfheim! #00:01:30-6#\n";
    const oldMap = new OffsetMap(before);
    const newMap = new OffsetMap(after);
    const edits = editsFromDiff(before, after);
    const span = (text: string, part: string) => ({ start: codePointLength(text.slice(0, text.indexOf(part))), end: codePointLength(text.slice(0, text.indexOf(part) + part.length)), orphaned: false });
    const last = followDiff(oldMap, span(before, "Der Deutschkurs"), newMap, edits);
    expect(newMap.slice(last.start, last.end)).toBe("Der Deutschkurse");
    const first = followDiff(oldMap, span(before, "Deutschkurs war"), newMap, edits);
    expect(newMap.slice(first.start, first.end)).toBe("Deutschkurse war");
    const inner = followDiff(oldMap, span(before, "war in Schopfheim."), newMap, edits);
    expect(newMap.slice(inner.start, inner.end)).toBe("war in Schopfheim");
  });

  it("returns no edits for equal texts and one edit for a change in one place", () => {
    expect(editsFromDiff("I: Hallo 😀 Welt\n", "I: Hallo 😀 Welt\n")).toEqual([]);
    expect(editsFromDiff("I: Hallo 😀 Welt\n", "I: Hallo 😀 schöne Welt\n")).toEqual([{ start: 11, end: 11, insert: "schöne " }]);
  });
});
