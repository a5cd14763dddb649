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

export type WindowPlan = { index: number; startMs: number; endMs: number };

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
  const frameLen = (SAMPLE_RATE * FRAME_MS) / 1000;
  const frames = Math.floor(zone.length / frameLen);
  if (frames === 0) return samplesToMs(zone.length);
  const power = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = f * frameLen; i < (f + 1) * frameLen; i++) sum += zone[i]! * zone[i]!;
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

/** What planWindow needs of the decoding audio (normalize.ts startDecoding). */
export type PcmSource = { pcmPath: string; waitFor(samples: number): Promise<void>; available(): number; total(): number | null; done: Promise<number> };

/**
 * The window starting at `startMs`: to the end if at most 30 s remain, otherwise cut at the latest pause in its
 * last 5 s. Waits until the decoder has written that far (or has finished).
 */
export async function planWindow(source: PcmSource, index: number, startMs: number): Promise<WindowPlan> {
  const needed = msToSamples(startMs + WINDOW_MAX_MS) + 1;
  await source.waitFor(needed);
  const total = source.total();
  // Neither finished nor far enough: the decoder failed (this throws its error).
  if (total === null && source.available() < needed) await source.done;
  if (total !== null && samplesToMs(total) - startMs <= WINDOW_MAX_MS) return { index, startMs, endMs: samplesToMs(total) };
  const zoneStartMs = startMs + WINDOW_MAX_MS - SEARCH_MS;
  const zone = await readPcm(source.pcmPath, msToSamples(zoneStartMs), msToSamples(startMs + WINDOW_MAX_MS));
  return { index, startMs, endMs: zoneStartMs + findCut(zone) };
}

export type Word = { t: string; s: number; e: number; p?: number };
/** `lang`: the language whisper detected, kept on checkpoints so a resumed job does not detect again. */
export type Segment = { startMs: number; endMs: number; text: string; words?: Word[]; lang?: string };

/** Segment times from the engine are relative to the window: shift them, and keep them inside the window. */
export function shiftSegments(segments: readonly Segment[], window: WindowPlan): Segment[] {
  const clamp = (ms: number) => Math.min(window.endMs, Math.max(window.startMs, Math.round(ms + window.startMs)));
  return segments
    .map((s) => {
      const startMs = clamp(s.startMs);
      const endMs = Math.max(startMs, clamp(s.endMs));
      const words = s.words?.map((w) => {
        const ws = clamp(w.s);
        return { ...w, s: ws, e: Math.max(ws, clamp(w.e)) };
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
