// Waveform peaks for the editor's player: ffmpeg decodes the stored recording to 8 kHz mono PCM (argument array,
// no shell, whitelisted protocols, lower priority so pages stay fast), we keep the loudest sample per bucket.
// The result is small (at most MAX_PEAKS numbers 0..100) and kept in memory per recording content (sha256):
// nothing derived from a recording is written anywhere, so a withdrawal has nothing extra to erase.
import { spawn } from "node:child_process";
import os from "node:os";
import type { ProbeSource } from "../storage/storage.server.ts";
import type { Peaks } from "./peaks.ts";

export type { Peaks } from "./peaks.ts";

const SAMPLE_RATE = 8000;
const BASE_BUCKET_MS = 50;
const MAX_PEAKS = 4000;
const TIMEOUT_MS = 15 * 60_000;
const CACHE_SIZE = 32;
/** Demuxers a recording can have passed the upload check with (app/recordings/probe.server.ts). */
const FORMATS = "mp3,wav,aiff,ogg,flac,mov,matroska,amr,aac";

const cache = new Map<string, Peaks>();
const running = new Map<string, Promise<Peaks>>();

/** Peaks of a recording, computed once per content and process; concurrent requests share one ffmpeg run. */
export function recordingPeaks(cacheKey: string, source: () => Promise<ProbeSource>): Promise<Peaks> {
  const hit = cache.get(cacheKey);
  if (hit) {
    cache.delete(cacheKey);
    cache.set(cacheKey, hit); // most recently used last
    return Promise.resolve(hit);
  }
  let job = running.get(cacheKey);
  if (!job) {
    job = source()
      .then(computePeaks)
      .then((peaks) => {
        cache.set(cacheKey, peaks);
        while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
        return peaks;
      })
      .finally(() => running.delete(cacheKey));
    running.set(cacheKey, job);
  }
  return job;
}

export function computePeaks(source: ProbeSource): Promise<Peaks> {
  return new Promise((resolve, reject) => {
    const args = [
      "-hide_banner", "-nostdin", "-v", "error",
      "-protocol_whitelist", source.protocols,
      "-format_whitelist", FORMATS,
      "-i", source.input,
      "-vn", "-ac", "1", "-ar", String(SAMPLE_RATE), "-f", "s16le", "pipe:1",
    ];
    const child = spawn("ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    try {
      if (child.pid) os.setPriority(child.pid, 10);
    } catch {
      // Not permitted everywhere; the peaks still come, only at normal priority.
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    const perBucket = (SAMPLE_RATE * BASE_BUCKET_MS) / 1000;
    const buckets: number[] = [];
    let inBucket = 0;
    let max = 0;
    let samples = 0;
    let carry: Buffer | null = null;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const usable = data.length - (data.length % 2);
      for (let i = 0; i < usable; i += 2) {
        const v = Math.abs(data.readInt16LE(i));
        if (v > max) max = v;
        if (++inBucket === perBucket) {
          buckets.push(max);
          max = 0;
          inBucket = 0;
        }
      }
      samples += usable / 2;
      carry = usable < data.length ? data.subarray(usable) : null;
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().slice(0, 500)}`));
      if (inBucket > 0) buckets.push(max);
      resolve(reducePeaks(buckets, BASE_BUCKET_MS, Math.round((samples / SAMPLE_RATE) * 1000)));
    });
  });
}

/** Joins neighbouring buckets (keeping the loudest) until at most MAX_PEAKS remain; scales to 0..100. */
export function reducePeaks(buckets: number[], bucketMs: number, durationMs: number): Peaks {
  const factor = Math.max(1, Math.ceil(buckets.length / MAX_PEAKS));
  const reduced: number[] = [];
  for (let i = 0; i < buckets.length; i += factor) reduced.push(Math.max(...buckets.slice(i, i + factor)));
  const loudest = Math.max(1, ...reduced);
  return { bucketMs: bucketMs * factor, durationMs, peaks: reduced.map((v) => Math.round((v / loudest) * 100)) };
}
