// npm run bench:upload — streams a 1 GiB WAV through the real HTTP upload (app/http/server.js in its own process)
// into local storage and into s3rver, and sets the figures next to two limits measured in the same run on the
// same disk: a raw `cp` of the file, and a bare Node stream copy with sha256 computed in-stream (the most an
// upload that hashes can reach). Prints the server's peak RSS growth (VmHWM from /proc, Linux) per upload.
// The last line is JSON.
//   BENCH_BYTES=<n>   PCM bytes instead of 1 GiB     BENCH_DIR=<folder>  where the files go (default: os tmpdir)
//   SKIP_BUILD=1      use the existing build/         BENCH_KEEP=1        keep the folder afterwards
//   BENCH_ROUNDS=<n>  rounds of cp / node copy / local upload (default 5; median of the per-round ratios)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { generatedWav, rawPost } from "../../tests/recordings/media-files.ts";
import { startS3rver, type RunningS3rver } from "../../tests/recordings/s3rver.ts";
import { cpuSeconds, measurePeakGrowth } from "../../tests/recordings/server-process.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const PCM_BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const FILE_BYTES = PCM_BYTES + 44;
const MB = 1e6;
const RSS_TARGET_MB = 100;
const RATIO_TARGET = 0.8;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

const work = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "lebenswege-bench-"));
const log = (line: string) => console.log(line);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const rate = (bytes: number, s: number) => bytes / MB / s;
const children: ChildProcess[] = [];
let s3: RunningS3rver | undefined;

async function main() {
  if (process.env.SKIP_BUILD !== "1") {
    log("building (npx remix build) …");
    const r = spawnSync("npx", ["remix", "build"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (r.status !== 0) throw new Error(`remix build failed:\n${r.stdout}\n${r.stderr}`);
  }

  // A private database and configuration, set before any app module reads it.
  process.env.TEST_TMP_DIR = work;
  process.env.SESSION_SECRET = crypto.randomBytes(32).toString("hex");
  process.env.IDENTITY_KEY = crypto.randomBytes(32).toString("base64");
  const { createTestDatabase } = await import("../../tests/support/db.ts");
  process.env.DATABASE_URL = await createTestDatabase();
  const { db } = await import("../../app/db/client.server.ts");
  const { seedReference } = await import("../../prisma/seed/reference.ts");
  const { seedDemo, DEMO_USERS } = await import("../../prisma/seed/demo.ts");
  await seedReference(db);
  await seedDemo(db, { cases: 3 });
  const caseId = (await db.case.findFirstOrThrow({ select: { id: true } })).id;

  log(`folder: ${work} (source, copies and storage all on this disk)`);
  log(`generating ${(FILE_BYTES / MB).toFixed(0)} MB WAV …`);
  const source = path.join(work, "source.wav");
  await pipeline(generatedWav(PCM_BYTES), fs.createWriteStream(source));

  /** Limit 1: a raw cp of the file. */
  function cpOnce(): number {
    const target = path.join(work, "cp-copy.wav");
    const t = process.hrtime.bigint();
    const cp = spawnSync("cp", [source, target]);
    if (cp.status !== 0) throw new Error(`cp failed: ${cp.stderr}`);
    const s = seconds(t);
    fs.rmSync(target);
    return s;
  }

  /** Limit 2: a bare Node stream copy with sha256 computed in-stream. */
  async function nodeCopyOnce(): Promise<{ seconds: number; sha256: string }> {
    const target = path.join(work, "node-copy.wav");
    const hash = crypto.createHash("sha256");
    const t = process.hrtime.bigint();
    await pipeline(
      fs.createReadStream(source, { highWaterMark: 1024 * 1024 }),
      new Transform({
        transform(chunk: Buffer, _e, cb) {
          hash.update(chunk);
          cb(null, chunk);
        },
      }),
      fs.createWriteStream(target),
    );
    const s = seconds(t);
    fs.rmSync(target);
    return { seconds: s, sha256: hash.digest("hex") };
  }

  const researcher = DEMO_USERS.find((u) => u.username === "forschung")!;
  let counter = 0;
  async function uploadOnce(server: Awaited<ReturnType<typeof startServer>>, label: string) {
    const cookie = await login(server.origin, researcher.username, researcher.password);
    const csrf = ((await (await fetch(`${server.origin}/?_data=root`, { headers: { cookie } })).json()) as { csrfToken: string }).csrfToken;
    counter += 1;
    const interview = await db.interview.create({
      data: { code: `INT-BENCH-${counter}`, caseId, date: new Date(), placeType: "office", languages: '["de"]' },
      select: { id: true },
    });
    await db.consentRecord.create({
      data: { interviewId: interview.id, version: 1, givenBy: "person", givenAt: new Date(), form: "written", language: "de", infoSheetVersion: "bench", scopeRecording: true },
    });
    const peakGrowth = measurePeakGrowth(server.pid);
    const cpuBefore = cpuSeconds(server.pid);
    const start = process.hrtime.bigint();
    const res = await rawPost(
      `${server.origin}/interviews/${interview.id}/recordings`,
      { cookie, origin: server.origin, "x-csrf-token": csrf, "x-file-name": "bench.wav" },
      fs.createReadStream(source, { highWaterMark: 1024 * 1024 }),
      { contentLength: FILE_BYTES },
    );
    const s = seconds(start);
    const growth = peakGrowth() / MB;
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    if (res?.status !== 201) throw new Error(`${label} upload failed: ${res?.status} ${res?.body}\n${server.output()}`);
    if ((res.json!.recording as { sha256: string }).sha256 !== sourceSha) throw new Error(`${label}: sha256 differs`);
    log(`upload -> ${label.padEnd(17)} ${rate(FILE_BYTES, s).toFixed(0).padStart(6)} MB/s  (${s.toFixed(2)} s), server peak RSS growth ${growth.toFixed(1)} MB, server CPU ${cpu.toFixed(2)} s`);
    return { seconds: s, mbPerSecond: rate(FILE_BYTES, s), rssGrowthMb: growth };
  }

  // Rounds of cp, node copy and local upload, one right after the other so that a busy machine slows the three
  // alike. The upload is compared with the node copy of its own round; the median of these ratios counts (robust
  // against a burst of load in one round), and the largest RSS growth.
  const sourceSha = (await nodeCopyOnce()).sha256; // also warms the page cache
  const storageDir = path.join(work, "storage");
  const localServer = await startServer({ STORAGE: "local", STORAGE_DIR: storageDir });
  let cpSeconds = Infinity;
  let nodeSeconds = Infinity;
  const localRuns: { seconds: number; mbPerSecond: number; rssGrowthMb: number; ratio: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round} of ${ROUNDS}`);
    const c = cpOnce();
    log(`cp:                        ${rate(FILE_BYTES, c).toFixed(0).padStart(6)} MB/s  (${c.toFixed(2)} s)`);
    const n = (await nodeCopyOnce()).seconds;
    log(`node copy + sha256:        ${rate(FILE_BYTES, n).toFixed(0).padStart(6)} MB/s  (${n.toFixed(2)} s)`);
    cpSeconds = Math.min(cpSeconds, c);
    nodeSeconds = Math.min(nodeSeconds, n);
    const run = await uploadOnce(localServer, "local storage");
    localRuns.push({ ...run, ratio: run.seconds > 0 ? n / run.seconds : 0 });
    log(`upload / node copy:        ${((n / run.seconds) * 100).toFixed(0).padStart(6)} %`);
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
  await localServer.stop();
  const local = {
    mbPerSecond: Math.max(...localRuns.map((r) => r.mbPerSecond)),
    rssGrowthMb: Math.max(...localRuns.map((r) => r.rssGrowthMb)),
    ratio: median(localRuns.map((r) => r.ratio)),
  };

  s3 = await startS3rver({ parentDir: work, bucket: "lebenswege-bench" });
  const s3Server = await startServer(s3.env);
  const remote = await uploadOnce(s3Server, "s3rver");
  await s3Server.stop();
  await s3.stop();
  s3 = undefined;
  await db.$disconnect();

  const nodeMbps = rate(FILE_BYTES, nodeSeconds);
  const ratio = local.ratio;
  const result = {
    bytes: FILE_BYTES,
    cpMBps: round(rate(FILE_BYTES, cpSeconds)),
    nodeCopySha256MBps: round(nodeMbps),
    localUploadMBps: round(local.mbPerSecond),
    localVsNodeCopy: round(ratio, 3), // median over rounds of (upload / node copy of the same round)
    localVsNodeCopyRounds: localRuns.map((r) => round(r.ratio, 3)),
    s3UploadMBps: round(remote.mbPerSecond),
    rounds: ROUNDS,
    localRssGrowthMB: round(local.rssGrowthMb),
    s3RssGrowthMB: round(remote.rssGrowthMb),
    targets: {
      rssGrowthUnder100MB: local.rssGrowthMb < RSS_TARGET_MB && remote.rssGrowthMb < RSS_TARGET_MB,
      localAtLeast80PercentOfNodeCopy: ratio >= RATIO_TARGET,
    },
  };
  log(`best of ${ROUNDS}: cp ${rate(FILE_BYTES, cpSeconds).toFixed(0)} MB/s, node copy + sha256 ${nodeMbps.toFixed(0)} MB/s, local upload ${local.mbPerSecond.toFixed(0)} MB/s`);
  log(`local upload / node copy:  ${(ratio * 100).toFixed(0)} % median of ${ROUNDS} rounds (target ≥ ${RATIO_TARGET * 100} %), RSS growth target < ${RSS_TARGET_MB} MB`);
  console.log(JSON.stringify(result));
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** app/http/server.js in its own process (production mode), on a free port. */
async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "app", "http", "server.js")], {
    cwd: root,
    // no transcription worker beside it: the measurement is about uploads
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), TRANSCRIPTION_WORKER: "off", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    const ok = await fetch(`${origin}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    pid: child.pid!,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function login(origin: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ username, password }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("lw_session="));
  if (res.status !== 302 || !cookie) throw new Error(`login as ${username} failed: ${res.status}`);
  return cookie.split(";")[0]!;
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(error);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await s3?.stop();
  if (process.env.BENCH_KEEP !== "1") fs.rmSync(work, { recursive: true, force: true });
}
