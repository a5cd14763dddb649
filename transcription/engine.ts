// The worker's handle on the engine process (engine-child.ts). One model load per process, then window after
// window. kill() is the cancel: whisper.cpp cannot be interrupted, its process can.
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import url from "node:url";

export type EngineSegment = { startMs: number; endMs: number; text: string; words: { t: string; s: number; e: number; p: number }[] };

export type EngineRequest =
  | { type: "load"; modelPath: string }
  | { type: "transcribe"; id: string; pcmPath: string; /** [start, end) sample ranges, heard one after the other */ spans: [number, number][]; language: string; threads: number; beamSize: number; prompt?: string };

export type EngineResponse =
  | { type: "ready" }
  | { type: "loaded"; ms: number; peakRssBytes: number }
  | { type: "result"; id: string; lang: string | null; segments: EngineSegment[]; ms: number; peakRssBytes: number }
  | { type: "error"; id: string | null; message: string };

export type EngineResult = Extract<EngineResponse, { type: "result" }>;

/** The engine process ended (crash, out of memory) or was killed. */
export class EngineExited extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly killed: boolean,
    readonly stderrTail: string,
  ) {
    super(killed ? "engine stopped" : `engine exited (${signal ?? `code ${code}`})`);
    this.name = "EngineExited";
  }
}

export class EngineFailed extends Error {
  name = "EngineFailed";
}

const here = path.dirname(url.fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** tsx's ESM loader, by absolute URL so the child starts from any working directory. */
function tsxLoader(): string {
  return url.pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "loader.mjs")).href;
}

export type EngineOptions = { modelPath: string; nice?: number; log?: (line: string) => void };

export class Engine {
  private readonly child: ChildProcess;
  private stderrTail = "";
  private killedByUs = false;
  private exited: EngineExited | null = null;
  private pending = new Map<string, { resolve: (r: EngineResult) => void; reject: (e: Error) => void }>();
  private waiters: ((m: EngineResponse) => void)[] = [];
  private seq = 0;
  /** Largest resident set the engine process has had (bytes). */
  peakRssBytes = 0;
  readonly modelPath: string;

  private constructor(options: EngineOptions) {
    this.modelPath = options.modelPath;
    this.child = fork(path.join(here, "engine-child.ts"), [], {
      execArgv: ["--import", tsxLoader()],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // whisper.cpp allocates and frees a few hundred MB per window; with glibc's default (a threshold that
      // grows) most of it stays in the heap and the process grows to ~1.5x. Measured: 630 -> 400 MB, +1 % time.
      env: { MALLOC_MMAP_THRESHOLD_: "1048576", ...process.env, NODE_OPTIONS: "" },
    });
    if (options.nice !== undefined && this.child.pid) {
      try {
        os.setPriority(this.child.pid, Math.max(os.getPriority(this.child.pid), options.nice));
      } catch {
        // The worker process itself runs niced already (worker-main.ts); the child inherits that.
      }
    }
    // whisper.cpp logs a lot to stderr; keep the end for a crash report.
    this.child.stderr!.on("data", (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4096);
    });
    this.child.on("message", (m: EngineResponse) => this.onMessage(m));
    this.child.on("exit", (code, signal) => {
      this.exited = new EngineExited(code, signal, this.killedByUs, this.stderrTail);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
      for (const w of this.waiters.splice(0)) w({ type: "error", id: null, message: this.exited.message });
    });
  }

  private onMessage(m: EngineResponse) {
    if ("peakRssBytes" in m) this.peakRssBytes = Math.max(this.peakRssBytes, m.peakRssBytes);
    if (m.type === "result" || (m.type === "error" && m.id)) {
      const p = this.pending.get(m.id!);
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.type === "result") p.resolve(m);
      else p.reject(new EngineFailed(m.message));
      return;
    }
    this.waiters.shift()?.(m);
  }

  private next(): Promise<EngineResponse> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Starts the process and loads the model; rejects with EngineFailed when the model cannot be loaded. */
  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    const ready = await engine.next();
    if (ready.type !== "ready") throw new EngineFailed(ready.type === "error" ? ready.message : "engine did not start");
    engine.child.send({ type: "load", modelPath: options.modelPath } satisfies EngineRequest);
    const loaded = await engine.next();
    if (loaded.type !== "loaded") {
      engine.kill();
      throw new EngineFailed(loaded.type === "error" ? loaded.message : "model not loaded");
    }
    return engine;
  }

  get alive(): boolean {
    return this.exited === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  transcribe(request: Omit<Extract<EngineRequest, { type: "transcribe" }>, "type" | "id">): Promise<EngineResult> {
    if (this.exited) return Promise.reject(this.exited);
    const id = String(++this.seq);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: "transcribe", id, ...request } satisfies EngineRequest);
    });
  }

  /** Stops the engine at once (cancel, lost lease, shutdown). */
  kill() {
    if (this.exited) return;
    this.killedByUs = true;
    this.child.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((resolve) => this.child.once("exit", resolve));
    this.kill();
    await done;
  }
}
