// Where windows are cut, how engine output becomes segments, words and paragraphs (pure functions).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findCut, PAUSE_PAD_MS, planWindow, resumePoint, shiftSegments, spanLength, speechSpans, toRecordingMs, WINDOW_MAX_MS, type WindowPlan } from "../../transcription/windows.ts";
import { recognizedSpeech, segmentsToParagraphs } from "../../transcription/paragraphs.ts";
import { wordsFromTokens } from "../../transcription/tokens.ts";

const RATE = 16_000;
const samplesToMsOf = (samples: number) => Math.floor((samples * 1000) / RATE);

/** Every window of `audio` (written to a PCM file, as the decoder leaves it), planned back to back with long pauses shortened. */
async function planAll(audio: Float32Array): Promise<WindowPlan[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-windows-"));
  try {
    const pcmPath = path.join(dir, "audio.pcm");
    fs.writeFileSync(pcmPath, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    const source = { pcmPath, available: () => audio.length, total: () => audio.length, waitFor: async () => undefined, done: Promise.resolve(audio.length) };
    const plans: WindowPlan[] = [];
    for (let startMs = 0; startMs < samplesToMsOf(audio.length); startMs = plans.at(-1)!.endMs) plans.push(await planWindow(source, plans.length, startMs, { shortenPauses: true }));
    return plans;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
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

/** Spans equal to [start, end) pairs, each edge within 60 ms (the smoothing of the power). */
function expectSpans(actual: { startMs: number; endMs: number }[], expected: [number, number][]) {
  expect(actual.map((s) => [s.startMs, s.endMs])).toHaveLength(expected.length);
  actual.forEach((s, i) => {
    expect(Math.abs(s.startMs - expected[i]![0]), `start of span ${i}: ${s.startMs}`).toBeLessThanOrEqual(60);
    expect(Math.abs(s.endMs - expected[i]![1]), `end of span ${i}: ${s.endMs}`).toBeLessThanOrEqual(60);
    // Never less silence than asked for next to the speech.
    if (expected[i]![0] > 0) expect(s.startMs).toBeLessThanOrEqual(expected[i]![0]);
    expect(s.endMs).toBeGreaterThanOrEqual(expected[i]![1]);
  });
}

describe("shortening long pauses", () => {
  it("shortens a pause of a second to 0.4 s and leaves the short gaps between words alone", () => {
    const spans = speechSpans(signal(6000, [[2000, 3000], [4000, 4300]]), false);
    // The 100 ms smoothing moves the edges of a pause up to 60 ms inwards: a little more silence stays.
    expectSpans(spans, [
      [0, 2000 + PAUSE_PAD_MS],
      [3000 - PAUSE_PAD_MS, 6000],
    ]);
  });

  it("keeps only the end of a pause at the start, the beginning of one at the end of the recording, and does not touch one whose end it cannot see", () => {
    const audio = signal(8000, [[0, 1500], [6000, 8000]]);
    expectSpans(speechSpans(audio, true), [[1500 - PAUSE_PAD_MS, 6000 + PAUSE_PAD_MS]]);
    expectSpans(speechSpans(audio, false), [[1500 - PAUSE_PAD_MS, 8000]]);
  });

  it("does not shorten a 'pause' that is not clearly quieter than the speech (a soft voice, a noisy room)", () => {
    expect(speechSpans(signal(6000, [[2000, 3500]], 0.05), false)).toEqual([{ startMs: 0, endMs: 6000 }]);
  });

  it("in a very quiet recording (speech near -75 dBFS), keeps all of the speech and still shortens a silence", () => {
    const quiet = signal(5000, [[2000, 3000]]).map((x) => x * 0.001);
    expectSpans(speechSpans(quiet, false), [
      [0, 2000 + PAUSE_PAD_MS],
      [3000 - PAUSE_PAD_MS, 5000],
    ]);
  });

  it("maps times in what whisper heard back to the recording; at a join an end stays before it, a start goes after it", () => {
    const spans = [
      { startMs: 10_000, endMs: 12_000 },
      { startMs: 15_000, endMs: 16_000 },
    ];
    expect(toRecordingMs(500, spans, false)).toBe(10_500);
    expect(toRecordingMs(2000, spans, true)).toBe(12_000);
    expect(toRecordingMs(2000, spans, false)).toBe(15_000);
    expect(toRecordingMs(2500, spans, false)).toBe(15_500);
    expect(toRecordingMs(9000, spans, true)).toBe(16_000); // past the end: the end
  });

  it("segment and word times of a window with a shortened pause land on the speech they belong to", () => {
    const window: WindowPlan = { index: 0, startMs: 0, endMs: 20_000, spans: [{ startMs: 0, endMs: 5_200 }, { startMs: 12_800, endMs: 20_000 }] };
    const out = shiftSegments(
      [
        { startMs: 0, endMs: 5_200, text: "Ich komme aus Herat.", words: [{ t: "Herat.", s: 4_000, e: 5_000 }] },
        { startMs: 5_200, endMs: 9_000, text: "Dann kam ich nach Deutschland.", words: [{ t: "Dann", s: 5_400, e: 5_700 }] },
      ],
      window,
    );
    expect(out).toEqual([
      { startMs: 0, endMs: 5_200, text: "Ich komme aus Herat.", words: [{ t: "Herat.", s: 4_000, e: 5_000 }] },
      { startMs: 12_800, endMs: 16_600, text: "Dann kam ich nach Deutschland.", words: [{ t: "Dann", s: 13_000, e: 13_300 }] },
    ]);
  });

  it("plans windows of at most 30 s of what whisper hears that together cover every moment of speech", async () => {
    // 200 s: speech with a pause of 1 s every 5 s, a minute of silence in the middle, 10 s of silence at the end.
    const gaps: [number, number][] = [];
    for (let t = 4000; t < 200_000; t += 5000) gaps.push([t, t + 1000]);
    gaps.push([90_000, 150_000], [190_000, 200_000]);
    const plans = await planAll(signal(200_000, gaps));
    plans.forEach((plan, i) => {
      expect(plan.startMs).toBe(i === 0 ? 0 : plans[i - 1]!.endMs);
      expect(plan.endMs).toBeGreaterThan(plan.startMs);
    });
    const heard = plans.map((p) => spanLength(p.spans ?? [p]));
    for (const h of heard) expect(h).toBeLessThanOrEqual(WINDOW_MAX_MS);
    // Fewer windows than without shortening (200 s / 30 s = 7), and whisper hears much less than 200 s.
    expect(plans.length).toBeLessThan(7);
    expect(heard.reduce((a, b) => a + b, 0)).toBeLessThan(150_000);
    // No speech is left out: every loud 10 ms frame is inside a span that whisper hears.
    const spans = plans.flatMap((p) => p.spans ?? [p]);
    for (let t = 0; t < 200_000; t += 10) {
      const speech = !gaps.some(([a, b]) => t >= a - 50 && t < b + 50);
      if (speech) expect(spans.some((s) => t >= s.startMs && t + 10 <= s.endMs), `speech at ${t} ms`).toBe(true);
    }
    // The minute of silence is shortened to 0.4 s, and the silence at the end (from 189 s) to 0.2 s.
    expect(spans.some((s) => s.startMs < 100_000 && s.endMs > 100_000)).toBe(false);
    expect(Math.abs(spans.at(-1)!.endMs - (189_000 + PAUSE_PAD_MS))).toBeLessThanOrEqual(60);
  });

  it("on the fixture interviews' speech, clean and in a noisy room, leaves out no moment of speech", async () => {
    const fixtures = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-windows-"));
    const pcmPath = path.join(dir, "audio.pcm");
    for (const name of ["int-01", "int-03"]) {
      execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", path.join(fixtures, `${name}.mp3`), "-ac", "1", "-ar", "16000", "-f", "f32le", "-y", pcmPath]);
      const clean = new Float32Array(new Uint8Array(fs.readFileSync(pcmPath)).buffer);
      // Noise 35 dB and 15 dB under the speech: pauses are still found in the first, none in the second.
      const rms = Math.sqrt(clean.reduce((sum, x) => sum + x * x, 0) / clean.length);
      for (const noiseDb of [null, -35, -15] as const) {
        const audio = Float32Array.from(clean);
        if (noiseDb !== null) {
          let seed = 7;
          const amplitude = rms * 10 ** (noiseDb / 20) * Math.sqrt(3); // uniform noise of that RMS
          for (let i = 0; i < audio.length; i++) audio[i] = audio[i]! + amplitude * (((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
        }
        const plans = await planAll(audio);
        const spans = plans.flatMap((p) => p.spans ?? [p]);
        const heard = spanLength(spans);
        const label = `${name}, noise ${noiseDb ?? "none"}`;
        if (noiseDb === -15) expect(heard, label).toBe(samplesToMsOf(audio.length));
        else expect(heard, label).toBeLessThan(samplesToMsOf(audio.length) * 0.97);
        // Every 10 ms frame whose speech is within 20 dB of the recording's speech level is heard.
        const frame = 160;
        const clean10 = (f: number) => clean.subarray(f * frame, (f + 1) * frame).reduce((sum, x) => sum + x * x, 0) / frame;
        const powers = Array.from({ length: Math.floor(clean.length / frame) }, (_, f) => clean10(f));
        const level = [...powers].sort((a, b) => a - b)[Math.floor(powers.length * 0.95)]!;
        let i = 0;
        const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
        powers.forEach((power, f) => {
          if (power < level / 100) return;
          const t = f * 10;
          while (i < sorted.length && sorted[i]!.endMs <= t) i++;
          expect(i < sorted.length && sorted[i]!.startMs <= t && t + 10 <= sorted[i]!.endMs, `${label}: speech at ${t} ms not heard`).toBe(true);
        });
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a recording of silence only gives a window with nothing for whisper to hear", async () => {
    const [first] = await planAll(new Float32Array(16_000 * 12));
    expect(first).toEqual({ index: 0, startMs: 0, endMs: 12_000, spans: [] });
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

describe("a result without speech", () => {
  it("is one with no segments, only empty ones, or only whisper's markers for silence and noise", () => {
    const of = (...texts: string[]) => recognizedSpeech(segmentsToParagraphs(texts.map((text, i) => ({ startMs: i * 1000, endMs: i * 1000 + 500, text }))));
    expect(of()).toBe(false);
    expect(of(" ", "")).toBe(false);
    expect(of(" [BLANK_AUDIO]", "[ Silence ]", "[Musik]")).toBe(false);
    expect(of("[BLANK_AUDIO]", " Ja.")).toBe(true);
    expect(of("(lacht)")).toBe(true);
  });
});
