// Where windows are cut, how engine output becomes segments, words and paragraphs (pure functions).
import { describe, expect, it } from "vitest";
import { findCut, planWindow, resumePoint, shiftSegments, WINDOW_MAX_MS } from "../../transcription/windows.ts";
import { segmentsToParagraphs } from "../../transcription/paragraphs.ts";
import { wordsFromTokens } from "../../transcription/tokens.ts";

const RATE = 16_000;
/** Speech-like noise with silent gaps [fromMs, toMs). */
function signal(ms: number, gaps: [number, number][], floor = 0, steady = false): Float32Array {
  const out = new Float32Array((ms * RATE) / 1000);
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < out.length; i++) {
    const t = (i * 1000) / RATE;
    const quiet = gaps.some(([a, b]) => t >= a && t < b);
    out[i] = quiet ? floor * rand() : 0.3 * rand() * (steady ? 1 : 0.6 + 0.4 * Math.sin(t / 40));
  }
  return out;
}

describe("cutting at pauses", () => {
  it("cuts in the middle of the latest pause of the zone", () => {
    const cut = findCut(signal(5000, [[1000, 1400], [4200, 4500]]));
    expect(cut).toBeGreaterThanOrEqual(4300);
    expect(cut).toBeLessThanOrEqual(4400);
  });

  it("takes a short gap between words late in the zone over a long pause early on", () => {
    // A room with some noise: the long pause is not digital silence.
    const cut = findCut(signal(5000, [[500, 1500], [4600, 4720]], 0.01));
    expect(cut).toBeGreaterThan(4550);
    expect(cut).toBeLessThan(4770);
  });

  it("without any pause (continuous sound), cuts at the quietest moment", () => {
    const zone = signal(5000, [], 0, true);
    for (let i = (2500 * RATE) / 1000; i < (2530 * RATE) / 1000; i++) zone[i] = zone[i]! * 0.01; // a dip of 30 ms
    const cut = findCut(zone);
    expect(Math.abs(cut - 2515)).toBeLessThanOrEqual(80);
  });

  it("plans windows of at most 30 s while the decoder is still writing", async () => {
    const samples = (95_000 * RATE) / 1000;
    let available = 0;
    const waits: number[] = [];
    const source = {
      pcmPath: "/nonexistent", // zones are not read when the end is known and near
      available: () => available,
      total: () => (available >= samples ? samples : null),
      waitFor: async (n: number) => {
        waits.push(n);
        available = samples;
      },
      done: Promise.resolve(samples),
    };
    const last = await planWindow(source, 3, 70_000);
    expect(last).toEqual({ index: 3, startMs: 70_000, endMs: 95_000 });
    expect(waits[0]).toBe(((70_000 + WINDOW_MAX_MS) * RATE) / 1000 + 1);
  });

  it("resumes after the last checkpoint", () => {
    expect(resumePoint([])).toEqual({ index: 0, startMs: 0 });
    expect(resumePoint([{ index: 1, endMs: 58_000 }, { index: 0, endMs: 29_000 }])).toEqual({ index: 2, startMs: 58_000 });
  });
});

describe("engine output", () => {
  it("shifts segments and words by the window start and keeps them inside the window", () => {
    const window = { index: 1, startMs: 29_500, endMs: 41_000 };
    const out = shiftSegments(
      [
        { startMs: 0, endMs: 9_000, text: "Ich habe heute gearbeitet.", words: [{ t: "Ich", s: 100, e: 1_000, p: 0.9 }] },
        { startMs: 9_000, endMs: 19_000, text: "Wir haben viel gesprochen!" },
        { startMs: 19_000, endMs: 30_000, text: " " },
      ],
      window,
    );
    expect(out).toEqual([
      { startMs: 29_500, endMs: 38_500, text: "Ich habe heute gearbeitet.", words: [{ t: "Ich", s: 29_600, e: 30_500, p: 0.9 }] },
      { startMs: 38_500, endMs: 41_000, text: "Wir haben viel gesprochen!" },
    ]);
  });

  it("turns tokens into words with timings and the weakest token's probability", () => {
    const words = wordsFromTokens(
      [
        { text: "[_BEG_]", id: 50364, p: 0.9, from: 0, to: 0 },
        { text: " Danke", id: 1, p: 0.95, from: 100, to: 600 },
        { text: " für", id: 2, p: 0.99, from: 600, to: 900 },
        { text: " das", id: 3, p: 0.98, from: 900, to: 1_100 },
        { text: " Gespr", id: 4, p: 0.7, from: 1_100, to: 1_500 },
        { text: "äch", id: 5, p: 0.4, from: 1_500, to: 1_900 },
        { text: ".", id: 6, p: 0.99, from: 1_900, to: 2_000 },
        { text: "[_TT_150]", id: 50514, p: 0.99, from: 3_000, to: 3_000 },
      ],
      "Danke für das Gespräch.",
    );
    expect(words).toEqual([
      { t: "Danke", s: 100, e: 600, p: 0.95 },
      { t: "für", s: 600, e: 900, p: 0.99 },
      { t: "das", s: 900, e: 1_100, p: 0.98 },
      { t: "Gespräch.", s: 1_100, e: 2_000, p: 0.4 },
    ]);
  });

  it("repairs a character split over two tokens from the segment text", () => {
    const words = wordsFromTokens(
      [
        { text: " f\uFFFD", id: 1, p: 0.9, from: 0, to: 200 },
        { text: "\uFFFDr", id: 2, p: 0.9, from: 200, to: 400 },
        { text: " dich", id: 3, p: 0.9, from: 400, to: 700 },
      ],
      "für dich",
    );
    expect(words.map((w) => w.t)).toEqual(["für", "dich"]);
  });
});

describe("paragraphs", () => {
  it("merges segments and starts a new paragraph at a long pause; speakers stay unassigned", () => {
    const paragraphs = segmentsToParagraphs([
      { startMs: 0, endMs: 4_000, text: "Erzählen Sie bitte.", words: [{ t: "Erzählen", s: 0, e: 900 }] },
      { startMs: 4_200, endMs: 6_000, text: "Von Anfang an?", words: [{ t: "Von", s: 4_200, e: 4_500 }] },
      { startMs: 8_000, endMs: 12_000, text: "Ich kam 2015 nach Fröhnd." },
    ]);
    expect(paragraphs).toEqual([
      { speaker: "", startMs: 0, endMs: 6_000, text: "Erzählen Sie bitte. Von Anfang an?", words: [{ t: "Erzählen", s: 0, e: 900 }, { t: "Von", s: 4_200, e: 4_500 }] },
      { speaker: "", startMs: 8_000, endMs: 12_000, text: "Ich kam 2015 nach Fröhnd.", words: null },
    ]);
  });
});
