// One entry for imports and exports: detect the format of an uploaded file, read it, write an export.
import { parseDocx, writeDocx } from "./docx.server.ts";
import { writeGat2 } from "./gat2.ts";
import { parseSrt, writeSrt } from "./srt.ts";
import { parseText, writeText } from "./text.ts";
import { TranscriptParseError, type ExportFormat, type ImportFormat, type Paragraph } from "./types.ts";
import { parseVtt, writeVtt } from "./vtt.ts";

export { TranscriptParseError } from "./types.ts";

/**
 * The byte order of a UTF-16 file (what Notepad and Word save as "Unicode" text): by its byte order mark or, without
 * one, by which byte of each pair is zero (Latin text). Null for any other encoding.
 */
function utf16Order(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  // Text of Latin letters: nearly every other byte is zero, the rest almost never.
  if (oddZero > 0.4 * (n / 2) && evenZero < 0.05 * (n / 2)) return "utf-16le";
  if (evenZero > 0.4 * (n / 2) && oddZero < 0.05 * (n / 2)) return "utf-16be";
  return null;
}

/** Text files in UTF-8 (with or without BOM), UTF-16 ("Unicode" in Windows tools); older Windows tools write Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  const utf16 = utf16Order(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes).normalize("NFC");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).normalize("NFC");
  } catch {
    return new TextDecoder("windows-1252").decode(bytes).normalize("NFC");
  }
}

/**
 * A text file's content; a binary file (a PDF, an old Word .doc, audio) is refused with its own message instead of
 * being read as text and failing at its first line for a missing speaker.
 */
function readTextFile(bytes: Uint8Array): string {
  const text = decodeText(bytes);
  const controls = text.slice(0, 4096).match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (text.includes("\u0000") || controls > 8) throw new TranscriptParseError("notText", 1);
  return text;
}

/** The content decides where it can (a DOCX is a zip, WebVTT has its header); otherwise the file name. */
export function detectFormat(fileName: string, bytes: Uint8Array): ImportFormat {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "docx";
  const head = decodeText(bytes.subarray(0, 256)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("WEBVTT")) return "vtt";
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === "srt" || /^\d+\s*\r?\n\s*\d+:\d{2}:\d{2},\d{3}\s+-->/.test(head)) return "srt";
  if (ext === "vtt") return "vtt";
  if (ext === "docx") return "docx";
  return "txt";
}

export async function parseTranscriptFile(format: ImportFormat, bytes: Uint8Array, options: { mergeSameSpeaker?: boolean } = {}): Promise<Paragraph[]> {
  switch (format) {
    case "docx":
      return parseDocx(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    case "vtt":
      return parseVtt(readTextFile(bytes), options);
    case "srt":
      return parseSrt(readTextFile(bytes), options);
    case "txt":
      return parseText(readTextFile(bytes));
    default:
      throw new TranscriptParseError("format", 1);
  }
}

export type ExportFile = { body: string | Buffer; contentType: string; extension: string };

export async function writeTranscriptFile(format: ExportFormat, paragraphs: readonly Paragraph[], options: { title?: string; kind?: string; language?: string } = {}): Promise<ExportFile> {
  switch (format) {
    case "txt":
      return { body: writeText(paragraphs), contentType: "text/plain; charset=utf-8", extension: "txt" };
    case "docx":
      return { body: await writeDocx(paragraphs, options), contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extension: "docx" };
    case "srt":
      return { body: writeSrt(paragraphs), contentType: "application/x-subrip; charset=utf-8", extension: "srt" };
    case "vtt":
      return { body: writeVtt(paragraphs), contentType: "text/vtt; charset=utf-8", extension: "vtt" };
    case "gat2":
      return { body: writeGat2(paragraphs, options), contentType: "text/plain; charset=utf-8", extension: "gat2.txt" };
  }
}
