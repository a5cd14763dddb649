// A transcription worker: claims jobs from the database queue and runs them window by window in an engine
// process. Any number of workers may run (embedded in the app, or `npm run worker` on other machines against
// PostgreSQL and S3); the queue's leases decide who works on what.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Db } from "../app/db/client.server.ts";
import type { Storage } from "../app/storage/storage.server.ts";
import { StorageNotFound } from "../app/storage/primitives.server.ts";
import type { GateResult } from "../app/consent/gates.server.ts";
import { Engine, EngineExited, EngineFailed } from "./engine.ts";
import { JobStopped, LeaseLost, TranscriptionError, storedError } from "./errors.ts";
import { engineLanguage } from "./languages.ts";
import { msToSamples, prepareAudio, samplesToMs } from "./normalize.ts";
import { MAX_ATTEMPTS, Queue, type ClaimedJob, type Provider } from "./queue.ts";
import { planWindow, resumePoint, shiftSegments, spanLength, type Segment, type WindowPlan } from "./windows.ts";
import { writeWhisperTranscript } from "./complete.ts";

export type WorkerOptions = {
  db: Db;
  provider: Provider;
  storage: Storage;
  /** Asks the consent gate (app/consent/gates.server.ts mayProcess) before every window. */
  mayProcess: (interviewId: string) => Promise<GateResult>;
  modelPath: string;
  threads: number;
  beamSize?: number;
  /** OS priority of the engine process (the worker itself is usually niced as a whole). */
  nice?: number;
  owner?: string;
  leaseMs?: number;
  heartbeatMs?: number;
  /** How often a running job looks for a cancel request. */
  cancelCheckMs?: number;
  /** How often an idle worker looks for new jobs (wake() cuts the wait short). */
  pollMs?: number;
  /** Hand the end of the previous window's text to the next window as context (like whisper's own seeking). */
  carryContext?: boolean;
  /** Shorten long pauses before whisper hears them (windows.ts speechSpans; ADR 0006). */
  shortenPauses?: boolean;
  tmpDir?: string;
  log?: (line: string) => void;
  /** Diagnostics: a line per engine run ("owner jobId window") is appended here. */
  runLog?: string;
  /** How long a worker waits after its machine could not load the model or reach the storage (default 60 s). */
  machineTroubleWaitMs?: number;
};

/** The recording storage could not be reached (not: the recording is gone). The machine's problem, not the job's. */
class StorageUnavailable extends Error {}

type StopReason = "cancel" | "lost" | "shutdown" | "withdrawn";

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export const WORK_DIR_PREFIX = "lebenswege-transcription-";

/** A worker's name in job leases and on the admins' page: machine, process and a random part (a reused pid). */
export const newWorkerOwner = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** How often a worker renews its lease (and, in worker-main.ts, its presence row): a third of the lease, 100 ms to 10 s. */
export const heartbeatEvery = (leaseMs: number) => Math.max(100, Math.min(10_000, Math.floor(leaseMs / 3)));

export class TranscriptionWorker {
  readonly owner: string;
  readonly queue: Queue;
  private readonly o: Required<Omit<WorkerOptions, "runLog" | "nice">> & Pick<WorkerOptions, "runLog" | "nice">;
  private engine: Engine | null = null;
  private enginePromise: Promise<Engine> | null = null;
  private stopping = false;
  private idle = new AbortController();
  private current: { jobId: string; stop: (reason: StopReason) => void } | null = null;
  private loop: Promise<void> | null = null;
  /** Largest resident set of the engine processes so far (bytes). */
  peakEngineRssBytes = 0;

  constructor(options: WorkerOptions) {
    const leaseMs = options.leaseMs ?? 30_000;
    this.o = {
      beamSize: 5,
      owner: newWorkerOwner(),
      heartbeatMs: heartbeatEvery(leaseMs),
      cancelCheckMs: 1_000,
      pollMs: 1_000,
      carryContext: true,
      shortenPauses: true,
      tmpDir: os.tmpdir(),
      log: (line) => console.log(`[transcription] ${line}`),
      machineTroubleWaitMs: 60_000,
      ...options,
      leaseMs,
    };
    this.owner = this.o.owner;
    this.queue = new Queue(options.db, options.provider);
  }

  /** The engine process's pid while it runs (diagnostics, tests). */
  get enginePid(): number | undefined {
    return this.engine?.alive ? this.engine.pid : undefined;
  }

  /** The job this worker is on (null while idle). */
  get currentJobId(): string | null {
    return this.current?.jobId ?? null;
  }

  /** Runs until stop(). */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.loop;
  }

  /** A job was queued: look now instead of at the next poll. */
  wake() {
    this.idle.abort();
  }

  private async run() {
    await this.removeStaleWorkDirs();
    this.o.log(`worker ${this.owner} started (model ${path.basename(this.o.modelPath)}, ${this.o.threads} thread(s))`);
    // Load the model now, so the first job does not wait for it.
    this.ensureEngine().catch((error: unknown) => this.o.log(`the whisper model could not be loaded: ${error instanceof Error ? error.message : String(error)}`));
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.o.log(`queue error: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(5_000, this.idle.signal);
      }
      if (!worked && !this.stopping) {
        await sleep(this.o.pollMs, this.idle.signal);
        if (this.idle.signal.aborted) this.idle = new AbortController();
      }
    }
  }

  /** Claims and processes one job; false when the queue was empty. */
  async runOnce(): Promise<boolean> {
    await this.queue.reapCancelled();
    const job = await this.queue.claim(this.owner, this.o.leaseMs, { modelPath: this.o.modelPath, threads: this.o.threads });
    if (!job) return false;
    await this.process(job);
    return true;
  }

  /** Stops claiming; a running job goes back to the queue with its checkpoints; the engine is stopped. */
  async stop() {
    this.stopping = true;
    this.idle.abort();
    this.current?.stop("shutdown");
    await this.loop?.catch(() => undefined);
    await this.engine?.stop();
  }

  private ensureEngine(): Promise<Engine> {
    if (this.engine?.alive) return Promise.resolve(this.engine);
    this.enginePromise ??= Engine.start({ modelPath: this.o.modelPath, nice: this.o.nice, log: this.o.log })
      .then((engine) => (this.engine = engine))
      .finally(() => (this.enginePromise = null));
    return this.enginePromise;
  }

  private async process(job: ClaimedJob) {
    const started = Date.now();
    let stopReason: StopReason | null = null;
    let gateKey: string | null = null;
    const abort = new AbortController();
    // A heartbeat or cancel check still in flight when the job ends answers afterwards ("not held" once the job
    // is done): it must not kill the engine, which by then runs the next job.
    let over = false;
    const stop = (reason: StopReason) => {
      if (stopReason || over) return;
      stopReason = reason;
      abort.abort(new Error(reason));
      this.engine?.kill();
    };
    this.current = { jobId: job.id, stop };
    const heartbeat = setInterval(() => {
      this.queue.renew(job.id, this.owner, this.o.leaseMs).then(
        (r) => (!r.held ? stop("lost") : r.cancelRequested ? stop("cancel") : undefined),
        (e: unknown) => this.o.log(`heartbeat of ${job.id} failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    }, this.o.heartbeatMs);
    const cancelWatch = setInterval(() => {
      this.queue.cancelRequested(job.id).then(
        (requested) => (requested ? stop("cancel") : undefined),
        () => undefined,
      );
    }, this.o.cancelCheckMs);
    let workDir: string | null = null;
    try {
      if (job.attempts > MAX_ATTEMPTS) throw new TranscriptionError("transcription:errors.tooManyAttempts", String(MAX_ATTEMPTS));
      const gate = async () => {
        const result = await this.o.mayProcess(job.interviewId);
        if (!result.ok) {
          gateKey = storedError(`transcription:errors.gate.${result.reason}`);
          stop("withdrawn");
          throw new JobStopped("cancelled", gateKey);
        }
      };
      await gate();
      // The model loads while the recording is fetched and decoded.
      const engineReady = this.ensureEngine();
      engineReady.catch(() => undefined);

      const recording = await this.o.db.recording.findFirst({ where: { id: job.recordingId, interviewId: job.interviewId }, select: { storageKey: true } });
      if (!recording) throw new TranscriptionError("transcription:errors.recordingMissing");
      workDir = await fsp.mkdtemp(path.join(this.o.tmpDir, `${WORK_DIR_PREFIX}${process.pid}-`));
      const input = path.join(workDir, "input");
      try {
        await pipeline(await this.o.storage.get(recording.storageKey, undefined, { signal: abort.signal }), fs.createWriteStream(input, { mode: 0o600 }), { signal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        // Gone from the storage: the job cannot succeed. Anything else (refused connection, a wrong bucket or key)
        // is this worker's configuration or network: the job goes back for a worker that can read it.
        // No detail: the storage's English message would only show researchers the storage key.
        if (error instanceof StorageNotFound) throw new TranscriptionError("transcription:errors.recordingNotInStorage");
        throw new StorageUnavailable(message);
      }
      const { probe: info, decoding } = await prepareAudio(input, path.join(workDir, "audio.pcm"), abort.signal);
      // A video can be large: its copy goes as soon as the sound is out.
      decoding.done.then(() => fsp.rm(input, { force: true }), () => undefined);
      // The exact length once decoded; until then ffprobe's.
      const durationMs = () => {
        const total = decoding.total();
        return total !== null ? samplesToMs(total) : (info.durationMs ?? 0);
      };

      const checkpoints = await this.queue.checkpoints(job.id);
      const { index, startMs } = resumePoint(checkpoints);
      let language = engineLanguage(job.language);
      const detected = checkpoints.flatMap((c) => c.segments).find((s) => s.lang)?.lang;
      if (language === "auto" && detected) language = detected;
      let context = checkpoints.at(-1)?.segments.map((s) => s.text).join(" ") ?? "";
      if (checkpoints.length) this.o.log(`job ${job.id}: continuing after window ${index - 1} (${startMs} ms of ${durationMs()} ms)`);

      const prepared = Date.now();
      const engine = await engineReady;
      const attemptStarted = Date.now();
      let engineMs = 0;
      let checkpointMs = 0;
      let attemptAudioMs = 0;
      let heardMs = 0; // of attemptAudioMs, what whisper heard (long pauses shortened)
      // The window starting at `from` (null at the end), with the consent gate asked first.
      const planNext = async (nextIndex: number, from: number) => {
        if (abort.signal.aborted) throw abort.signal.reason;
        const total = decoding.total();
        if (total !== null && from >= samplesToMs(total)) return null;
        await gate();
        const plan = await planWindow(decoding, nextIndex, from, { shortenPauses: this.o.shortenPauses });
        return plan.endMs > plan.startMs ? plan : null;
      };
      const run = (plan: WindowPlan, prompt: string) => {
        // Silence only: nothing for whisper to hear (and nothing for it to invent).
        if (plan.spans?.length === 0) return Promise.resolve({ type: "result" as const, id: "", lang: null, segments: [], ms: 0, peakRssBytes: 0 });
        const running = engine.transcribe({
          pcmPath: decoding.pcmPath,
          spans: (plan.spans ?? [plan]).map((s): [number, number] => [msToSamples(s.startMs), msToSamples(s.endMs)]),
          language,
          threads: this.o.threads,
          beamSize: this.o.beamSize,
          ...(this.o.carryContext && prompt ? { prompt: prompt.slice(-200) } : {}),
        });
        running.catch(() => undefined); // awaited below; a failure while a checkpoint is written is seen there
        return running;
      };
      // Pipelined so the engine never waits: while it transcribes window k, the worker plans window k+1 and asks
      // the gate; once k's text is there (the prompt of k+1), k+1 goes to the engine and k's checkpoint is written
      // meanwhile. A crash loses at most the window in the engine, as before (resume starts after the last checkpoint).
      let plan = await planNext(index, startMs);
      let running = plan ? run(plan, context) : null;
      try {
        while (plan && running) {
          const upcoming = planNext(plan.index + 1, plan.endMs);
          upcoming.catch(() => undefined); // awaited below, after this window's result
          const result = await running;
          running = null;
          this.peakEngineRssBytes = Math.max(this.peakEngineRssBytes, result.peakRssBytes);
          engineMs += result.ms;
          if (this.o.runLog) fs.appendFileSync(this.o.runLog, `${this.owner} ${job.id} ${plan.index}\n`);
          if (language === "auto" && result.lang) language = result.lang;
          const segments: Segment[] = shiftSegments(result.segments, plan).map((s) => ({ ...s, ...(result.lang ? { lang: result.lang } : {}) }));
          // A window without text (silence) leaves the context as it was, as whisper's own seeking does.
          if (segments.length) context = segments.map((s) => s.text).join(" ");
          attemptAudioMs += plan.endMs - plan.startMs;
          heardMs += spanLength(plan.spans ?? [plan]);
          const following = await upcoming;
          if (following) running = run(following, context);
          const perAudioMs = (Date.now() - attemptStarted) / attemptAudioMs;
          const length = Math.max(durationMs(), plan.endMs);
          const etaSeconds = Math.round(((length - plan.endMs) * perAudioMs) / 1000);
          const saving = Date.now();
          await this.queue.checkpoint(job.id, this.owner, this.o.leaseMs, plan, segments, { progress: Math.min(1, plan.endMs / length), etaSeconds, durationMs: length });
          checkpointMs += Date.now() - saving;
          plan = following;
        }
      } catch (error) {
        // A window still in the engine belongs to a job that stops here: the engine goes (it restarts for the next).
        if (running) engine.kill();
        throw error;
      }
      const finishing = Date.now();
      const totalMs = samplesToMs(await decoding.done);
      await gate();
      const all = await this.queue.checkpoints(job.id);
      const segments = all.flatMap((c) => c.segments);
      const lang = segments.find((s) => s.lang)?.lang ?? (language === "auto" ? null : language);
      const written = await this.queue.finish(job.id, this.owner, (tx) => writeWhisperTranscript(tx, job, segments.map(({ lang: _l, ...s }) => s), lang));
      const ended = Date.now();
      const seconds = (ended - started) / 1000;
      const windowsMs = finishing - attemptStarted;
      this.o.log(
        `job ${job.id} done: ${all.length} window(s), whisper heard ${(heardMs / 1000).toFixed(1)} s of ${(attemptAudioMs / 1000).toFixed(1)} s, ${segments.length} segment(s), ${written.paragraphs} paragraph(s), ${seconds.toFixed(1)} s for ${(totalMs / 1000).toFixed(1)} s of audio ` +
          `(real-time factor ${(seconds / (totalMs / 1000)).toFixed(3)}), peak RSS engine ${(this.peakEngineRssBytes / 1048576).toFixed(0)} MB, worker ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ` +
          `ms: prepare ${prepared - started}, model ${attemptStarted - prepared}, engine ${engineMs}, engine idle ${windowsMs - engineMs} (checkpoints ${checkpointMs}, written while the engine works), finish ${ended - finishing}`,
      );
    } catch (error) {
      await this.settle(job, error, stopReason, gateKey);
    } finally {
      over = true;
      if (!abort.signal.aborted) abort.abort(new Error("job over")); // ends a decoder still running
      clearInterval(heartbeat);
      clearInterval(cancelWatch);
      this.current = null;
      if (workDir) await fsp.rm(workDir, { recursive: true, force: true });
    }
  }

  /** How a job that did not finish ends: back to the queue, cancelled or failed; never twice. */
  private async settle(job: ClaimedJob, error: unknown, stopReason: StopReason | null, gateKey: string | null) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof EngineExited && !error.killed) this.engine = null;
    try {
      if (error instanceof LeaseLost || stopReason === "lost") {
        this.o.log(`job ${job.id}: lease lost, another worker has it or it was deleted`);
      } else if (stopReason === "shutdown") {
        await this.queue.release(job.id, this.owner);
        this.o.log(`job ${job.id}: back in the queue (worker stopping)`);
      } else if (stopReason === "cancel") {
        await this.queue.cancelled(job.id, this.owner, null);
        this.o.log(`job ${job.id}: cancelled`);
      } else if (stopReason === "withdrawn") {
        await this.queue.cancelled(job.id, this.owner, gateKey);
        this.o.log(`job ${job.id}: stopped, consent does not allow transcription`);
      } else if (error instanceof TranscriptionError) {
        await this.queue.fail(job.id, this.owner, error.toStored());
        this.o.log(`job ${job.id} failed: ${error.englishText()}`);
      } else if (error instanceof EngineFailed && /load|model/i.test(message)) {
        // A model that does not load is the machine's problem, not the job's: give the job back and wait.
        await this.queue.release(job.id, this.owner);
        this.o.log(`the whisper model could not be loaded (${message}); job ${job.id} stays queued`);
        await sleep(this.o.machineTroubleWaitMs, this.idle.signal);
      } else if (error instanceof StorageUnavailable) {
        await this.queue.release(job.id, this.owner);
        this.o.log(`the recording storage could not be read (${message}); check STORAGE and S3_* of this worker. Job ${job.id} stays queued`);
        await sleep(this.o.machineTroubleWaitMs, this.idle.signal);
      } else if (error instanceof EngineExited && job.attempts < MAX_ATTEMPTS) {
        // Killed by the system (out of memory on a busy machine) or crashed: the next attempt starts after the
        // last checkpoint, so little is lost; a crash that repeats ends the job at the last attempt.
        await this.queue.requeue(job.id, this.owner);
        this.o.log(`job ${job.id}: the engine process ended (${error.signal ?? error.code}), back in the queue (attempt ${job.attempts} of ${MAX_ATTEMPTS})`);
      } else if (error instanceof EngineExited) {
        const tail = error.stderrTail.trim().split("\n").at(-1) ?? "";
        await this.queue.fail(job.id, this.owner, storedError("transcription:errors.engineCrashed", `${error.signal ?? `exit ${error.code}`} ${tail}`));
        this.o.log(`job ${job.id} failed: the engine process ended (${error.signal ?? error.code}): ${tail}`);
      } else {
        await this.queue.fail(job.id, this.owner, storedError("transcription:errors.internal", message));
        this.o.log(`job ${job.id} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      }
    } catch (settleError) {
      this.o.log(`job ${job.id}: could not record the outcome (${settleError instanceof Error ? settleError.message : String(settleError)}); the lease will run out`);
    }
  }

  /** Work folders of workers on this machine that are no longer running (killed mid-job). */
  private async removeStaleWorkDirs() {
    const names = await fsp.readdir(this.o.tmpDir).catch(() => [] as string[]);
    for (const name of names) {
      const m = new RegExp(`^${WORK_DIR_PREFIX}(\\d+)-`).exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid) continue;
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (!alive) await fsp.rm(path.join(this.o.tmpDir, name), { recursive: true, force: true });
    }
  }
}
