// Real media for upload tests: speech made with espeak-ng and encoded with ffmpeg, WAV headers for generated
// audio of any length (streamed, never held in memory), and raw HTTP uploads that can be cut off midway.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), prefix));
}

/** German speech (espeak-ng) encoded by ffmpeg into the given format; returns the file path. */
export function speech(dir: string, text: string, ext: "mp3" | "wav" | "m4a" | "ogg" | "webm", extra: string[] = []): string {
  const wav = path.join(dir, `speech-${crypto.randomBytes(4).toString("hex")}.wav`);
  execFileSync("espeak-ng", ["-v", "de", "-w", wav, text]);
  if (ext === "wav") return wav;
  const out = wav.replace(/\.wav$/, `.${ext}`);
  const codec = { mp3: ["-c:a", "libmp3lame", "-b:a", "64k"], m4a: ["-c:a", "aac"], ogg: ["-c:a", "libvorbis"], webm: ["-c:a", "libopus"] }[ext];
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", wav, ...codec, ...extra, out]);
  return out;
}

/** A short MP4 with a test picture and no sound, or with a sine tone as well. */
export function video(dir: string, withAudio: boolean): string {
  const out = path.join(dir, `video-${withAudio ? "av" : "v"}-${crypto.randomBytes(4).toString("hex")}.mp4`);
  const audio = withAudio ? ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"] : [];
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", ...audio, "-c:v", "mpeg4", ...(withAudio ? ["-c:a", "aac"] : []), "-shortest", out]);
  return out;
}

export function durationSeconds(file: string): number {
  return Number(execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], { encoding: "utf8" }).trim());
}

/** A canonical 44-byte WAV header: 16-bit mono PCM at 16 kHz, `dataBytes` of samples to follow. */
export function wavHeader(dataBytes: number, sampleRate = 16000): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write("WAVE", 8, "ascii");
  h.write("fmt ", 12, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** A WAV of `dataBytes` PCM bytes (a 440 Hz tone), generated chunk by chunk as it is read. */
export function generatedWav(dataBytes: number, chunkBytes = 1024 * 1024): Readable {
  const tone = Buffer.alloc(chunkBytes);
  for (let i = 0; i < chunkBytes / 2; i++) tone.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)), i * 2);
  let sent = -1;
  return new Readable({
    read() {
      if (sent < 0) {
        sent = 0;
        this.push(wavHeader(dataBytes));
        return;
      }
      if (sent >= dataBytes) return void this.push(null);
      const n = Math.min(chunkBytes, dataBytes - sent);
      sent += n;
      this.push(n === chunkBytes ? tone : tone.subarray(0, n));
    },
  });
}

export type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string; json: Record<string, unknown> | null };

/**
 * POSTs a body as a browser's XHR does (raw bytes, Content-Length when known). With `cut`, the socket is destroyed
 * once `cut.after` bytes are out and `cut.before` (if given) resolves: the answer is then null.
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer | Readable,
  options: { contentLength?: number | null; cut?: { after: number; before?: () => Promise<void> } } = {},
): Promise<RawAnswer | null> {
  return new Promise((resolve, reject) => {
    const length = options.contentLength === undefined ? (Buffer.isBuffer(body) ? body.length : null) : options.contentLength;
    const req = http.request(url, { method: "POST", headers: { ...headers, ...(length !== null ? { "content-length": String(length) } : {}) } });
    let cut = false;
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Record<string, unknown> | null = null;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: parsed });
      });
      res.on("error", () => resolve(null));
    });
    req.on("error", (e) => (cut ? resolve(null) : reject(e)));
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    let sent = 0;
    (async () => {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (options.cut && sent + chunk.length > options.cut.after) {
          const part = chunk.subarray(0, options.cut.after - sent);
          if (part.length) await new Promise<void>((r) => req.write(part, () => r()));
          await options.cut.before?.();
          cut = true;
          req.destroy();
          source.destroy();
          return;
        }
        sent += chunk.length;
        if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
      }
      req.end();
    })().catch((e) => {
      if (!cut) req.destroy(e as Error);
    });
  });
}

/** Polls until check() is true (server-side clean-up runs after the socket closes). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
