// HTTP Range requests (RFC 9110 §14) for playback: one range per request, which is what media elements send.

export type RangeAnswer =
  | { kind: "full" } // no Range (or one we ignore): 200 with the whole file
  | { kind: "partial"; start: number; end: number } // 206, inclusive positions
  | { kind: "unsatisfiable" }; // 416 with Content-Range: bytes */size

/**
 * Reads a Range header against a file of `size` bytes. Other units are ignored (RFC 9110: MUST ignore), as are
 * several ranges at once (MAY ignore; browsers never ask for them). Malformed byte ranges, ranges starting
 * beyond the end and empty suffixes are unsatisfiable. `maxLength` caps an open range ("bytes=a-"): the
 * answer then names the shorter range in Content-Range, and the player asks for the rest.
 */
export function parseRange(header: string | null, size: number, maxLength = Infinity): RangeAnswer {
  if (header === null) return { kind: "full" };
  const match = /^\s*([A-Za-z]+)\s*=\s*(.*)$/.exec(header);
  if (!match) return { kind: "unsatisfiable" };
  if (match[1]!.toLowerCase() !== "bytes") return { kind: "full" };
  const specs = match[2]!.split(",").map((s) => s.trim()).filter(Boolean);
  if (specs.length === 0) return { kind: "unsatisfiable" };
  if (specs.length > 1) return specs.every((s) => /^(\d*)-(\d*)$/.test(s)) ? { kind: "full" } : { kind: "unsatisfiable" };
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === "" && spec[2] === "")) return { kind: "unsatisfiable" };
  if (size <= 0) return { kind: "unsatisfiable" };
  if (spec[1] === "") {
    // suffix: the last n bytes
    const n = Number(spec[2]);
    if (!Number.isSafeInteger(n) || n === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(spec[1]);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: "unsatisfiable" };
  if (spec[2] === "") return { kind: "partial", start, end: Math.min(size - 1, start + maxLength - 1) };
  const last = Number(spec[2]);
  if (!Number.isSafeInteger(last) || last < start) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(last, size - 1) };
}
