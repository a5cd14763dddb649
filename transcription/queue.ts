// The transcription queue lives in the database (TranscriptionJob): queued -> running (lease owner + expiry,
// renewed by the worker's heartbeat) -> done | failed (reason) | cancelled. Claiming is atomic on both
// databases; every later write of a worker is guarded by its lease, so a job that another worker took over
// (after a crash) is finished exactly once. Design: docs/decisions/0007-transcription-queue.md.
import type { Db, Prisma } from "../app/db/client.server.ts";
import { withRaceRetry } from "../app/db/race-retry.server.ts";
import { ACTIVE_STATUSES } from "./languages.ts";
import { LeaseLost } from "./errors.ts";
import type { Segment, WindowPlan } from "./windows.ts";
import type { Provider } from "../app/db/provider.ts";

// Where the queue's SQL differs by database (transcription workers import both from here).
export { providerOf, type Provider } from "../app/db/provider.ts";

type Tx = Prisma.TransactionClient;

/** A job that keeps killing its worker is given up after this many claims. */
export const MAX_ATTEMPTS = 3;

export type ClaimedJob = {
  id: string;
  interviewId: string;
  recordingId: string;
  language: string;
  attempts: number;
  createdById: string | null;
};

export type Checkpoint = WindowPlan & { segments: Segment[] };

const claimedSelect = { id: true, interviewId: true, recordingId: true, language: true, attempts: true, createdById: true } as const;

export class Queue {
  constructor(
    readonly db: Db,
    readonly provider: Provider,
  ) {}

  /**
   * Takes the oldest queued job, or a running one whose lease ran out (its worker died), for `owner`.
   * SQLite: one UPDATE ... WHERE id = (SELECT ... LIMIT 1) ... RETURNING (SQLite runs one writer at a time, and
   * the outer WHERE repeats the condition). PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED in a transaction, so
   * concurrent workers never wait for nor take the same row.
   */
  async claim(owner: string, leaseMs: number, machine: { modelPath?: string | null; threads?: number } = {}): Promise<ClaimedJob | null> {
    const now = new Date();
    const expires = new Date(now.getTime() + leaseMs);
    let id: string | undefined;
    if (this.provider === "postgres") {
      id = await this.db.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string }[]>`
          SELECT "id" FROM "TranscriptionJob"
          WHERE "cancelRequested" = false AND ("status" = 'queued' OR ("status" = 'running' AND "leaseExpiresAt" < ${now}))
          ORDER BY "createdAt" ASC
          LIMIT 1
          FOR UPDATE SKIP LOCKED`;
        const row = rows[0];
        if (!row) return undefined;
        await tx.$executeRaw`
          UPDATE "TranscriptionJob"
          SET "status" = 'running', "leaseOwner" = ${owner}, "leaseExpiresAt" = ${expires}, "heartbeatAt" = ${now},
              "attempts" = "attempts" + 1, "startedAt" = COALESCE("startedAt", ${now}), "updatedAt" = ${now}
          WHERE "id" = ${row.id}`;
        return row.id;
      });
    } else {
      const rows = await this.db.$queryRaw<{ id: string }[]>`
        UPDATE "TranscriptionJob"
        SET "status" = 'running', "leaseOwner" = ${owner}, "leaseExpiresAt" = ${expires}, "heartbeatAt" = ${now},
            "attempts" = "attempts" + 1, "startedAt" = COALESCE("startedAt", ${now}), "updatedAt" = ${now}
        WHERE "id" = (
          SELECT "id" FROM "TranscriptionJob"
          WHERE "cancelRequested" = 0 AND ("status" = 'queued' OR ("status" = 'running' AND "leaseExpiresAt" < ${now}))
          ORDER BY "createdAt" ASC
          LIMIT 1
        )
        AND "cancelRequested" = 0 AND ("status" = 'queued' OR ("status" = 'running' AND "leaseExpiresAt" < ${now}))
        RETURNING "id"`;
      id = rows[0]?.id;
    }
    if (!id) return null;
    const job = await this.db.transcriptionJob.findUniqueOrThrow({ where: { id }, select: claimedSelect });
    if (machine.modelPath !== undefined || machine.threads !== undefined) {
      await this.db.transcriptionJob.updateMany({
        where: { id, leaseOwner: owner },
        data: { ...(machine.modelPath !== undefined ? { modelPath: machine.modelPath } : {}), ...(machine.threads !== undefined ? { threads: machine.threads } : {}) },
      });
    }
    return job;
  }

  /** Heartbeat: extends the lease while this worker still holds it. */
  async renew(jobId: string, owner: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }> {
    const now = new Date();
    const { count } = await this.db.transcriptionJob.updateMany({
      where: { id: jobId, leaseOwner: owner, status: "running" },
      data: { leaseExpiresAt: new Date(now.getTime() + leaseMs), heartbeatAt: now },
    });
    if (count === 0) return { held: false, cancelRequested: false };
    return { held: true, cancelRequested: await this.cancelRequested(jobId) };
  }

  async cancelRequested(jobId: string): Promise<boolean> {
    const row = await this.db.transcriptionJob.findUnique({ where: { id: jobId }, select: { cancelRequested: true } });
    return row?.cancelRequested ?? true;
  }

  async checkpoints(jobId: string): Promise<Checkpoint[]> {
    const rows = await this.db.transcriptionWindow.findMany({ where: { jobId }, orderBy: { index: "asc" }, select: { index: true, startMs: true, endMs: true, segments: true } });
    return rows.map((r) => ({ index: r.index, startMs: r.startMs, endMs: r.endMs, segments: JSON.parse(r.segments) as Segment[] }));
  }

  /**
   * A transaction that reads before it writes. On SQLite it fails at its first write if another process (a worker's
   * progress, the app's cancel) wrote since its read: its snapshot is stale, and waiting cannot help (seen in CI: a
   * cancel while the job's worker reported progress). It starts again, as the app's other such transactions do.
   */
  private readThenWrite<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    return withRaceRetry(() => this.db.$transaction(body));
  }

  /** Inside a transaction: the job is still ours (running, our lease), or LeaseLost rolls everything back. */
  private async guard(tx: Tx, jobId: string, owner: string, data: Prisma.TranscriptionJobUpdateManyMutationInput) {
    const { count } = await tx.transcriptionJob.updateMany({ where: { id: jobId, leaseOwner: owner, status: "running" }, data });
    if (count !== 1) throw new LeaseLost(jobId);
  }

  /** Stores a finished window and the job's progress in one transaction (a checkpoint). */
  async checkpoint(jobId: string, owner: string, leaseMs: number, window: WindowPlan, segments: readonly Segment[], progress: { progress: number; etaSeconds: number | null; durationMs: number }) {
    const now = new Date();
    await this.db.$transaction(async (tx) => {
      await this.guard(tx, jobId, owner, { ...progress, leaseExpiresAt: new Date(now.getTime() + leaseMs), heartbeatAt: now });
      const data = { startMs: window.startMs, endMs: window.endMs, segments: JSON.stringify(segments) };
      await tx.transcriptionWindow.upsert({ where: { jobId_index: { jobId, index: window.index } }, create: { jobId, index: window.index, ...data }, update: data });
    });
  }

  /** The last write of a job: `write` runs in the same transaction as the guarded status change. */
  async finish<T>(jobId: string, owner: string, write: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.$transaction(
      async (tx) => {
        const now = new Date();
        const { count } = await tx.transcriptionJob.updateMany({
          where: { id: jobId, leaseOwner: owner, status: "running", cancelRequested: false },
          data: { status: "done", progress: 1, etaSeconds: 0, error: null, finishedAt: now, leaseExpiresAt: null },
        });
        if (count !== 1) throw new LeaseLost(jobId);
        const result = await write(tx);
        await tx.transcriptionWindow.deleteMany({ where: { jobId } });
        await freeWorker(tx, jobId, owner);
        return result;
      },
      { maxWait: 15_000, timeout: 60_000 },
    );
  }

  /** Ends the job as failed (checkpoints kept, so a retry continues after them). */
  async fail(jobId: string, owner: string, error: string) {
    await this.end(jobId, owner, "failed", error);
  }

  /** Ends the job as cancelled; its checkpoints (transcript text) are deleted. */
  async cancelled(jobId: string, owner: string, reason: string | null) {
    await this.end(jobId, owner, "cancelled", reason);
  }

  private async end(jobId: string, owner: string, status: "failed" | "cancelled", error: string | null) {
    await this.readThenWrite(async (tx) => {
      const job = await tx.transcriptionJob.findUnique({ where: { id: jobId }, select: { interviewId: true } });
      const { count } = await tx.transcriptionJob.updateMany({
        where: { id: jobId, leaseOwner: owner, status: "running" },
        data: { status, error, etaSeconds: null, finishedAt: new Date(), leaseExpiresAt: null },
      });
      if (count !== 1 || !job) return;
      await freeWorker(tx, jobId, owner);
      if (status === "cancelled") await tx.transcriptionWindow.deleteMany({ where: { jobId } });
      await settleInterviewStatus(tx, job.interviewId);
    });
  }

  /** Graceful shutdown: the job goes back to the queue at once (not after the lease), keeping its checkpoints. */
  async release(jobId: string, owner: string) {
    await this.db.$transaction(async (tx) => {
      await tx.transcriptionJob.updateMany({
        where: { id: jobId, leaseOwner: owner, status: "running" },
        data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, attempts: { decrement: 1 } },
      });
      await freeWorker(tx, jobId, owner);
    });
  }

  /** Back to the queue after a failure that may not repeat (the engine crashed): the attempt counts. */
  async requeue(jobId: string, owner: string) {
    await this.db.$transaction(async (tx) => {
      await tx.transcriptionJob.updateMany({
        where: { id: jobId, leaseOwner: owner, status: "running" },
        data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, etaSeconds: null },
      });
      await freeWorker(tx, jobId, owner);
    });
  }

  /** Running jobs whose worker died after a cancel was requested: nobody will finish them, so they end here. */
  async reapCancelled() {
    const stale = await this.db.transcriptionJob.findMany({
      where: { status: "running", cancelRequested: true, leaseExpiresAt: { lt: new Date() } },
      select: { id: true, leaseOwner: true },
    });
    for (const job of stale) if (job.leaseOwner) await this.end(job.id, job.leaseOwner, "cancelled", null);
  }

  // ---- what the app does (no worker involved) -----------------------------------------------------------

  /**
   * A new job, unless the interview has one queued or running already (then that one is returned). `also` runs in
   * the same transaction when a job was created (the app's audit entry).
   */
  async enqueue(
    input: { interviewId: string; recordingId: string; language: string; createdById: string | null },
    also?: (tx: Tx, jobId: string) => Promise<void>,
  ): Promise<{ id: string; created: boolean }> {
    return this.readThenWrite(async (tx) => {
      const active = await tx.transcriptionJob.findFirst({ where: { interviewId: input.interviewId, status: { in: [...ACTIVE_STATUSES] } }, select: { id: true } });
      if (active) return { id: active.id, created: false };
      // Checkpoints of earlier, ended jobs of this interview are of no use any more.
      await tx.transcriptionWindow.deleteMany({ where: { job: { interviewId: input.interviewId, status: { notIn: [...ACTIVE_STATUSES] } } } });
      const job = await tx.transcriptionJob.create({ data: { interviewId: input.interviewId, recordingId: input.recordingId, language: input.language, createdById: input.createdById }, select: { id: true } });
      await tx.interview.updateMany({ where: { id: input.interviewId, status: { in: ["planned", "recorded"] } }, data: { status: "transcribing" } });
      await also?.(tx, job.id);
      return { id: job.id, created: true };
    });
  }

  /** A queued job ends at once; a running one is stopped by its worker (within about a second). */
  async requestCancel(jobId: string): Promise<"cancelled" | "requested" | "not-active"> {
    return this.readThenWrite(async (tx) => {
      const job = await tx.transcriptionJob.findUnique({ where: { id: jobId }, select: { interviewId: true } });
      if (!job) return "not-active";
      const queued = await tx.transcriptionJob.updateMany({ where: { id: jobId, status: "queued" }, data: { status: "cancelled", cancelRequested: true, finishedAt: new Date(), etaSeconds: null } });
      if (queued.count === 1) {
        await tx.transcriptionWindow.deleteMany({ where: { jobId } });
        await settleInterviewStatus(tx, job.interviewId);
        return "cancelled";
      }
      const running = await tx.transcriptionJob.updateMany({ where: { id: jobId, status: "running" }, data: { cancelRequested: true } });
      return running.count === 1 ? "requested" : "not-active";
    });
  }

  /** A failed or cancelled job goes back to the queue; it continues after its checkpoints if it has any. */
  async retry(jobId: string): Promise<boolean> {
    return this.readThenWrite(async (tx) => {
      const job = await tx.transcriptionJob.findUnique({ where: { id: jobId }, select: { interviewId: true } });
      if (!job) return false;
      const active = await tx.transcriptionJob.count({ where: { interviewId: job.interviewId, status: { in: [...ACTIVE_STATUSES] } } });
      if (active > 0) return false;
      const { count } = await tx.transcriptionJob.updateMany({
        where: { id: jobId, status: { in: ["failed", "cancelled"] } },
        // The run's time on the page counts from this start, not from the first (days may lie between them).
        data: { status: "queued", error: null, cancelRequested: false, attempts: 0, progress: 0, etaSeconds: null, startedAt: null, finishedAt: null, leaseOwner: null, leaseExpiresAt: null },
      });
      if (count === 1) await tx.interview.updateMany({ where: { id: job.interviewId, status: { in: ["planned", "recorded"] } }, data: { status: "transcribing" } });
      return count === 1;
    });
  }
}

/**
 * The worker's presence row (ADR 0007 "Workers seen") stops naming the job in the write that ends its part in it, so
 * the admins' page never shows a worker "working" on a job that is done (its next heartbeat would take up to 10 s).
 */
async function freeWorker(tx: Tx, jobId: string, owner: string) {
  await tx.transcriptionWorkerSeen.updateMany({ where: { id: owner, jobId }, data: { jobId: null } });
}

/** After a job ends without a transcript: "transcribing" goes back to "recorded" unless another job is active. */
export async function settleInterviewStatus(tx: Tx, interviewId: string) {
  const active = await tx.transcriptionJob.count({ where: { interviewId, status: { in: [...ACTIVE_STATUSES] } } });
  if (active === 0) await tx.interview.updateMany({ where: { id: interviewId, status: "transcribing" }, data: { status: "recorded" } });
}
