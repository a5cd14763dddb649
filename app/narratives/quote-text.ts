// Turning a selection of a transcript's plain text (Dresing & Pehl layout) into quote text. Browser-safe.
const TIMESTAMP = /\s*#\d{2}:\d{2}:\d{2}-\d#/g;
const LABEL = /^(?:[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]{0,15}|\?):\s*/;

/** A selection of the plain text as a quote: timestamps go; a single turn loses its label, several keep theirs. */
export function quoteText(selection: string): string {
  const turns = selection
    .split(/\n\s*\n/)
    .map((t) => t.replace(TIMESTAMP, "").trim())
    .filter(Boolean);
  if (turns.length === 1) return turns[0]!.replace(LABEL, "").trim();
  return turns.join("\n\n");
}
