// whisper.cpp has no progress callback: the audio is cut into windows of at most 30 s (whisper's own context)
// at pauses, and transcribed window by window. Each finished window is a checkpoint (TranscriptionWindow row),
// so progress, ETA and resumption after a crash come from the windows. Design and its effect on accuracy at the
// cuts: docs/decisions/0006-transcription-windows.md.
import fs from "node:fs/promises";
import { BYTES_PER_SAMPLE, SAMPLE_RATE, msToSamples, samplesToMs } from "./normalize.ts";

/** Whisper sees 30 s at a time; a longer window would make it seek inside the window on its own. */
export const WINDOW_MAX_MS = 30_000;
/** A cut is searched in the last seconds of a window: longer windows mean fewer encoder passes. */
export const SEARCH_MS = 5_000;
const FRAME_MS = 10;
const SMOOTH_FRAMES = 10; // 100 ms: a gap between words, not the closure inside a plosive
/** Quiet enough to cut: within this factor of the zone's quietest point (a pause in a noisy room) ... */
const QUIET_FACTOR = 2;
/** ... or 15 dB below the zone's median (speech) level: the valleys between words. */
const GAP_OF_MEDIAN = 0.03;
const NO_PAUSE_ABOVE = 0.25;
const SILENCE_POWER = 1e-6; // about -60 dBFS: digital silence and a quiet room are alike

/** Pauses at least this long are shortened before whisper hears them (as whisper.cpp's and faster-whisper's VAD
 * filters do), so a window holds more speech and a recording needs fewer encoder passes ... */
export const PAUSE_MIN_MS = 600;
/** ... down to this much silence after the speech before and before the speech after (so whisper still hears a
 * pause, and the edges of the words stay in). */
export const PAUSE_PAD_MS = 200;
/** A pause is quiet compared with the speech around it: 25 dB under its loud frames (95th percentile). Relative
 * only, so the speech of a very quiet recording is never taken for silence. */
const PAUSE_OF_SPEECH = 10 ** -2.5;
/** With pauses shortened, a window covers at most this much of the recording. */
const LOOKAHEAD_MS = 2 * WINDOW_MAX_MS;

/** A stretch [startMs, endMs) of the recording. */
export type Span = { startMs: number; endMs: number };
/**
 * One engine call. `spans`: the parts of [startMs, endMs) whisper hears, one after the other (pauses shortened);
 * without it, all of [startMs, endMs).
 */
export type WindowPlan = { index: number; startMs: number; endMs: number; spans?: Span[] };

/** Reads samples [start, end) of a raw f32le file. */
export async function readPcm(file: string, startSample: number, endSample: number): Promise<Float32Array> {
  const count = Math.max(0, endSample - startSample);
  const out = new Float32Array(count);
  if (count === 0) return out;
  const handle = await fs.open(file, "r");
  try {
    const bytes = Buffer.from(out.buffer);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, startSample * BYTES_PER_SAMPLE + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return out;
}

/**
 * The cut inside `zone` (samples of the search zone, starting at a whole millisecond): the middle of the latest
 * quiet stretch. Returns the offset in ms from the zone's start. Pure, so it is tested on synthetic signals.
 */
export function findCut(zone: Float32Array): number {
  const smooth = framePower(zone);
  const frames = smooth.length;
  if (frames === 0) return samplesToMs(zone.length);
  const sorted = Float64Array.from(smooth).sort();
  const min = sorted[0]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // The latest quiet stretch wins: windows stay close to 30 s, so there are hardly more encoder passes than
  // whisper would make on the whole file. A zone whose quietest moment is not clearly (6 dB) under its speech
  // level has no pause at all: then that quietest moment is the cut.
  const pause = min * QUIET_FACTOR <= median * NO_PAUSE_ABOVE;
  const threshold = pause ? Math.max(min * QUIET_FACTOR, median * GAP_OF_MEDIAN, SILENCE_POWER) : min;
  let last = frames - 1;
  while (last > 0 && smooth[last]! > threshold) last--;
  // The middle of that quiet stretch, so the words on both sides keep their edges.
  let first = last;
  while (first > 0 && smooth[first - 1]! <= threshold) first--;
  const mid = Math.floor((first + last + 1) / 2);
  return Math.max(FRAME_MS, mid * FRAME_MS);
}

/** Power per 10 ms frame, smoothed over 100 ms. */
function framePower(samples: Float32Array): Float64Array {
  const frameLen = (SAMPLE_RATE * FRAME_MS) / 1000;
  const frames = Math.floor(samples.length / frameLen);
  const power = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = f * frameLen; i < (f + 1) * frameLen; i++) sum += samples[i]! * samples[i]!;
    power[f] = sum / frameLen;
  }
  const half = Math.floor(SMOOTH_FRAMES / 2);
  const smooth = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    let n = 0;
    for (let g = Math.max(0, f - half); g <= Math.min(frames - 1, f + half); g++) {
      sum += power[g]!;
      n++;
    }
    smooth[f] = sum / n;
  }
  return smooth;
}

/**
 * The parts of `samples` (starting at a whole millisecond) that whisper should hear, in ms from their start:
 * everything except the middle of each pause of at least PAUSE_MIN_MS, of which PAUSE_PAD_MS stay on each side
 * of the speech. A pause at the start keeps only its last PAUSE_PAD_MS; one at the end (`atEnd`: the recording
 * ends there) only its first; one running into the end of `samples` otherwise is left alone (its length is not
 * known). Pure, so it is tested on synthetic signals.
 */
export function speechSpans(samples: Float32Array, atEnd: boolean): Span[] {
  const totalMs = samplesToMs(samples.length);
  const smooth = framePower(samples);
  const frames = smooth.length;
  if (frames === 0) return totalMs > 0 ? [{ startMs: 0, endMs: totalMs }] : [];
  const sorted = Float64Array.from(smooth).sort();
  const speech = sorted[Math.min(frames - 1, Math.floor(frames * 0.95))]!;
  const threshold = speech * PAUSE_OF_SPEECH;
  const spans: Span[] = [];
  let from = 0; // start of the part being kept, in ms
  for (let f = 0; f < frames; ) {
    if (smooth[f]! > threshold) {
      f++;
      continue;
    }
    let g = f;
    while (g < frames && smooth[g]! <= threshold) g++;
    const quietFrom = f * FRAME_MS;
    const quietTo = g === frames ? totalMs : g * FRAME_MS;
    const atStart = f === 0;
    const atRegionEnd = g === frames;
    if (quietTo - quietFrom >= PAUSE_MIN_MS && (!atRegionEnd || atEnd)) {
      const cutFrom = atStart ? quietFrom : quietFrom + PAUSE_PAD_MS;
      const cutTo = atRegionEnd ? quietTo : quietTo - PAUSE_PAD_MS;
      if (cutFrom > from) spans.push({ startMs: from, endMs: cutFrom });
      from = cutTo;
    }
    f = g;
  }
  if (totalMs > from) spans.push({ startMs: from, endMs: totalMs });
  return spans;
}

export const spanLength = (spans: readonly Span[]) => spans.reduce((sum, s) => sum + s.endMs - s.startMs, 0);

/**
 * A time in the audio whisper heard (the spans one after the other) as a time in the recording. At a join,
 * an end (`isEnd`) belongs to the span before it, a start to the span after it.
 */
export function toRecordingMs(heardMs: number, spans: readonly Span[], isEnd: boolean): number {
  let offset = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const length = span.endMs - span.startMs;
    const last = i === spans.length - 1;
    if (heardMs < offset + length || (isEnd && heardMs === offset + length) || last) return Math.min(span.endMs, span.startMs + Math.max(0, heardMs - offset));
    offset += length;
  }
  return 0;
}

/** Keeps the spans up to `endMs` (recording time). */
function spansUntil(spans: readonly Span[], endMs: number): Span[] {
  return spans.filter((s) => s.startMs < endMs).map((s) => ({ startMs: s.startMs, endMs: Math.min(s.endMs, endMs) }));
}

/** What planWindow needs of the decoding audio (normalize.ts startDecoding). */
export type PcmSource = { pcmPath: string; waitFor(samples: number): Promise<void>; available(): number; total(): number | null; done: Promise<number> };

/**
 * The window starting at `startMs`: to the end if at most 30 s remain, otherwise cut at the latest pause in its
 * last 5 s. With `shortenPauses`, the 30 s are 30 s of what whisper hears (long pauses shortened, see
 * speechSpans), so the window may cover more of the recording. Waits until the decoder has written that far
 * (or has finished).
 */
export async function planWindow(source: PcmSource, index: number, startMs: number, options: { shortenPauses?: boolean } = {}): Promise<WindowPlan> {
  const reachMs = options.shortenPauses ? LOOKAHEAD_MS : WINDOW_MAX_MS;
  const needed = msToSamples(startMs + reachMs) + 1;
  await source.waitFor(needed);
  let total = source.total();
  // Neither finished nor far enough: the decoder failed (this throws its error).
  if (total === null && source.available() < needed) total = await source.done;
  const endOfRecording = total !== null ? samplesToMs(total) : Infinity;
  if (!options.shortenPauses) {
    if (endOfRecording - startMs <= WINDOW_MAX_MS) return { index, startMs, endMs: endOfRecording };
    const zoneStartMs = startMs + WINDOW_MAX_MS - SEARCH_MS;
    const zone = await readPcm(source.pcmPath, msToSamples(zoneStartMs), msToSamples(startMs + WINDOW_MAX_MS));
    return { index, startMs, endMs: zoneStartMs + findCut(zone) };
  }
  const regionEndMs = Math.min(endOfRecording, startMs + reachMs);
  const region = await readPcm(source.pcmPath, msToSamples(startMs), msToSamples(regionEndMs));
  const atEnd = regionEndMs === endOfRecording;
  const spans = speechSpans(region, atEnd).map((s) => ({ startMs: startMs + s.startMs, endMs: startMs + s.endMs }));
  const heard = spanLength(spans);
  const plan = (endMs: number, kept: Span[]): WindowPlan => {
    // Nothing shortened: the plain form. Nothing to hear (silence only): `spans: []`, the engine is not asked.
    const plain = kept.length === 1 && kept[0]!.startMs === startMs && kept[0]!.endMs === endMs;
    return plain ? { index, startMs, endMs } : { index, startMs, endMs, spans: kept };
  };
  if (atEnd && heard <= WINDOW_MAX_MS) return plan(regionEndMs, spans);
  if (heard < WINDOW_MAX_MS) {
    // Mostly silence: this window ends where the last part to hear begins (the next window starts with it).
    const endMs = Math.max(startMs + FRAME_MS, spans.at(-1)?.startMs ?? regionEndMs);
    return plan(endMs, spansUntil(spans, endMs));
  }
  // The first 30 s of what whisper hears; the cut at the latest pause in their last 5 s.
  const heardPcm = new Float32Array(msToSamples(WINDOW_MAX_MS));
  let filled = 0;
  for (const span of spans) {
    if (filled >= heardPcm.length) break;
    const part = region.subarray(msToSamples(span.startMs - startMs), msToSamples(span.endMs - startMs));
    const take = part.subarray(0, heardPcm.length - filled);
    heardPcm.set(take, filled);
    filled += take.length;
  }
  const cutHeardMs = WINDOW_MAX_MS - SEARCH_MS + findCut(heardPcm.subarray(msToSamples(WINDOW_MAX_MS - SEARCH_MS)));
  const endMs = toRecordingMs(cutHeardMs, spans, true);
  return plan(endMs, spansUntil(spans, endMs));
}

export type Word = { t: string; s: number; e: number; p?: number };
/** `lang`: the language whisper detected, kept on checkpoints so a resumed job does not detect again. */
export type Segment = { startMs: number; endMs: number; text: string; words?: Word[]; lang?: string };

/**
 * Segment times from the engine are relative to what whisper heard: map them to the recording (shift by the
 * window start, and across shortened pauses), and keep them inside the window.
 */
export function shiftSegments(segments: readonly Segment[], window: WindowPlan): Segment[] {
  const spans = window.spans ?? [{ startMs: window.startMs, endMs: window.endMs }];
  const at = (ms: number, isEnd: boolean) => Math.round(toRecordingMs(Math.max(0, ms), spans, isEnd));
  const clamp = (ms: number) => Math.min(window.endMs, Math.max(window.startMs, ms));
  return segments
    .map((s) => {
      const startMs = clamp(at(s.startMs, false));
      const endMs = Math.max(startMs, clamp(at(s.endMs, true)));
      const words = s.words?.map((w) => {
        const ws = clamp(at(w.s, false));
        return { ...w, s: ws, e: Math.max(ws, clamp(at(w.e, true))) };
      });
      return words?.length ? { startMs, endMs, text: s.text, words } : { startMs, endMs, text: s.text };
    })
    .filter((s) => s.text.trim().length > 0);
}

/** The start of the next window after the checkpoints so far (0 without any). */
export function resumePoint(checkpoints: readonly { index: number; endMs: number }[]): { index: number; startMs: number } {
  if (checkpoints.length === 0) return { index: 0, startMs: 0 };
  const last = checkpoints.reduce((a, b) => (b.index > a.index ? b : a));
  return { index: last.index + 1, startMs: last.endMs };
}
