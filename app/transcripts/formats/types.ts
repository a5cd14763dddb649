// The transcript as the formats see it: one paragraph per speaker turn, times in milliseconds.
// Shared by the editor (browser) and the server; no Node-only imports here.

/** A word with its timing from the speech engine: text, start ms, end ms, probability (0..1). */
export type Word = { t: string; s: number; e: number; p?: number };

export type Paragraph = {
  /** I, B, B1, B2, D ...; "" when no speaker is assigned yet (a fresh whisper transcript). */
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  words?: Word[] | null;
};

/** Paragraph and word counts of a version, stored with it (the version list shows them without reading it). */
export function versionCounts(paragraphs: readonly Pick<Paragraph, "text">[]): { paragraphCount: number; wordCount: number } {
  return { paragraphCount: paragraphs.length, wordCount: paragraphs.reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0) };
}

export const IMPORT_FORMATS = ["txt", "docx", "srt", "vtt"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ["txt", "docx", "srt", "vtt", "gat2"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A file that cannot be read. `line` is 1-based (for DOCX: the paragraph number); `code` names an i18n key
 * under transcripts:import.errors, so the page can say what is wrong and where.
 */
export class TranscriptParseError extends Error {
  constructor(
    readonly code: string,
    readonly line: number,
  ) {
    super(`${code} at line ${line}`);
    this.name = "TranscriptParseError";
  }
}

/**
 * A speaker's name as the text formats read it back: "I", "B1", "D", also short names in any alphabet with capitals
 * ("Rosa", "Zoë", "Şirin", "Łukasz"). A pattern for the "u" flag: 16 code points, a capital first.
 */
export const SPEAKER_NAME = "\\p{Lu}[\\p{L}\\p{N}]{0,15}";
/** A speaker label at the start of a paragraph: "I:", "B1:", "D:", also short names ("Rosa:"); "?:" is unassigned. */
export const SPEAKER_LABEL = new RegExp(`^(${SPEAKER_NAME}|\\?):[ \\t\\u00a0]*`, "u");

export const speakerLabel = (speaker: string) => (speaker === "" ? "?" : speaker);
export const speakerFromLabel = (label: string) => (label === "?" ? "" : label);

/** Paragraph text is one line: line breaks and runs of spaces inside a turn become single spaces. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, " ").trim();
}

/** Paragraphs as stored: text on one line, times whole and ordered within the paragraph, words only when given. */
export function normalizeParagraphs(paragraphs: readonly Paragraph[]): Paragraph[] {
  return paragraphs.map((p) => {
    const startMs = Math.max(0, Math.round(p.startMs));
    return {
      speaker: p.speaker.trim(),
      startMs,
      endMs: Math.max(startMs, Math.round(p.endMs)),
      text: cleanText(p.text),
      words: p.words?.length ? p.words : null,
    };
  });
}
