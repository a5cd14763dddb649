// `npm run worker`: one transcription worker process. Reads the same configuration as the app (.env or the
// environment: DATABASE_URL, STORAGE/S3_*, WHISPER_MODEL, WHISPER_THREADS, WHISPER_NICE), so any number of them
// can run on other machines against PostgreSQL and S3. The app starts one itself (transcription/supervisor.js).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import { z } from "zod";
import { providerOf } from "../app/db/provider.ts";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env")); // the environment wins
process.chdir(root); // relative paths in the configuration (./data/...) mean the same as for the app

// Before anything touches the database: one without this checkout's schema (or with a newer one) gets one line and
// exit code 1 instead of Prisma's stacks, however the worker is started (`npm run worker`, a process manager, the app).
{
  const { migrationProblem } = await import("./check-migrated.ts");
  const problem = await migrationProblem(process.env.DATABASE_URL || "file:./data/lebenswege.db");
  if (problem) {
    console.error(`The transcription worker cannot start: ${problem}`);
    process.exit(1);
  }
}

// A worker neither signs sessions nor opens identity records, so a worker machine needs neither secret and should
// hold neither. Random stand-ins satisfy the configuration check the app shares; they fit nothing the app wrote.
if (!process.env.SESSION_SECRET) process.env.SESSION_SECRET = crypto.randomBytes(32).toString("hex");
if (!process.env.IDENTITY_KEY) process.env.IDENTITY_KEY = crypto.randomBytes(32).toString("base64");

const { env } = await import("../app/env.server.ts");
const config = env();
// Tuning for tests and diagnostics; the defaults suit production.
const tuning = z
  .object({
    TRANSCRIPTION_LEASE_MS: z.coerce.number().int().min(200).default(30_000),
    TRANSCRIPTION_POLL_MS: z.coerce.number().int().min(10).default(1_000),
    TRANSCRIPTION_RUN_LOG: z.string().optional(),
    WHISPER_BEAM_SIZE: z.coerce.number().int().min(1).max(10).default(5),
    // Set by transcription/supervisor.js: the admins' page lists this worker as the app's own.
    TRANSCRIPTION_EMBEDDED: z.enum(["0", "1"]).default("0"),
  })
  .parse(process.env);

const log = (line: string) => console.log(`[transcription ${new Date().toISOString()}] ${line}`);

// Lower priority for the whole worker (and the engine it starts), so the web pages stay fast on a shared machine.
try {
  os.setPriority(0, Math.max(os.getPriority(0), config.WHISPER_NICE));
} catch {
  log(`could not lower the process priority to nice ${config.WHISPER_NICE}`);
}

const { modelStatus, modelHelp, modelWarning } = await import("./model.ts");
const { db } = await import("../app/db/client.server.ts");
const { TranscriptionWorker, newWorkerOwner, heartbeatEvery } = await import("./worker.ts");
const { WorkerPresence } = await import("./presence.ts");
const owner = newWorkerOwner();
let stopping = false;
let stopWorker: (() => Promise<void>) | null = null;
let stopOutbox: (() => Promise<void>) | null = null;
let stopWordList: (() => Promise<void>) | null = null;
let presence: InstanceType<typeof WorkerPresence> | null = null;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // Each step is tried whatever the one before it did: a step that failed (and was called from a signal handler,
  // where a rejection ends the process) must not keep the worker from saying it stopped.
  for (const [what, step] of [["search outbox", stopOutbox], ["word list", stopWordList], ["transcription", stopWorker]] as const) {
    await step?.().catch((e: unknown) => log(`stopping the ${what} failed: ${e instanceof Error ? e.message : String(e)}`));
  }
  // After the worker: its job is back in the queue before the page says "stopped".
  await presence?.stop();
  await db.$disconnect().catch(() => undefined);
  process.exit(0);
}

// With Meilisearch, this worker also sends index changes from the outbox (search/outbox.server.ts), whether or
// not a whisper model is there yet; on PostgreSQL it keeps the word list of word parts.
{
  const { usesOutbox, searchConfig } = await import("../search/config.ts");
  if (usesOutbox()) {
    const { startOutboxDrainer } = await import("../search/outbox.server.ts");
    stopOutbox = startOutboxDrainer(db, { pollMs: searchConfig().SEARCH_OUTBOX_POLL_MS, log });
  }
  // On PostgreSQL it renews the word list that word parts (*prüfung) are looked up in (search/word-list.server.ts).
  if (providerOf(searchConfig().DATABASE_URL) === "postgres") {
    const { startWordListRefresher } = await import("../search/word-list.server.ts");
    stopWordList = startWordListRefresher(db, { everyMs: searchConfig().SEARCH_WORD_LIST_REFRESH_MS, log });
  }
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
// Embedded in the app: the server is our parent; when it goes away, so do we. It may have gone before this line
// ran (the event fired before anyone listened): then the channel is already closed.
process.on("disconnect", () => void shutdown());
if (process.send && !process.connected) void shutdown();

let status = await modelStatus(config.WHISPER_MODEL);
// Seen on the admins' page from now on, also while it waits for a model (ADR 0007 "Workers seen").
let currentJob = (): string | null => null;
presence = new WorkerPresence({
  db,
  owner,
  threads: config.WHISPER_THREADS,
  leaseMs: tuning.TRANSCRIPTION_LEASE_MS,
  heartbeatMs: heartbeatEvery(tuning.TRANSCRIPTION_LEASE_MS),
  embedded: tuning.TRANSCRIPTION_EMBEDDED === "1",
  log,
  currentJob: () => currentJob(),
});
await presence.start(status);
if (!status.ok) {
  for (const line of modelHelp(status)) log(line);
  // Wait for the file (an admin may copy it into place); a changed WHISPER_MODEL needs a restart.
  while (!status.ok && !stopping) {
    await new Promise((r) => setTimeout(r, 30_000));
    status = await modelStatus(config.WHISPER_MODEL);
  }
  // shutdown() is under way and ends the process once the page says "stopped".
  if (stopping) await new Promise(() => undefined);
  await presence.setModel(status).catch(() => undefined);
}

{
  const warning = status.ok ? modelWarning(status) : null;
  if (warning) log(warning);
}
const { storage } = await import("../app/storage/storage.server.ts");
const { mayTranscribe } = await import("../app/consent/gates.server.ts");

const worker = new TranscriptionWorker({
  db,
  provider: providerOf(config.DATABASE_URL),
  storage: storage(),
  mayProcess: mayTranscribe,
  modelPath: status.ok ? status.path : "",
  threads: config.WHISPER_THREADS,
  beamSize: tuning.WHISPER_BEAM_SIZE,
  shortenPauses: config.WHISPER_SHORTEN_PAUSES === "on",
  owner,
  leaseMs: tuning.TRANSCRIPTION_LEASE_MS,
  pollMs: tuning.TRANSCRIPTION_POLL_MS,
  runLog: tuning.TRANSCRIPTION_RUN_LOG,
  log,
});
currentJob = () => worker.currentJobId;
stopWorker = () => worker.stop();
process.on("message", (m: { type?: string }) => {
  if (m?.type === "wake") worker.wake();
});
log(`nice ${os.getPriority(0)}, database ${providerOf(config.DATABASE_URL)}, storage ${config.STORAGE}`);
await worker.start();
