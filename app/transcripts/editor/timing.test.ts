// The editor's timing rules as plain functions: split at the word nearest the cursor (or in proportion),
// merge keeps start of the first and end of the second, new paragraphs get times from their neighbours,
// clicks seek to the word or the paragraph start.
import { alignWords, fillTimes, mergeTiming, paragraphAt, seekTimeAt, splitTiming, tokenize } from "./timing.ts";
import type { Word } from "../formats/types.ts";

const words: Word[] = [
  { t: "Ich", s: 1000, e: 1300 },
  { t: "habe", s: 1300, e: 1600 },
  { t: "Pharmazie", s: 1700, e: 2400 },
  { t: "studiert.", s: 2400, e: 3000 },
];
const text = "Ich habe Pharmazie studiert.";

describe("split", () => {
  it("divides at the start of the first word after the cursor and hands each half its words", () => {
    const [a, b] = splitTiming(text, text.indexOf("Pharmazie"), { startMs: 900, endMs: 3200, words });
    expect(a).toEqual({ startMs: 900, endMs: 1700, words: words.slice(0, 2) });
    expect(b).toEqual({ startMs: 1700, endMs: 3200, words: words.slice(2) });
  });

  it("inside a word, the word goes to the second paragraph", () => {
    const [a, b] = splitTiming(text, text.indexOf("rmazie"), { startMs: 900, endMs: 3200, words });
    expect(a.endMs).toBe(1700);
    expect(b.words).toEqual(words.slice(2));
  });

  it("at the end, the last word's end divides", () => {
    const [a, b] = splitTiming(text, text.length, { startMs: 900, endMs: 3200, words });
    expect([a.endMs, b.startMs, b.words]).toEqual([3000, 3000, []]);
  });

  it("without word timings, divides in proportion to the text", () => {
    const [a, b] = splitTiming("abcdefghij", 3, { startMs: 1000, endMs: 2000, words: null });
    expect([a.startMs, a.endMs, b.startMs, b.endMs]).toEqual([1000, 1300, 1300, 2000]);
  });

  it("still finds word timings after the text was edited", () => {
    const edited = "Ich hatte Pharmazie studiert.";
    const [a] = splitTiming(edited, edited.indexOf("Pharmazie"), { startMs: 900, endMs: 3200, words });
    expect(a.endMs).toBe(1700);
  });
});

describe("merge and fill", () => {
  it("merge: start of the first, end of the second, words joined", () => {
    expect(mergeTiming({ startMs: 0, endMs: 1000, words: [words[0]!] }, { startMs: 1000, endMs: 5000, words: null })).toEqual({ startMs: 0, endMs: 5000, words: [words[0]!] });
  });

  it("new paragraphs take their times from the neighbours; the others keep theirs", () => {
    const filled = fillTimes([
      { startMs: 0, endMs: 1000 },
      { startMs: null, endMs: null },
      { startMs: 4000, endMs: 5000 },
      { startMs: null, endMs: null },
    ]);
    expect(filled.map((p) => [p.startMs, p.endMs])).toEqual([
      [0, 1000],
      [1000, 4000],
      [4000, 5000],
      [5000, 5000],
    ]);
  });
});

describe("seeking and the playing paragraph", () => {
  it("a click on a word seeks to the word, elsewhere to the paragraph start", () => {
    expect(seekTimeAt(text, text.indexOf("Pharmazie") + 2, { startMs: 900, endMs: 3200, words })).toBe(1700);
    expect(seekTimeAt(text, 2, { startMs: 900, endMs: 3200, words: null })).toBe(900);
  });

  it("aligns edited text with the engine's words", () => {
    const aligned = alignWords(tokenize("Ich habe (lacht) Pharmazie studiert"), words);
    expect(aligned).toEqual([0, 1, null, 2, 3]);
  });

  it("finds the paragraph that is playing, the last one including its end", () => {
    const ps = [{ startMs: 0, endMs: 1000 }, { startMs: 1000, endMs: 2000 }];
    expect([paragraphAt(ps, 0), paragraphAt(ps, 999), paragraphAt(ps, 1000), paragraphAt(ps, 2000), paragraphAt(ps, 2001)]).toEqual([0, 0, 1, 1, -1]);
  });
});
