// GAT 2 minimal transcript (Selting et al. 2009), made from a Dresing & Pehl transcript: numbered lines,
// speaker abbreviations, lower case without punctuation, pauses (.) (-) (--) (---) or measured (2.0),
// ((lacht)) for non-verbal events, ( ) for unintelligible, (wort) for uncertain. Export only: the mapping loses
// information (punctuation, capitals for stress), so there is no parser.
import { DP_TIMESTAMP } from "./timestamp.ts";
import type { Paragraph } from "./types.ts";

const LINE_WIDTH = 60;
/** A silence between turns at least this long gets its own line with the measured pause. */
const MEASURED_PAUSE_MS = 1000;

const MARKUP = new RegExp(`${DP_TIMESTAMP.source}|\\[[^\\]]*\\]|\\([^()]*\\)`, "g");

function convertMarker(marker: string): string {
  if (marker.startsWith("#")) return "";
  // Anonymization placeholders ([Name], [Ort]): square brackets mean overlap in GAT, so they become comments.
  if (marker.startsWith("[")) return `((${marker.slice(1, -1).trim().toLowerCase()}))`;
  const inner = marker.slice(1, -1).trim();
  if (inner === ".") return "(.)";
  if (inner === "..") return "(-)";
  if (inner === "..." || inner === "…") return "(--)";
  const seconds = /^(\d+(?:[.,]\d+)?)\s*(?:s|sek\.?|sekunden)?$/i.exec(inner);
  if (seconds) return `(${Number(seconds[1]!.replace(",", ".")).toFixed(1)})`;
  if (/^unv\b/i.test(inner)) return "( )";
  if (inner.endsWith("?")) return `(${plain(inner.slice(0, -1))})`;
  return `((${inner.toLowerCase()}))`;
}

/** Running text: lower case, no punctuation, no "/" for broken-off words. */
function plain(text: string): string {
  return text
    .toLowerCase()
    .replace(/[.,;:!?"„“”‚‘’«»/]+/g, " ")
    .replace(/(^|\s)[-–—]+(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function gatText(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(MARKUP)) {
    out += ` ${plain(text.slice(last, match.index))} ${convertMarker(match[0])} `;
    last = match.index! + match[0].length;
  }
  out += ` ${plain(text.slice(last))}`;
  return out.replace(/\s+/g, " ").trim();
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** `title` and `kind` make the header ("Transkript INT-2025-0001", "GAT 2 Minimaltranskript"), both in one language. */
export function writeGat2(paragraphs: readonly Paragraph[], options: { title?: string; kind?: string } = {}): string {
  const labels = paragraphs.map((p) => `${p.speaker || "?"}:`);
  const labelWidth = Math.max(3, ...labels.map((l) => l.length)) + 1;
  const rows: { label: string; text: string }[] = [];
  paragraphs.forEach((p, i) => {
    const gap = i > 0 ? p.startMs - paragraphs[i - 1]!.endMs : 0;
    if (gap >= MEASURED_PAUSE_MS) rows.push({ label: "", text: `(${(gap / 1000).toFixed(1)})` });
    wrap(gatText(p.text), LINE_WIDTH).forEach((text, j) => rows.push({ label: j === 0 ? labels[i]! : "", text }));
  });
  const numberWidth = Math.max(3, String(rows.length).length);
  const body = rows.map((r, i) => `${String(i + 1).padStart(numberWidth, "0")} ${r.label.padEnd(labelWidth)}${r.text}`.trimEnd());
  const head = options.title ? [options.title, options.kind ?? "GAT 2 Minimaltranskript", ""] : [];
  return [...head, ...body].join("\n") + "\n";
}
