// For transcription tests: a private storage folder (imported first, before anything reads the configuration),
// fixture audio cut from ../shared/fixtures with ffmpeg, interviews with consent and a stored recording, and
// worker processes (transcription/worker-main.ts) on the test file's database. Not imported by the app.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newRecordKey } from "../statistics/record-key.server.ts";

const tmp = process.env.TEST_TMP_DIR ?? os.tmpdir();
export const STORAGE_DIR = fs.mkdtempSync(path.join(tmp, "lebenswege-storage-"));
process.env.STORAGE = "local";
process.env.STORAGE_DIR = STORAGE_DIR;

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const FIXTURES = path.resolve(ROOT, "..", "shared", "fixtures", "interviews");
export const MODELS = path.resolve(ROOT, "..", "shared", "models", "synthetic");
/** Emits three German segments per 30 s window, whatever it hears (../shared/models/README.md). */
export const SPEAKS_MODEL = path.join(MODELS, "ggml-micro-RANDOM-WEIGHTS-speaks.bin");
export const TINY_MODEL = path.join(MODELS, "ggml-tiny-RANDOM-WEIGHTS-eot.bin");
/** Hears nothing: ends every window at once, so a run recognizes no text (as silence or a wrong language would). */
export const NOTHING_MODEL = path.join(MODELS, "ggml-micro-RANDOM-WEIGHTS-eot.bin");

const audioDir = fs.mkdtempSync(path.join(tmp, "lebenswege-audio-"));

/** `seconds` of the fixture interview int-01 (synthetic German speech), as mp3. */
export function fixtureAudio(seconds: number, name = `int-01-${seconds}s.mp3`): string {
  const out = path.join(audioDir, name);
  if (!fs.existsSync(out)) execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", path.join(FIXTURES, "int-01.mp3"), "-t", String(seconds), "-c", "copy", "-y", out]);
  return out;
}

/** A video file without any sound. */
export function silentVideo(): string {
  const out = path.join(audioDir, "no-audio.mp4");
  if (!fs.existsSync(out)) execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=64x64:d=2", "-pix_fmt", "yuv420p", "-y", out]);
  return out;
}

/** A clean WAV of 50 ms: a whole recording, too short to transcribe. */
export function shortWav(): string {
  const out = path.join(audioDir, "short.wav");
  if (!fs.existsSync(out)) execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.05", "-ar", "16000", "-ac", "1", "-y", out]);
  return out;
}

/** Bytes that start like an MP3 (ID3 tag) but are noise after that: what a damaged upload looks like. */
export function corruptAudio(): Buffer {
  // Fixed noise (mulberry32, seed 2): truly random bytes are now and then taken for a video stream by ffprobe,
  // which turns the expected "corrupt" into "no audio" (seen once in CI).
  const noise = Buffer.alloc(64 * 1024);
  let a = 2;
  for (let i = 0; i < noise.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    noise[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return Buffer.concat([Buffer.from("ID3\x03\x00\x00\x00\x00\x00\x00", "latin1"), noise]);
}

export const unique = (label: string) => `${label}-${crypto.randomBytes(5).toString("hex")}`;

let interviews = 0;

export type PlantOptions = { scopes?: { recording?: boolean; transcription?: boolean }; audio?: Buffer | string; db?: import("../db/client.server.ts").Db };

/** A case, an interview with current consent (recording + transcription by default) and a stored recording. */
export async function plantInterview(options: PlantOptions = {}) {
  const { db: defaultDb } = await import("../db/client.server.ts");
  const { storage, newStorageKey } = await import("../storage/storage.server.ts");
  const { seedReference } = await import("../../prisma/seed/reference.ts");
  const db = options.db ?? defaultDb;
  if ((await db.municipality.count()) === 0) await seedReference(db);
  const municipality = await db.municipality.findFirstOrThrow({ select: { id: true } });
  const kase = await db.case.create({
    data: { recordKey: newRecordKey(), pseudonym: unique("LW"), municipalityId: municipality.id, group: "refugee", imStart: new Date("2024-01-01T00:00:00Z") },
    select: { id: true },
  });
  const interview = await db.interview.create({
    data: { code: `INT-2099-${String(++interviews).padStart(4, "0")}`, caseId: kase.id, date: new Date("2025-04-01T00:00:00Z"), placeType: "office", languages: JSON.stringify(["de"]), status: "recorded" },
    select: { id: true, code: true },
  });
  const scopes = { recording: true, transcription: true, ...options.scopes };
  await db.consentRecord.create({
    data: {
      interviewId: interview.id,
      version: 1,
      givenBy: "person",
      givenAt: new Date("2025-04-01T00:00:00Z"),
      form: "written",
      language: "de",
      infoSheetVersion: "2025-01",
      scopeRecording: scopes.recording,
      scopeTranscription: scopes.transcription,
    },
  });
  const body = options.audio === undefined ? fs.readFileSync(fixtureAudio(90)) : typeof options.audio === "string" ? fs.readFileSync(options.audio) : options.audio;
  const storageKey = newStorageKey();
  const { Readable } = await import("node:stream");
  const put = await storage().put(storageKey, Readable.from([body]));
  const recording = await db.recording.create({
    data: { interviewId: interview.id, storageKey, displayName: "Aufnahme.mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: BigInt(put.size), sha256: put.sha256 },
    select: { id: true },
  });
  return { caseId: kase.id, interviewId: interview.id, code: interview.code, recordingId: recording.id, storageKey };
}

export type WorkerProcess = { child: ChildProcess; output(): string; waitExit(): Promise<number | null>; stop(): Promise<void> };

/** `npm run worker` as the app would run it, on this test file's database and storage folder. */
export function startWorkerProcess(env: Record<string, string> = {}): WorkerProcess {
  const loader = `file://${path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")}`;
  const child = fork(path.join(ROOT, "transcription", "worker-main.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", loader],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      WHISPER_MODEL: SPEAKS_MODEL,
      WHISPER_THREADS: "1",
      WHISPER_NICE: "0",
      TRANSCRIPTION_POLL_MS: "100",
      ...env,
    },
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitExit: () => exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls `check` until it returns a truthy value (or fails after `timeoutMs`). */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, what = "condition"): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
