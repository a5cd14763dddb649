// SubRip: numbered cues, "00:00:01,000 --> 00:00:02,500"; each turn as subtitle cues (see subtitles.ts), the
// speaker as a label at the start of its first cue ("?:" when unassigned, as in the text export): an import reads
// the cues without a label as the rest of that turn.
import { blocksOf, cueParagraph, joinTurns, mergeSameSpeaker, parseTiming, type CueRead } from "./cues.ts";
import { transcriptCues } from "./subtitles.ts";
import { formatClock } from "./timestamp.ts";
import { TranscriptParseError, speakerLabel, type Paragraph } from "./types.ts";

export function writeSrt(paragraphs: readonly Paragraph[]): string {
  let n = 0;
  const label = (p: Paragraph) => `${speakerLabel(p.speaker)}: `;
  const cues = transcriptCues(paragraphs, (p) => label(p).length);
  return paragraphs
    .flatMap((p, t) =>
      cues[t]!.map((cue, k) => {
        const text = (k === 0 ? label(p) : "") + cue.lines.join("\n");
        return `${++n}\n${formatClock(cue.startMs, ",")} --> ${formatClock(cue.endMs, ",")}\n${text.trimEnd()}\n`;
      }),
    )
    .join("\n");
}

export function parseSrt(input: string, options: { mergeSameSpeaker?: boolean } = {}): Paragraph[] {
  const cues: CueRead[] = [];
  let previousStart = 0;
  for (const block of blocksOf(input)) {
    const first = block.lines[0]!.trim();
    // The cue number is customary; some tools leave it out.
    const timingIndex = first.includes("-->") ? 0 : 1;
    if (timingIndex === 1 && !/^\d+$/.test(first)) throw new TranscriptParseError("srtIndex", block.line);
    const timingLine = block.lines[timingIndex];
    if (timingLine === undefined || !timingLine.includes("-->")) throw new TranscriptParseError("cueTiming", block.line + timingIndex);
    const timing = parseTiming(timingLine, block.line + timingIndex, "cueTiming");
    if (timing.startMs < previousStart) throw new TranscriptParseError("timeOrder", block.line + timingIndex);
    previousStart = timing.startMs;
    const cue = cueParagraph(block.lines.slice(timingIndex + 1), timing, "srt");
    if (cue) cues.push(cue);
  }
  if (!cues.length) throw new TranscriptParseError("empty", 1);
  const paragraphs = joinTurns(cues);
  return options.mergeSameSpeaker ? mergeSameSpeaker(paragraphs) : paragraphs;
}
