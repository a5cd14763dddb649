// Which transcription workers run (ADR 0007 "Workers seen"): each worker process keeps one row in
// TranscriptionWorkerSeen, renewed on the job lease's rhythm while idle and busy, so the admins' queue page can tell
// "no worker running" from "all busy" from "no model configured". A row whose `aliveUntil` (last heartbeat + the
// worker's lease time) has passed belongs to a worker that died; the same rule as for a job's lease.
import os from "node:os";
import type { Db } from "../app/db/client.server.ts";
import type { ModelStatus } from "./model.ts";

/** Rows of workers not seen for this long are deleted (by any worker that starts or beats). */
export const PRUNE_AFTER_MS = 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export type PresenceOptions = {
  db: Db;
  owner: string;
  threads: number;
  leaseMs: number;
  heartbeatMs: number;
  embedded: boolean;
  log: (line: string) => void;
  /** The job the worker is on right now (read at each heartbeat). */
  currentJob: () => string | null;
};

const modelFields = (status: ModelStatus) =>
  status.ok ? { modelName: status.name, modelBytes: BigInt(status.sizeBytes), modelProblem: null } : { modelName: null, modelBytes: null, modelProblem: status.reason };

export class WorkerPresence {
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private model: ReturnType<typeof modelFields> = { modelName: null, modelBytes: null, modelProblem: "unset" };
  private beating: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly startedAt = new Date();

  constructor(private readonly o: PresenceOptions) {}

  /**
   * Registers the worker (also before it has a model: the page then says which problem it waits on) and starts the
   * heartbeat. A database that cannot be reached now is only logged: the next heartbeat registers the worker.
   */
  async start(model: ModelStatus) {
    this.model = modelFields(model);
    this.timer = setInterval(() => {
      this.beating = this.beat().catch((e: unknown) => this.o.log(`worker heartbeat failed: ${e instanceof Error ? e.message : String(e)}`));
    }, this.o.heartbeatMs);
    this.beating = this.beat().catch((e: unknown) => this.o.log(`could not register the worker: ${e instanceof Error ? e.message : String(e)}`));
    await this.beating;
  }

  /** The model file became usable (an admin copied it into place). */
  async setModel(model: ModelStatus) {
    this.model = modelFields(model);
    // Kept as the beat in flight, so a stop that comes meanwhile waits for it and its "stopped" is written last.
    const beat = this.beat();
    this.beating = beat.catch(() => undefined);
    await beat;
  }

  private async beat() {
    if (this.stopped) return;
    const now = new Date();
    // Before the row is written: a worker seen on the page has cleared out the old ones.
    if (now.getTime() - this.lastPrune > PRUNE_EVERY_MS) await this.prune(now);
    const seen = { lastSeenAt: now, aliveUntil: new Date(now.getTime() + this.o.leaseMs), jobId: this.o.currentJob(), threads: this.o.threads, ...this.model };
    await this.o.db.transcriptionWorkerSeen.upsert({
      where: { id: this.o.owner },
      create: { id: this.o.owner, host: os.hostname(), pid: process.pid, embedded: this.o.embedded, startedAt: this.startedAt, ...seen },
      update: seen,
    });
  }

  private async prune(now: Date) {
    this.lastPrune = now.getTime();
    await this.o.db.transcriptionWorkerSeen.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - PRUNE_AFTER_MS) } } });
  }

  /** A clean stop: the row says "stopped" at once instead of waiting for the timeout. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    const now = new Date();
    await this.o.db.transcriptionWorkerSeen
      .updateMany({ where: { id: this.o.owner }, data: { stoppedAt: now, lastSeenAt: now, aliveUntil: now, jobId: null } })
      .catch((e: unknown) => this.o.log(`could not mark the worker stopped: ${e instanceof Error ? e.message : String(e)}`));
  }
}
