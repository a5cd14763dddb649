// SubRip: numbered cues, "00:00:01,000 --> 00:00:02,500", the speaker as a label at the start of the text.
import { blocksOf, cueParagraph, mergeSameSpeaker, parseTiming } from "./cues.ts";
import { formatClock } from "./timestamp.ts";
import { TranscriptParseError, type Paragraph } from "./types.ts";

export function writeSrt(paragraphs: readonly Paragraph[]): string {
  return paragraphs
    .map((p, i) => `${i + 1}\n${formatClock(p.startMs, ",")} --> ${formatClock(p.endMs, ",")}\n${p.speaker ? `${p.speaker}: ` : ""}${p.text}\n`)
    .join("\n");
}

export function parseSrt(input: string, options: { mergeSameSpeaker?: boolean } = {}): Paragraph[] {
  const paragraphs: Paragraph[] = [];
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
    const paragraph = cueParagraph(block.lines.slice(timingIndex + 1), timing, "srt");
    if (paragraph) paragraphs.push(paragraph);
  }
  if (!paragraphs.length) throw new TranscriptParseError("empty", 1);
  return options.mergeSameSpeaker ? mergeSameSpeaker(paragraphs) : paragraphs;
}
