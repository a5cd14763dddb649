// Whisper gives segments (a sentence or a few seconds), not speaker turns. Consecutive segments are merged
// into paragraphs at long pauses, the likeliest turn changes; speakers stay unassigned ("") for the editor.
import type { Segment, Word } from "./windows.ts";

export type WhisperParagraph = { speaker: string; startMs: number; endMs: number; text: string; words: Word[] | null };

/** A pause at least this long starts a new paragraph. */
export const PARAGRAPH_PAUSE_MS = 1_500;
/** Very long stretches without a pause are still broken up, so a paragraph stays editable. */
export const PARAGRAPH_MAX_MS = 90_000;

export function segmentsToParagraphs(segments: readonly Segment[], options = { pauseMs: PARAGRAPH_PAUSE_MS, maxMs: PARAGRAPH_MAX_MS }): WhisperParagraph[] {
  const sorted = segments.filter((s) => s.text.trim()).toSorted((a, b) => a.startMs - b.startMs);
  const out: WhisperParagraph[] = [];
  let current: { startMs: number; endMs: number; texts: string[]; words: Word[]; allTimed: boolean } | null = null;
  const flush = () => {
    if (!current) return;
    out.push({
      speaker: "",
      startMs: current.startMs,
      endMs: current.endMs,
      text: current.texts.join(" ").replace(/\s+/g, " ").trim(),
      words: current.allTimed && current.words.length ? current.words : null,
    });
    current = null;
  };
  for (const s of sorted) {
    if (current && (s.startMs - current.endMs >= options.pauseMs || s.endMs - current.startMs > options.maxMs)) flush();
    if (!current) current = { startMs: s.startMs, endMs: s.endMs, texts: [], words: [], allTimed: true };
    current.endMs = Math.max(current.endMs, s.endMs);
    current.texts.push(s.text.trim());
    if (s.words?.length) current.words.push(...s.words);
    else current.allTimed = false;
  }
  flush();
  return out;
}

/** whisper.cpp's markers for what is not speech: [BLANK_AUDIO], [Musik], [ Silence ]. */
const NON_SPEECH = /\[[^\]]*\]/g;

/** Whether whisper recognized any words (not only silence markers). */
export const recognizedSpeech = (paragraphs: readonly WhisperParagraph[]) => paragraphs.some((p) => p.text.replace(NON_SPEECH, "").trim().length > 0);

/** Words of the recognized text (whisper's non-speech markers left out), for the run's summary. */
export const wordCount = (paragraphs: readonly WhisperParagraph[]) => paragraphs.reduce((n, p) => n + p.text.replace(NON_SPEECH, " ").split(/\s+/).filter(Boolean).length, 0);
