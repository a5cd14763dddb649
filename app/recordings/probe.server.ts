// ffprobe checks a stored upload in depth: a real audio/video container, at least one audio stream, readable
// packets, and its duration. Always an argument array (execFile/spawn, no shell), a whitelist of demuxers and
// protocols, and a time limit.
import { execFile, spawn } from "node:child_process";
import readline from "node:readline";
import type { ProbeSource } from "../storage/storage.server.ts";
import type { MediaContainer, Sniffed } from "./sniff.ts";

/** Demuxers we accept ("mov" covers mp4/m4a/3gp, "matroska" covers webm). */
const FORMATS = "mp3,wav,aiff,ogg,flac,mov,matroska,amr,aac";
const PROBE_TIMEOUT_MS = 120_000;
const SCAN_TIMEOUT_MS = 15 * 60_000;

export type ProbeResult =
  | { ok: true; formatName: string; mediaType: "audio" | "video"; durationMs: number | null }
  | { ok: false; reason: "corrupt" | "no-audio" };

type FfprobeJson = {
  format?: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; disposition?: { attached_pic?: number } }[];
  packets?: { stream_index?: number }[];
};

function baseArgs(source: ProbeSource): string[] {
  return [
    "-hide_banner",
    "-protocol_whitelist", source.protocols,
    "-format_whitelist", FORMATS,
    "-rw_timeout", "30000000", // µs, for presigned URLs
  ];
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("ffprobe", args, { timeout: PROBE_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function probeMedia(source: ProbeSource): Promise<ProbeResult> {
  const { code, stdout, stderr } = await run([
    ...baseArgs(source),
    "-v", "warning",
    // streams and format from the headers, plus one packet read to prove the data is there
    "-read_intervals", "%+#1",
    "-show_entries", "format=format_name,duration:stream=codec_type:stream_disposition=attached_pic:packet=stream_index",
    "-of", "json",
    "--", source.input,
  ]);
  if (code !== 0) return { ok: false, reason: "corrupt" };
  let data: FfprobeJson;
  try {
    data = JSON.parse(stdout) as FfprobeJson;
  } catch {
    return { ok: false, reason: "corrupt" };
  }
  const streams = data.streams ?? [];
  if (!streams.some((s) => s.codec_type === "audio")) return { ok: false, reason: "no-audio" };
  if (!data.packets?.length || !data.format?.format_name) return { ok: false, reason: "corrupt" };
  const mediaType = streams.some((s) => s.codec_type === "video" && !s.disposition?.attached_pic) ? "video" : "audio";
  let seconds = Number(data.format.duration);
  // A cut-off MP3 keeps the full length in its Xing header; ffprobe notices and warns. Then count what is there.
  if (/filesize and duration do not match/.test(stderr)) seconds = (await scanDuration(source)) ?? seconds;
  const durationMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
  return { ok: true, formatName: data.format.format_name, mediaType, durationMs };
}

/** The end of the last audio packet, by reading every packet (no decoding). Only for files whose header lies. */
function scanDuration(source: ProbeSource): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      "ffprobe",
      [...baseArgs(source), "-v", "error", "-select_streams", "a:0", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", "--", source.input],
      { stdio: ["ignore", "pipe", "ignore"], windowsHide: true },
    );
    const timer = setTimeout(() => child.kill("SIGKILL"), SCAN_TIMEOUT_MS);
    let end = 0;
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const [pts, duration] = line.split(",").map(Number);
      if (Number.isFinite(pts)) end = Math.max(end, pts! + (Number.isFinite(duration) ? duration! : 0));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0 && end > 0 ? end : null);
    });
    child.on("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

/** The Content-Type to store and serve, from the sniffed container and what ffprobe found. */
export function mediaContentType(sniffed: Sniffed<MediaContainer>, formatName: string, mediaType: "audio" | "video"): string {
  const formats = formatName.split(",");
  if (formats.includes("mp3")) return "audio/mpeg";
  if (formats.includes("wav")) return "audio/wav";
  if (formats.includes("aiff")) return "audio/aiff";
  if (formats.includes("flac")) return "audio/flac";
  if (formats.includes("amr")) return "audio/amr";
  if (formats.includes("aac")) return "audio/aac";
  if (formats.includes("ogg")) return `${mediaType}/ogg`;
  if (formats.includes("mov")) return sniffed.container === "quicktime" ? "video/quicktime" : `${mediaType}/mp4`;
  if (formats.includes("matroska")) return sniffed.container === "webm" ? `${mediaType}/webm` : `${mediaType}/x-matroska`;
  return sniffed.contentType;
}
