// Plain text in the Dresing & Pehl layout, as f4 and the fixtures write it:
//
//   I: Und wie ging es weiter? #00:01:01-9#
//
//   B: Man hat uns nach ... geschickt. #00:01:30-6#
//
// One paragraph per turn, a speaker label at its start, the turn's end as a timestamp at its end. A turn
// starts where the previous one ended (the first at 0). Turns without a timestamp (the system asks for one
// at least every three minutes) share the time up to the next timestamp in proportion to their length.
import { DP_TIMESTAMP_AT_END, dpMatchToMs, formatDpTimestamp } from "./timestamp.ts";
import { SPEAKER_LABEL, TranscriptParseError, cleanText, speakerFromLabel, speakerLabel, type Paragraph } from "./types.ts";

export function writeText(paragraphs: readonly Paragraph[]): string {
  return paragraphs.map((p) => [`${speakerLabel(p.speaker)}:`, p.text, formatDpTimestamp(p.endMs)].filter(Boolean).join(" ")).join("\n\n") + "\n";
}

type Draft = { speaker: string; lines: string[]; line: number; endMs: number | null };

/**
 * Reads the layout above. Line breaks inside a turn are joined with a space; blank lines between turns are
 * optional. Throws TranscriptParseError with the 1-based line of the first problem.
 */
export function parseText(input: string): Paragraph[] {
  const lines = input.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    let line = raw.trim();
    if (!line) return;
    const label = SPEAKER_LABEL.exec(line);
    if (label) {
      current = { speaker: speakerFromLabel(label[1]!), lines: [], line: lineNo, endMs: null };
      drafts.push(current);
      line = line.slice(label[0].length);
    } else if (!current || current.endMs !== null) {
      // Text before the first label, or after a turn was closed by its timestamp.
      throw new TranscriptParseError("noSpeaker", lineNo);
    }
    const stamp = DP_TIMESTAMP_AT_END.exec(line);
    if (stamp) {
      const ms = dpMatchToMs(stamp);
      if (ms === null) throw new TranscriptParseError("badTimestamp", lineNo);
      current!.endMs = ms;
      line = line.slice(0, stamp.index);
    }
    if (line) current!.lines.push(line);
  });
  if (!drafts.length) throw new TranscriptParseError("empty", 1);
  return timeDrafts(drafts);
}

function timeDrafts(drafts: Draft[]): Paragraph[] {
  const texts = drafts.map((d) => cleanText(d.lines.join(" ")));
  const out: Paragraph[] = [];
  let groupStart = 0; // first draft not yet timed
  let previousEnd = 0;
  for (let i = 0; i < drafts.length; i++) {
    const end = drafts[i]!.endMs;
    if (end === null) continue;
    if (end < previousEnd) throw new TranscriptParseError("timeOrder", drafts[i]!.line);
    // Drafts groupStart..i share previousEnd..end by text length (a single draft takes all of it).
    const weights = texts.slice(groupStart, i + 1).map((t) => Math.max(1, t.length));
    const total = weights.reduce((a, b) => a + b, 0);
    let at = previousEnd;
    let acc = 0;
    for (let j = groupStart; j <= i; j++) {
      acc += weights[j - groupStart]!;
      const stop = j === i ? end : previousEnd + Math.round(((end - previousEnd) * acc) / total);
      out.push({ speaker: drafts[j]!.speaker, startMs: at, endMs: stop, text: texts[j]! });
      at = stop;
    }
    previousEnd = end;
    groupStart = i + 1;
  }
  // Turns after the last timestamp have no known end: they get no duration.
  for (let j = groupStart; j < drafts.length; j++) out.push({ speaker: drafts[j]!.speaker, startMs: previousEnd, endMs: previousEnd, text: texts[j]! });
  return out;
}
