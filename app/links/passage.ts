// Where a coded passage sits in the recording: codings are code point offsets into writeText(paragraphs)
// ("B: text #00:01:23-4#" turns separated by a blank line), so the turns it touches give its speaker and
// time range. The range is the whole turn(s): turn times are what every transcript has (per-word times only
// come from whisper), and a clip cut mid-word helps nobody.
import { writeText } from "../transcripts/formats/text.ts";
import type { Paragraph } from "../transcripts/formats/types.ts";

export type PassagePlace = { speaker: string; startMs: number; endMs: number; firstTurn: number; lastTurn: number };

type Turn = Pick<Paragraph, "speaker" | "startMs" | "endMs" | "text">;

const codePoints = (s: string) => Array.from(s).length;

/** The turns [start, end) touches, or null when the offsets lie outside the text (an orphaned coding at its end). */
export function locatePassage(paragraphs: readonly Turn[], start: number, end: number): PassagePlace | null {
  let offset = 0;
  let first: number | null = null;
  let last: number | null = null;
  paragraphs.forEach((p, i) => {
    // The turn's own layout, exactly as writeText writes it, so offsets agree with the stored codings.
    const length = codePoints(writeText([p as Paragraph])) - 1; // without the final newline
    const from = offset;
    const to = offset + length;
    const hit = end > start ? start < to && end > from : start >= from && start <= to;
    if (hit) {
      first ??= i;
      last = i;
    }
    offset = to + 2; // the blank line between turns
  });
  if (first === null || last === null) return null;
  const a = paragraphs[first]!;
  const b = paragraphs[last]!;
  return { speaker: a.speaker, startMs: a.startMs, endMs: b.endMs, firstTurn: first, lastTurn: last };
}

/** "1:05" / "1:02:05" */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
