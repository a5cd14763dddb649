// What a file is, judged by its first bytes (never by its name or the browser's claim). Uploads are refused
// before more than these first bytes reach storage; ffprobe then checks recordings in depth.

/** Bytes needed for a verdict; fewer are enough when the file is shorter. */
export const SNIFF_BYTES = 64;

export type MediaContainer = "mp3" | "id3" | "wav" | "aiff" | "ogg" | "flac" | "mp4" | "quicktime" | "webm" | "matroska" | "amr" | "aac";
export type DocumentType = "pdf" | "jpeg" | "png" | "tiff";

export type Sniffed<T extends string> = { container: T; contentType: string };

const ascii = (b: Uint8Array, start: number, text: string) => {
  if (b.length < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[start + i] !== text.charCodeAt(i)) return false;
  return true;
};

const bytes = (b: Uint8Array, start: number, values: number[]) => values.every((v, i) => b[start + i] === v);

function indexOfAscii(b: Uint8Array, text: string, from = 0): number {
  for (let i = from; i + text.length <= b.length; i++) if (ascii(b, i, text)) return i;
  return -1;
}

/** An MPEG audio frame header (MP3, also MP2): 11 sync bits and no reserved values. */
function isMpegFrame(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || (b[1]! & 0xe0) !== 0xe0) return false;
  const version = (b[1]! >> 3) & 0x03; // 01 reserved
  const layer = (b[1]! >> 1) & 0x03; // 00 reserved (that pattern is ADTS)
  const bitrate = (b[2]! >> 4) & 0x0f; // 1111 invalid
  const sampleRate = (b[2]! >> 2) & 0x03; // 11 reserved
  return version !== 0x01 && layer !== 0x00 && bitrate !== 0x0f && sampleRate !== 0x03;
}

/** AAC in ADTS frames: 12 sync bits, layer 00, a valid sampling index. */
function isAdts(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || (b[1]! & 0xf6) !== 0xf0) return false;
  const samplingIndex = (b[2]! >> 2) & 0x0f;
  return samplingIndex <= 12;
}

/**
 * The audio/video container of a file from its first SNIFF_BYTES bytes (or all of a shorter file: complete),
 * "more" while fewer have arrived, or null when it is not audio or video.
 */
export function sniffMedia(bytesSoFar: Uint8Array, complete = false): Sniffed<MediaContainer> | "more" | null {
  if (bytesSoFar.length < SNIFF_BYTES && !complete) return "more";
  const head = bytesSoFar.subarray(0, SNIFF_BYTES);
  if (ascii(head, 0, "ID3") && head.length >= 10 && head[3]! >= 2 && head[3]! <= 4) return { container: "id3", contentType: "audio/mpeg" };
  if ((ascii(head, 0, "RIFF") || ascii(head, 0, "RF64") || ascii(head, 0, "BW64")) && ascii(head, 8, "WAVE")) return { container: "wav", contentType: "audio/wav" };
  if (ascii(head, 0, "FORM") && (ascii(head, 8, "AIFF") || ascii(head, 8, "AIFC"))) return { container: "aiff", contentType: "audio/aiff" };
  if (ascii(head, 0, "OggS")) return { container: "ogg", contentType: "audio/ogg" };
  if (ascii(head, 0, "fLaC")) return { container: "flac", contentType: "audio/flac" };
  if (ascii(head, 0, "#!AMR")) return { container: "amr", contentType: "audio/amr" };
  if (bytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) {
    // EBML; the DocType says webm or matroska
    return indexOfAscii(head, "webm") >= 0 ? { container: "webm", contentType: "audio/webm" } : { container: "matroska", contentType: "audio/x-matroska" };
  }
  if (ascii(head, 4, "ftyp") && head.length >= 12) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (brand === "qt  ") return { container: "quicktime", contentType: "video/quicktime" };
    return { container: "mp4", contentType: brand.startsWith("M4") ? "audio/mp4" : "video/mp4" };
  }
  if (isAdts(head)) return { container: "aac", contentType: "audio/aac" };
  if (isMpegFrame(head)) return { container: "mp3", contentType: "audio/mpeg" };
  return null;
}

/** Scanned consent forms: PDF, JPEG, PNG or TIFF. */
export function sniffDocument(head: Uint8Array, complete = false): Sniffed<DocumentType> | "more" | null {
  if (head.length < SNIFF_BYTES && !complete) return "more";
  if (ascii(head, 0, "%PDF-")) return { container: "pdf", contentType: "application/pdf" };
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) return { container: "jpeg", contentType: "image/jpeg" };
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { container: "png", contentType: "image/png" };
  if (bytes(head, 0, [0x49, 0x49, 0x2a, 0x00]) || bytes(head, 0, [0x4d, 0x4d, 0x00, 0x2a])) return { container: "tiff", contentType: "image/tiff" };
  return null;
}
