// npm run bench:transcribe [-- --threads 1 --nice 10 --runs 3 --model PATH --language auto --shorten-pauses off]
// Three alternating runs by default: single runs on a shared 2-core machine move by +-1 %, as much as the margin.
// On the same 10-minute audio (two fixture interviews, ../shared/fixtures), model and threads:
//  (a) the bare smart-whisper call in a script (scripts/bench/bare-engine.ts; PCM decoded and model loaded first),
//  (b) the whole pipeline through the real server: upload (HTTP), start (the transcription page's form), the
//      embedded worker (TRANSCRIPTION_WORKER=embedded, WHISPER_NICE) until the transcript is in the database;
// and the p95 of a real page (default /interviews: session, permission, database queries, SSR) idle vs while
// transcribing (--page /cases for the case register).
// Targets: pipeline <= 1.05 x bare; page p95 while transcribing < 50 ms and <= 1.5 x idle. Last line: JSON.
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import { parseArgs } from "node:util";
import { buildApp, startServer } from "./server.ts";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..", "..");
const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: process.env.WHISPER_THREADS ?? "1" },
    nice: { type: "string", default: process.env.WHISPER_NICE ?? "10" },
    runs: { type: "string", default: "3" },
    model: { type: "string", default: path.resolve(root, "..", "shared", "models", "synthetic", "ggml-tiny-RANDOM-WEIGHTS-eot.bin") },
    // The fixtures are German. With "auto", a model that never emits a segment (the random-weights one) makes
    // every window detect the language again; a real model detects once, on the first window with speech.
    language: { type: "string", default: "de" },
    beam: { type: "string", default: "5" },
    // The app's default: pauses of 0.6 s and more shortened to 0.4 s before whisper hears them (ADR 0006).
    "shorten-pauses": { type: "string", default: "on" },
    seconds: { type: "string", default: "600" },
    // A few people working: a page request every 100 ms (plus its own time) while the transcription runs.
    "page-interval-ms": { type: "string", default: "100" },
    // The researchers' interview list: session, permission, database queries, server rendering.
    page: { type: "string", default: "/interviews" },
  },
});
const threads = Number(args.threads);
const nice = Number(args.nice);
const runs = Number(args.runs);
const seconds = Number(args.seconds);
const pageIntervalMs = Number(args["page-interval-ms"]);
const say = (line: string) => console.log(`▶ ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- audio: the same 10 minutes for both ------------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-bench-"));
const fixtures = path.resolve(root, "..", "shared", "fixtures", "interviews");
const mp3 = path.join(work, "bench.mp3");
const pcm = path.join(work, "bench.pcm");
execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", path.join(fixtures, "int-01.mp3"), "-i", path.join(fixtures, "int-02.mp3"), "-filter_complex", "[0:a][1:a]concat=n=2:v=0:a=1", "-t", String(seconds), "-ac", "1", "-b:a", "48k", "-y", mp3]);
execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-i", mp3, "-ac", "1", "-ar", "16000", "-f", "f32le", "-y", pcm]);
const audioSeconds = fs.statSync(pcm).size / 4 / 16000;
say(`audio: ${audioSeconds.toFixed(1)} s (${(fs.statSync(mp3).size / 1e6).toFixed(1)} MB mp3), model ${path.basename(args.model)}, ${threads} thread(s), nice ${nice}, ${os.cpus().length} CPU(s)`);

// ---- the app: fresh database with demo data, the real server with its embedded worker -----------------------
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.TEST_TMP_DIR = work;
const { createTestDatabase } = await import("../../tests/support/db.ts");
process.env.DATABASE_URL = await createTestDatabase();
process.env.STORAGE = "local";
process.env.STORAGE_DIR = path.join(work, "storage");
const { db } = await import("../../app/db/client.server.ts");
const { seedReference } = await import("../../prisma/seed/reference.ts");
const { seedDemo, DEMO_USERS } = await import("../../prisma/seed/demo.ts");
const { HttpClient } = await import("../../tests/support/app-server.ts");
await seedReference(db);
await seedDemo(db, { cases: 60 });
buildApp();
const { server, origin, output: serverOutput } = await startServer({ TRANSCRIPTION_WORKER: "embedded", WHISPER_MODEL: args.model, WHISPER_THREADS: String(threads), WHISPER_NICE: String(nice), WHISPER_BEAM_SIZE: args.beam, WHISPER_SHORTEN_PAUSES: args["shorten-pauses"] });
const stopServer = async () => {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await Promise.race([exited, sleep(15_000)]);
  if (server.exitCode === null) server.kill("SIGKILL");
};
for (let i = 0; !serverOutput().includes("worker ") || !serverOutput().includes("is running on"); i++) {
  if (i > 600) throw new Error(`server or worker did not start:\n${serverOutput()}`);
  await sleep(100);
}
const password = (u: string) => DEMO_USERS.find((d) => d.username === u)!.password;
const researcher = new HttpClient(origin);
await researcher.login("forschung", password("forschung"));
const reader = new HttpClient(origin);
await reader.login("admin", password("admin")); // admins may open every page
const PAGE = args.page;

async function timePage(): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await reader.get(PAGE);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${PAGE}: HTTP ${res.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN;
};

/** Page requests one after another with a pause between, until `until()` says stop (or `count` are done). */
async function sample(until: () => boolean, count = Infinity): Promise<number[]> {
  const out: number[] = [];
  while (!until() && out.length < count) {
    out.push(await timePage());
    await sleep(pageIntervalMs);
  }
  return out;
}

// ---- one interview per run, with consent -------------------------------------------------------------------
async function plantInterview(n: number) {
  const kase = await db.case.findFirstOrThrow({ select: { id: true } });
  const interview = await db.interview.create({ data: { code: `INT-2025-9${String(n).padStart(3, "0")}`, caseId: kase.id, date: new Date("2025-04-01T00:00:00Z"), placeType: "office", languages: JSON.stringify(["de"]) }, select: { id: true } });
  await db.consentRecord.create({ data: { interviewId: interview.id, version: 1, givenBy: "person", givenAt: new Date("2025-04-01T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "bench", scopeRecording: true, scopeTranscription: true } });
  return interview.id;
}

async function bare(): Promise<{ ms: number; peakRssMb: number }> {
  const loader = url.pathToFileURL(path.join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", loader, path.join(root, "scripts", "bench", "bare-engine.ts"), args.model, pcm, String(threads), args.language, args.beam, String(nice)], { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`bare engine exited ${code}`))));
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as { ms: number; peakRssMb: number };
}

/** Upload -> start -> embedded worker -> transcript in the database; page requests alongside when `pages`. */
async function pipeline(n: number, pages: boolean) {
  const interviewId = await plantInterview(n);
  const csrf = await researcher.csrfToken();
  const logFrom = serverOutput().length;
  const t0 = Date.now();
  const upload = await researcher.fetch(`/interviews/${interviewId}/recordings`, {
    method: "POST",
    body: fs.readFileSync(mp3),
    headers: { origin, "content-type": "audio/mpeg", "x-file-name": encodeURIComponent("bench.mp3"), "x-csrf-token": csrf },
  });
  const uploaded = (await upload.json()) as { recording?: { id: string }; error?: string };
  if (!uploaded.recording) throw new Error(`upload failed: HTTP ${upload.status} ${JSON.stringify(uploaded)}`);
  const tUploaded = Date.now();
  const start = await researcher.post(`/interviews/${interviewId}/transcription`, { _csrf: csrf, intent: "start", recordingId: uploaded.recording.id, language: args.language });
  await start.arrayBuffer();
  let done = false;
  const busy = pages ? sample(() => done) : Promise.resolve([] as number[]);
  let job: { status: string; finishedAt: Date | null; startedAt: Date | null; error: string | null } | null = null;
  while (!done) {
    await sleep(200);
    job = await db.transcriptionJob.findFirst({ where: { interviewId }, select: { status: true, finishedAt: true, startedAt: true, error: true } });
    if (job && !["queued", "running"].includes(job.status)) done = true;
  }
  const busyTimes = await busy;
  if (job?.status !== "done") throw new Error(`job ended ${job?.status}: ${job?.error}\n${serverOutput().slice(logFrom)}`);
  const paragraphs = await db.transcriptParagraph.count({ where: { transcript: { interviewId } } });
  const log = serverOutput().slice(logFrom);
  const rss = /peak RSS engine (\d+) MB, worker (\d+) MB/.exec(log);
  const phases = /; ms: (.*)/.exec(log)?.[1] ?? "";
  const windows = /done: (\d+) window\(s\), whisper heard ([\d.]+) s/.exec(log);
  return {
    ms: job.finishedAt!.getTime() - t0,
    uploadMs: tUploaded - t0,
    queueWaitMs: job.startedAt!.getTime() - tUploaded,
    paragraphs,
    enginePeakRssMb: rss ? Number(rss[1]) : null,
    workerPeakRssMb: rss ? Number(rss[2]) : null,
    phases,
    windows: windows ? Number(windows[1]) : null,
    heardSeconds: windows ? Number(windows[2]) : null,
    busyTimes,
  };
}

// ---- measure ----------------------------------------------------------------------------------------------
// Per run: (a) bare; (b) the pipeline alone (the ratio); (c) the pipeline again while pages are requested (the
// p95, and what serving pages costs the transcription). The machine may be shared: runs alternate, medians count.
await sample(() => false, 30); // warm-up
const idleTimes = await sample(() => false, 300);
say(`page ${PAGE} idle: p95 ${p95(idleTimes).toFixed(1)} ms (${idleTimes.length} requests, one every ${pageIntervalMs} ms)`);
type Run = { bareMs: number; bareRssMb: number; quiet: Awaited<ReturnType<typeof pipeline>>; busy: Awaited<ReturnType<typeof pipeline>> };
const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const b = await bare();
  say(`run ${i + 1}: (a) bare smart-whisper ${(b.ms / 1000).toFixed(1)} s, peak RSS ${b.peakRssMb} MB`);
  const quiet = await pipeline(2 * i + 1, false);
  say(`run ${i + 1}: (b) pipeline ${(quiet.ms / 1000).toFixed(1)} s = ${(quiet.ms / b.ms).toFixed(3)} x bare (${quiet.windows} windows, whisper heard ${quiet.heardSeconds} s; upload ${quiet.uploadMs} ms, until claimed ${quiet.queueWaitMs} ms; worker ms: ${quiet.phases})`);
  const busy = await pipeline(2 * i + 2, true);
  say(`run ${i + 1}: (c) pipeline while pages are requested ${(busy.ms / 1000).toFixed(1)} s; page p95 ${p95(busy.busyTimes).toFixed(1)} ms (${busy.busyTimes.length} requests)`);
  results.push({ bareMs: b.ms, bareRssMb: b.peakRssMb, quiet, busy });
}
await stopServer();
await db.$disconnect();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bareMs = median(results.map((r) => r.bareMs));
const pipelineMs = median(results.map((r) => r.quiet.ms));
const busyPipelineMs = median(results.map((r) => r.busy.ms));
const busyTimes = results.flatMap((r) => r.busy.busyTimes);
const rss = results.flatMap((r) => [r.quiet, r.busy]);
const summary = {
  audioSeconds: Math.round(audioSeconds * 10) / 10,
  model: path.basename(args.model),
  threads,
  nice,
  language: args.language,
  cpus: os.cpus().length,
  runs,
  bareSeconds: Math.round(bareMs / 100) / 10,
  pipelineSeconds: Math.round(pipelineMs / 100) / 10,
  ratio: Math.round((pipelineMs / bareMs) * 1000) / 1000,
  realTimeFactor: Math.round((pipelineMs / 1000 / audioSeconds) * 1000) / 1000,
  bareRealTimeFactor: Math.round((bareMs / 1000 / audioSeconds) * 1000) / 1000,
  shortenPauses: args["shorten-pauses"],
  windows: results[0]?.quiet.windows ?? null,
  heardSeconds: results[0]?.quiet.heardSeconds ?? null,
  pipelineWhileServingSeconds: Math.round(busyPipelineMs / 100) / 10,
  workerPeakRssMb: Math.max(...rss.map((r) => r.workerPeakRssMb ?? 0)),
  enginePeakRssMb: Math.max(...rss.map((r) => r.enginePeakRssMb ?? 0)),
  bareEnginePeakRssMb: Math.max(...results.map((r) => r.bareRssMb)),
  page: PAGE,
  pageP95IdleMs: Math.round(p95(idleTimes) * 10) / 10,
  pageP95TranscribingMs: Math.round(p95(busyTimes) * 10) / 10,
  pageRatio: Math.round((p95(busyTimes) / p95(idleTimes)) * 100) / 100,
  loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  targets: {
    pipelineWithin5Percent: pipelineMs <= 1.05 * bareMs,
    pageP95Under50ms: p95(busyTimes) < 50,
    pageP95Within150Percent: p95(busyTimes) <= 1.5 * p95(idleTimes),
  },
};
say(`ratio pipeline/bare ${summary.ratio}, real-time factor ${summary.realTimeFactor} (bare ${summary.bareRealTimeFactor}), worker peak RSS ${summary.workerPeakRssMb} MB + engine ${summary.enginePeakRssMb} MB`);
say(`page p95 idle ${summary.pageP95IdleMs} ms, while transcribing ${summary.pageP95TranscribingMs} ms (x${summary.pageRatio})`);
fs.rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(summary));
process.exit(0);
