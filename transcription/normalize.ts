// Audio in, 16 kHz mono 32-bit float PCM out (what whisper.cpp takes). ffprobe and ffmpeg are called with
// argument arrays (execFile/spawn, never a shell), on files this worker created itself.
import { execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { TranscriptionError } from "./errors.ts";

export const SAMPLE_RATE = 16_000;
export const BYTES_PER_SAMPLE = 4;

export type ProbeResult = { durationMs: number | null; audioStreams: number; videoStreams: number; formatName: string | null };

type FfprobeJson = {
  streams?: { codec_type?: string }[];
  format?: { duration?: string; format_name?: string };
};

/** The `file:` protocol keeps a path from ever being read as another protocol or an option. */
const fileInput = (file: string) => `file:${file}`;

function firstLines(text: string, n = 2): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .join(" ");
}

/** Duration and streams of a media file; a file ffprobe cannot read fails with transcription:errors.corrupt. */
export async function probe(file: string, signal?: AbortSignal): Promise<ProbeResult> {
  const args = ["-v", "error", "-protocol_whitelist", "file", "-print_format", "json", "-show_format", "-show_streams", fileInput(file)];
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    execFile("ffprobe", args, { maxBuffer: 8 * 1024 * 1024, signal }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") reject(new TranscriptionError("transcription:errors.ffmpegMissing", "ffprobe"));
      else if (error && error.name === "AbortError") reject(error);
      else resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : 1) : 0 });
    });
  });
  if (code !== 0) throw new TranscriptionError("transcription:errors.corrupt", firstLines(stderr) || `ffprobe exit ${code}`);
  let parsed: FfprobeJson;
  try {
    parsed = JSON.parse(stdout) as FfprobeJson;
  } catch {
    throw new TranscriptionError("transcription:errors.corrupt", "ffprobe output unreadable");
  }
  const streams = parsed.streams ?? [];
  const duration = Number(parsed.format?.duration);
  return {
    durationMs: Number.isFinite(duration) && duration > 0 ? Math.round(duration * 1000) : null,
    audioStreams: streams.filter((s) => s.codec_type === "audio").length,
    videoStreams: streams.filter((s) => s.codec_type === "video").length,
    formatName: parsed.format?.format_name ?? null,
  };
}

/**
 * Decoding in progress: ffmpeg's output is appended to `pcmPath` while the first windows are already being
 * transcribed (a 2-hour recording takes seconds to decode; nobody should wait for that).
 */
export type Decoding = {
  pcmPath: string;
  /** Samples written to the file so far. */
  available(): number;
  /** Resolves when at least `samples` are in the file, or decoding has ended (then the total is known). */
  waitFor(samples: number): Promise<void>;
  /** The total number of samples; rejects with transcription:errors.corrupt if nothing could be decoded. */
  done: Promise<number>;
  /** The total, once done; null before. */
  total(): number | null;
};

/** Starts decoding the first audio stream to raw f32le 16 kHz mono in `pcmPath`. */
export function startDecoding(file: string, pcmPath: string, signal?: AbortSignal): Decoding {
  const args = ["-nostdin", "-v", "error", "-protocol_whitelist", "file,pipe", "-i", fileInput(file), "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", String(SAMPLE_RATE), "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"];
  const child = spawn("ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"], signal });
  const out = createWriteStream(pcmPath, { mode: 0o600 });
  let bytes = 0;
  let total: number | null = null;
  let failed: unknown = null;
  let waiters: { samples: number; resolve: () => void }[] = [];
  const wake = () => {
    const ready = waiters.filter((w) => total !== null || failed !== null || Math.floor(bytes / BYTES_PER_SAMPLE) >= w.samples);
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  };
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    if (err.length < 16_384) err += d.toString();
  });
  child.stdout.on("data", (chunk: Buffer) => {
    // Counted once the file holds the bytes, so the engine process can read them.
    if (!out.write(chunk, () => ((bytes += chunk.length), wake()))) {
      child.stdout.pause();
      out.once("drain", () => child.stdout.resume());
    }
  });
  const done = new Promise<number>((resolve, reject) => {
    let exit: number | null | undefined;
    const finish = () => {
      if (exit === undefined) return;
      if (exit !== 0) return reject(new TranscriptionError("transcription:errors.corrupt", firstLines(err) || `ffmpeg exit ${exit}`));
      const samples = Math.floor(bytes / BYTES_PER_SAMPLE);
      // ffmpeg skips damaged frames and carries on; a file of which nothing could be decoded is corrupt. A clean
      // decode of a few milliseconds is a whole recording, just too short to hear anything in.
      if (samples > 0 && samples < SAMPLE_RATE / 10 && !err.trim()) return reject(new TranscriptionError("transcription:errors.tooShort", `${Math.round((1000 * samples) / SAMPLE_RATE)} ms`));
      if (samples < SAMPLE_RATE / 10) return reject(new TranscriptionError("transcription:errors.corrupt", firstLines(err) || "no audio could be decoded"));
      resolve(samples);
    };
    child.on("error", (e) => reject((e as NodeJS.ErrnoException).code === "ENOENT" ? new TranscriptionError("transcription:errors.ffmpegMissing", "ffmpeg") : e));
    child.on("close", (code) => {
      exit = code;
      out.end(finish);
    });
  }).then(
    (samples) => {
      total = samples;
      wake();
      return samples;
    },
    (error: unknown) => {
      failed = error;
      wake();
      throw error;
    },
  );
  done.catch(() => undefined);
  return {
    pcmPath,
    available: () => Math.floor(bytes / BYTES_PER_SAMPLE),
    waitFor: (samples) => new Promise<void>((resolve) => {
      waiters.push({ samples, resolve });
      wake();
    }),
    done,
    total: () => total,
  };
}

/** Decodes the whole file and returns the number of samples (tests, tools). */
export async function decodeToPcm(file: string, outFile: string, signal?: AbortSignal): Promise<number> {
  return startDecoding(file, outFile, signal).done;
}

export type Prepared = { probe: ProbeResult; decoding: Decoding };

/** probe, then start decoding: a file without an audio stream fails with transcription:errors.noAudio. */
export async function prepareAudio(input: string, pcmPath: string, signal?: AbortSignal): Promise<Prepared> {
  const info = await probe(input, signal);
  if (info.audioStreams === 0) throw new TranscriptionError("transcription:errors.noAudio", info.videoStreams ? "video without sound" : (info.formatName ?? "no streams"));
  return { probe: info, decoding: startDecoding(input, pcmPath, signal) };
}

export const samplesToMs = (samples: number) => Math.floor((samples * 1000) / SAMPLE_RATE);
export const msToSamples = (ms: number) => Math.round((ms * SAMPLE_RATE) / 1000);
