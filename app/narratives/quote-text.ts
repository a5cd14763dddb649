// Turning a selection of a transcript's plain text (Dresing & Pehl layout) into quote text. Browser-safe.
import { SPEAKER_NAME } from "../transcripts/formats/types.ts";

const TIMESTAMP = /\s*#\d{2}:\d{2}:\d{2}-\d#/g;
// The label as the transcript formats read it (a "Zoë:" turn loses its label too).
const LABEL = new RegExp(`^(?:${SPEAKER_NAME}|\\?):\\s*`, "u");

/** A selection of the plain text as a quote: timestamps go; a single turn loses its label, several keep theirs. */
export function quoteText(selection: string): string {
  const turns = selection
    .split(/\n\s*\n/)
    .map((t) => t.replace(TIMESTAMP, "").trim())
    .filter(Boolean);
  if (turns.length === 1) return turns[0]!.replace(LABEL, "").trim();
  return turns.join("\n\n");
}
