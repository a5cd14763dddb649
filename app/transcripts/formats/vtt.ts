// WebVTT: each turn as subtitle cues (turn-001, turn-001-2 ...; see subtitles.ts), the speaker as a voice span on
// its first cue: <v B>text. The cue ids tell an import which cues make up one turn.
import { blocksOf, cueParagraph, escapeCueText, joinTurns, mergeSameSpeaker, parseTiming, type CueRead } from "./cues.ts";
import { transcriptCues } from "./subtitles.ts";
import { formatClock } from "./timestamp.ts";
import { TranscriptParseError, type Paragraph } from "./types.ts";

export function writeVtt(paragraphs: readonly Paragraph[]): string {
  const turns = transcriptCues(paragraphs);
  const cues = paragraphs.flatMap((p, i) => {
    const id = `turn-${String(i + 1).padStart(3, "0")}`;
    return turns[i]!.map((cue, k) => {
      const voice = p.speaker && k === 0 ? `<v ${p.speaker}>` : "";
      const text = cue.lines.map(escapeCueText).join("\n");
      return `${k === 0 ? id : `${id}-${k + 1}`}\n${formatClock(cue.startMs, ".")} --> ${formatClock(cue.endMs, ".")}\n${voice}${text}`;
    });
  });
  return ["WEBVTT", ...cues].join("\n\n") + "\n";
}

export function parseVtt(input: string, options: { mergeSameSpeaker?: boolean } = {}): Paragraph[] {
  const blocks = blocksOf(input);
  const header = blocks[0];
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header.lines[0]!) || header.line !== 1) throw new TranscriptParseError("vttHeader", 1);
  const cues: CueRead[] = [];
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
    const cue = cueParagraph(block.lines.slice(timingIndex + 1), timing, "vtt");
    if (cue) cues.push({ ...cue, id: timingIndex === 1 ? first.trim() : undefined });
  }
  if (!cues.length) throw new TranscriptParseError("empty", 1);
  const paragraphs = joinTurns(cues);
  return options.mergeSameSpeaker ? mergeSameSpeaker(paragraphs) : paragraphs;
}
