// What SRT and WebVTT share: blocks separated by blank lines, a "start --> end" timing line, cue text with
// markup to strip, and a speaker either as a WebVTT voice (<v B>) or as a label at the start ("B: ...").
import { parseClock } from "./timestamp.ts";
import { SPEAKER_LABEL, TranscriptParseError, cleanText, speakerFromLabel, type Paragraph } from "./types.ts";

export type Block = { line: number; lines: string[] };

/** Lines grouped into blocks; `line` is the 1-based number of each block's first line. */
export function blocksOf(input: string): Block[] {
  const lines = input.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let current: Block | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      current = null;
      return;
    }
    if (!current) {
      current = { line: i + 1, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line);
  });
  return blocks;
}

const TIMING = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;

export function parseTiming(line: string, lineNo: number, code: string): { startMs: number; endMs: number } {
  const match = TIMING.exec(line);
  const startMs = match ? parseClock(match[1]!) : null;
  const endMs = match ? parseClock(match[2]!) : null;
  if (startMs === null || endMs === null) throw new TranscriptParseError(code, lineNo);
  if (endMs < startMs) throw new TranscriptParseError("timeOrder", lineNo);
  return { startMs, endMs };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", nbsp: " ", lrm: "\u200e", rlm: "\u200f", quot: '"', apos: "'" };

export function unescapeCueText(text: string): string {
  return text.replace(/&(amp|lt|gt|nbsp|lrm|rlm|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1]?.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? "";
  });
}

export function escapeCueText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const VOICE = /<v(?:\.[^\s>]*)*(?:[ \t]+([^>]*))?>/;

/** SRT knows a few tags and no escaping, so a "<" in the text stays; WebVTT escapes "<", so every tag goes. */
const SRT_TAGS = /<\/?(?:i|b|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}/gi;

/** A cue as read: `labelled` when it names its speaker (a voice or a label, "?:" too); `id` is a WebVTT cue id. */
export type CueRead = Paragraph & { labelled: boolean; id?: string };

/** The cue text as one paragraph: voice or label gives the speaker; tags (<i>, <c>, {\an8}, <00:01.000>) go. */
export function cueParagraph(payload: string[], timing: { startMs: number; endMs: number }, dialect: "vtt" | "srt"): CueRead | null {
  const joined = payload.join(" ");
  const voice = dialect === "vtt" ? VOICE.exec(joined) : null;
  let speaker = voice ? cleanText(voice[1] ?? "") : "";
  let labelled = Boolean(voice);
  let text = cleanText(dialect === "vtt" ? unescapeCueText(joined.replace(/<[^>]*>/g, "")) : joined.replace(SRT_TAGS, ""));
  if (!voice) {
    const label = SPEAKER_LABEL.exec(text);
    if (label) {
      speaker = speakerFromLabel(label[1]!);
      text = text.slice(label[0].length);
      labelled = true;
    }
  }
  if (!text && !speaker) return null;
  return { speaker, startMs: timing.startMs, endMs: timing.endMs, text, labelled };
}

const OUR_CUE_ID = /^turn-(\d+)(?:-(\d+))?$/;

/**
 * Cues back into turns. Our WebVTT export names the cues of a turn turn-007, turn-007-2 ...: those ids decide.
 * Otherwise a cue without voice or label continues the turn before it when that one named its speaker (subtitles
 * label a speaker only where the speaker changes, as our SRT export does); files without any labels (speech
 * engines) keep one paragraph per cue.
 */
export function joinTurns(cues: readonly CueRead[]): Paragraph[] {
  const out: Paragraph[] = [];
  let previousId: RegExpExecArray | null = null;
  let turnLabelled = false;
  for (const cue of cues) {
    const ours = cue.id === undefined ? null : OUR_CUE_ID.exec(cue.id);
    const last = out.at(-1);
    const continues = last !== undefined && (ours && previousId ? ours[2] !== undefined && ours[1] === previousId[1] : turnLabelled && !cue.labelled);
    if (continues) {
      last.endMs = Math.max(last.endMs, cue.endMs);
      last.text = cleanText(`${last.text} ${cue.text}`);
    } else {
      out.push({ speaker: cue.speaker, startMs: cue.startMs, endMs: cue.endMs, text: cue.text });
      turnLabelled = cue.labelled;
    }
    previousId = ours;
  }
  return out;
}

/** Subtitle files made by speech engines cut turns into short cues: join neighbours of the same speaker. */
export function mergeSameSpeaker(paragraphs: Paragraph[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (const p of paragraphs) {
    const last = out.at(-1);
    if (last && last.speaker === p.speaker) {
      last.endMs = Math.max(last.endMs, p.endMs);
      last.text = cleanText(`${last.text} ${p.text}`);
    } else {
      out.push({ ...p });
    }
  }
  return out;
}
