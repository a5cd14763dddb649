// Paragraph rows as stored (TranscriptParagraph: word timings as JSON text) and as the app uses them (Paragraph).
import type { Paragraph, Word } from "./formats/types.ts";

export const paragraphSelect = { speaker: true, startMs: true, endMs: true, text: true, words: true } as const;

export type ParagraphRow = { speaker: string; startMs: number; endMs: number; text: string; words: string | null };

export function parseWords(value: string | null): Word[] | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as Word[]) : null;
  } catch {
    return null;
  }
}

export function toParagraph(row: ParagraphRow): Paragraph {
  return { speaker: row.speaker, startMs: row.startMs, endMs: row.endMs, text: row.text, words: parseWords(row.words) };
}
