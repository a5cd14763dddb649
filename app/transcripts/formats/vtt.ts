// WebVTT: one cue per turn (turn-001 ...), the speaker as a voice span: <v B>text.
import { blocksOf, cueParagraph, escapeCueText, mergeSameSpeaker, parseTiming } from "./cues.ts";
import { formatClock } from "./timestamp.ts";
import { TranscriptParseError, type Paragraph } from "./types.ts";

export function writeVtt(paragraphs: readonly Paragraph[]): string {
  const cues = paragraphs.map((p, i) => {
    const voice = p.speaker ? `<v ${p.speaker}>` : "";
    return `turn-${String(i + 1).padStart(3, "0")}\n${formatClock(p.startMs, ".")} --> ${formatClock(p.endMs, ".")}\n${voice}${escapeCueText(p.text)}`;
  });
  return ["WEBVTT", ...cues].join("\n\n") + "\n";
}

export function parseVtt(input: string, options: { mergeSameSpeaker?: boolean } = {}): Paragraph[] {
  const blocks = blocksOf(input);
  const header = blocks[0];
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header.lines[0]!) || header.line !== 1) throw new TranscriptParseError("vttHeader", 1);
  const paragraphs: Paragraph[] = [];
  let previousStart = 0;
  for (const block of blocks.slice(1)) {
    const first = block.lines[0]!;
    if (/^(NOTE|STYLE|REGION)(?:\s|$)/.test(first)) continue;
    // An optional cue identifier comes before the timing line.
    const timingIndex = first.includes("-->") ? 0 : 1;
    const timingLine = block.lines[timingIndex];
    if (timingLine === undefined || !timingLine.includes("-->")) throw new TranscriptParseError("cueTiming", block.line + timingIndex);
    const timing = parseTiming(timingLine, block.line + timingIndex, "cueTiming");
    if (timing.startMs < previousStart) throw new TranscriptParseError("timeOrder", block.line + timingIndex);
    previousStart = timing.startMs;
    const paragraph = cueParagraph(block.lines.slice(timingIndex + 1), timing, "vtt");
    if (paragraph) paragraphs.push(paragraph);
  }
  if (!paragraphs.length) throw new TranscriptParseError("empty", 1);
  return options.mergeSameSpeaker ? mergeSameSpeaker(paragraphs) : paragraphs;
}
