// The durable queue: claims are atomic under concurrency, a lease that runs out hands the job to another worker,
// and the worker that lost it can no longer write (exactly one completion). On PostgreSQL, two worker processes
// share ten jobs and every window of every job runs exactly once.
import { fixtureAudio, plantInterview, startWorkerProcess, STORAGE_DIR, unique, waitFor, type WorkerProcess } from "./test-support.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, db } from "../db/client.server.ts";
import { env } from "../env.server.ts";
import { LeaseLost } from "../../transcription/errors.ts";
import { Queue, providerOf } from "../../transcription/queue.ts";

const url = env().DATABASE_URL;
const provider = providerOf(url);
const queue = new Queue(db, provider);
// A second connection, as a second worker process would have.
const otherDb = createDb(url);
const otherQueue = new Queue(otherDb, provider);
afterAll(() => otherDb.$disconnect());

async function queuedJobs(n: number) {
  const planted = await plantInterview();
  const ids: string[] = [];
  // Jobs of different interviews (one active job per interview): write them directly.
  for (let i = 0; i < n; i++) {
    const other = i === 0 ? planted : await plantInterview();
    ids.push((await queue.enqueue({ interviewId: other.interviewId, recordingId: other.recordingId, language: "de", createdById: null })).id);
  }
  return ids;
}

describe(`claiming (${provider})`, () => {
  it("two workers claiming at the same time never get the same job", async () => {
    const ids = await queuedJobs(12);
    const claimedBy = new Map<string, string[]>();
    const drain = async (q: Queue, owner: string) => {
      for (;;) {
        const job = await q.claim(owner, 60_000);
        if (!job) return;
        claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), owner]);
      }
    };
    await Promise.all([drain(queue, "a1"), drain(otherQueue, "b1"), drain(queue, "a2"), drain(otherQueue, "b2")]);
    expect([...claimedBy.keys()].sort()).toEqual([...ids].sort());
    for (const owners of claimedBy.values()) expect(owners).toHaveLength(1);
    const rows = await db.transcriptionJob.findMany({ where: { id: { in: ids } }, select: { status: true, attempts: true, leaseOwner: true } });
    expect(rows.every((r) => r.status === "running" && r.attempts === 1 && r.leaseOwner)).toBe(true);
    await db.transcriptionJob.updateMany({ where: { id: { in: ids } }, data: { status: "cancelled" } });
  });

  it("a lease that ran out goes to the next worker, and the old owner can no longer write", async () => {
    const [id] = await queuedJobs(1);
    const first = await queue.claim("worker-a", 300);
    expect(first?.id).toBe(id);
    expect(await otherQueue.claim("worker-b", 300)).toBeNull(); // lease still valid
    await new Promise((r) => setTimeout(r, 400));
    const second = await otherQueue.claim("worker-b", 60_000);
    expect(second?.id).toBe(id);
    expect(second?.attempts).toBe(2);
    // The first worker wakes up late: every write it tries is refused, nothing of it lands.
    const window = { index: 0, startMs: 0, endMs: 1000 };
    await expect(queue.checkpoint(id!, "worker-a", 1000, window, [{ startMs: 0, endMs: 900, text: "alt" }], { progress: 0.5, etaSeconds: 1, durationMs: 2000 })).rejects.toBeInstanceOf(LeaseLost);
    await expect(queue.finish(id!, "worker-a", async () => "written")).rejects.toBeInstanceOf(LeaseLost);
    expect((await queue.renew(id!, "worker-a", 1000)).held).toBe(false);
    expect(await db.transcriptionWindow.count({ where: { jobId: id! } })).toBe(0);
    // The owner finishes, exactly once.
    await otherQueue.checkpoint(id!, "worker-b", 60_000, window, [{ startMs: 0, endMs: 900, text: "neu" }], { progress: 0.5, etaSeconds: 1, durationMs: 2000 });
    expect(await otherQueue.finish(id!, "worker-b", async () => "written")).toBe("written");
    await expect(otherQueue.finish(id!, "worker-b", async () => "again")).rejects.toBeInstanceOf(LeaseLost);
    expect((await db.transcriptionJob.findUniqueOrThrow({ where: { id: id! } })).status).toBe("done");
  });

  it("one active job per interview; retry only for ended jobs", async () => {
    const planted = await plantInterview();
    const a = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
    const b = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "fa", createdById: null });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    expect(await queue.retry(a.id)).toBe(false);
    expect(await queue.requestCancel(a.id)).toBe("cancelled");
    expect(await queue.retry(a.id)).toBe(true);
    expect((await db.transcriptionJob.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("queued");
  });

  it("a cancel goes through while the job's worker writes its progress between the cancel's read and its write", async () => {
    const [queuedId] = await queuedJobs(1);
    const [runningId] = await queuedJobs(1);
    await db.transcriptionJob.update({ where: { id: runningId! }, data: { status: "running", leaseOwner: "worker-r", leaseExpiresAt: new Date(Date.now() + 60_000), attempts: 1 } });
    // The worker (another connection) reports progress right after the cancel has read its job, once per job.
    const interleaved = new Set<string>();
    const racing = db.$extends({
      query: {
        transcriptionJob: {
          async findUnique({ args, query }) {
            const found = await query(args);
            const id = args.where.id!;
            if (!interleaved.has(id)) {
              interleaved.add(id);
              await otherDb.transcriptionJob.update({ where: { id }, data: { heartbeatAt: new Date() } });
            }
            return found;
          },
        },
      },
    }) as unknown as typeof db;
    const cancelling = new Queue(racing, provider);
    expect(await cancelling.requestCancel(queuedId!)).toBe("cancelled");
    expect(await cancelling.requestCancel(runningId!)).toBe("requested");
    expect(interleaved.size).toBe(2);
    const rows = await db.transcriptionJob.findMany({ where: { id: { in: [queuedId!, runningId!] } }, select: { id: true, status: true, cancelRequested: true } });
    expect(rows.find((r) => r.id === queuedId)).toMatchObject({ status: "cancelled", cancelRequested: true });
    expect(rows.find((r) => r.id === runningId)).toMatchObject({ status: "running", cancelRequested: true });
  });
});

const onPostgres = provider === "postgres";
describe.skipIf(!onPostgres)(`two worker processes on PostgreSQL${onPostgres ? "" : " (skipped: needs PostgreSQL, run with TEST_DATABASE=postgres)"}`, () => {
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  it("ten jobs: each runs exactly once to completion, every window once", async () => {
    const tmpDir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-pg-work-"));
    const runLog = path.join(tmpDir, `${unique("runs")}.log`);
    const common = { DATABASE_URL: url, STORAGE_DIR, TRANSCRIPTION_RUN_LOG: runLog, TMPDIR: tmpDir, TRANSCRIPTION_LEASE_MS: "5000" };
    workers.push(startWorkerProcess(common), startWorkerProcess(common));
    for (const w of workers) await waitFor(async () => w.output().includes("started"), 30_000, "worker start").catch((e: Error) => Promise.reject(new Error(`${e.message}\n${w.output()}`)));

    const audio = fixtureAudio(45); // two windows each
    const planted = [];
    for (let i = 0; i < 10; i++) planted.push(await plantInterview({ audio }));
    const jobIds = await Promise.all(planted.map((p) => queue.enqueue({ interviewId: p.interviewId, recordingId: p.recordingId, language: "auto", createdById: null }).then((j) => j.id)));

    await waitFor(
      async () => (await db.transcriptionJob.count({ where: { id: { in: jobIds }, status: "done" } })) === 10,
      180_000,
      "ten jobs done",
    ).catch((e: Error) => Promise.reject(new Error(`${e.message}\n${workers.map((w) => w.output()).join("\n---\n")}`)));

    const runs = fs.readFileSync(runLog, "utf8").trim().split("\n").map((l) => l.split(" "));
    const perJobWindow = new Map<string, number>();
    for (const [, jobId, index] of runs) perJobWindow.set(`${jobId}#${index}`, (perJobWindow.get(`${jobId}#${index}`) ?? 0) + 1);
    for (const id of jobIds) {
      expect(perJobWindow.get(`${id}#0`)).toBe(1);
      expect(perJobWindow.get(`${id}#1`)).toBe(1);
      expect(perJobWindow.has(`${id}#2`)).toBe(false);
    }
    // Both workers took part, and each job was claimed once.
    expect(new Set(runs.map(([owner]) => owner)).size).toBe(2);
    const jobs = await db.transcriptionJob.findMany({ where: { id: { in: jobIds } }, select: { attempts: true } });
    expect(jobs.every((j) => j.attempts === 1)).toBe(true);
    // One transcript per interview, one completion each in the audit log.
    expect(await db.transcript.count({ where: { interviewId: { in: planted.map((p) => p.interviewId) }, source: "whisper" } })).toBe(10);
    expect(await db.auditLog.count({ where: { action: "transcription.done", entityId: { in: planted.map((p) => p.interviewId) } } })).toBe(10);
  }, 240_000);
});
