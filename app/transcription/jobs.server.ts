// The app's side of the transcription queue: start, cancel and retry jobs (audited), and what the interview's
// transcription page and the admins' queue page show. The work itself happens in transcription/worker.ts.
import path from "node:path";
import { db } from "../db/client.server.ts";
import { env } from "../env.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { parseLanguages } from "../interviews/interviews.server.ts";
import { Queue, providerOf } from "../../transcription/queue.ts";
import { isRandomWeightsModel, modelStatus, type ModelStatus } from "../../transcription/model.ts";
import { ACTIVE_STATUSES, defaultTranscriptionLanguage, type TranscriptionLanguage } from "../../transcription/languages.ts";
import { PRUNE_AFTER_MS } from "../../transcription/presence.ts";

export function transcriptionQueue(): Queue {
  return new Queue(db, providerOf(env().DATABASE_URL));
}

/** The embedded worker (transcription/supervisor.js) looks at the queue now instead of at its next poll. */
function wakeWorker() {
  (globalThis as { __lebenswegeTranscriptionWake?: () => void }).__lebenswegeTranscriptionWake?.();
}

export type ModelInfo =
  | { mode: "embedded"; ok: true; name: string }
  | { mode: "embedded"; ok: false; reason: Extract<ModelStatus, { ok: false }>["reason"]; path: string | null }
  | { mode: "off" };

/**
 * What the page says about the engine. Embedded: the model file on this machine. Off: separate workers
 * (`npm run worker`, possibly elsewhere) bring their own model, so this server cannot tell.
 */
export async function modelInfo(): Promise<ModelInfo> {
  const e = env();
  if (e.TRANSCRIPTION_WORKER === "off") return { mode: "off" };
  const status = await modelStatus(e.WHISPER_MODEL);
  // Only the configured value is shown (what the admin typed), never more of the file system.
  return status.ok ? { mode: "embedded", ok: true, name: status.name } : { mode: "embedded", ok: false, reason: status.reason, path: e.WHISPER_MODEL ?? null };
}

const jobSelect = {
  id: true,
  status: true,
  language: true,
  progress: true,
  etaSeconds: true,
  durationMs: true,
  error: true,
  attempts: true,
  cancelRequested: true,
  recordingId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  updatedAt: true,
  leaseExpiresAt: true,
} as const;

/** Minutes a queued job has waited since it last changed: long waits hint at no worker running (computed here, so the
 *  page renders the same on the server and in the browser). A running job whose lease ran out has lost its worker:
 *  it waits for one to take it over, and its last time left means nothing any more. */
const withWait = <T extends { status: string; updatedAt: Date; leaseExpiresAt: Date | null; etaSeconds: number | null }>({ leaseExpiresAt, ...job }: T, now = Date.now()) => {
  const waitingForWorker = job.status === "running" && leaseExpiresAt !== null && leaseExpiresAt.getTime() < now;
  return { ...job, etaSeconds: waitingForWorker ? null : job.etaSeconds, waitingForWorker, waitingMinutes: job.status === "queued" ? Math.floor((now - job.updatedAt.getTime()) / 60_000) : 0 };
};

type SeenWorker = Awaited<ReturnType<typeof workersSeen>>[number];
const liveWorkers = (workers: SeenWorker[]) => workers.filter((w) => w.state !== "silent" && w.state !== "stopped");
/** Workers run, but none has a model: no job is taken until an administrator installs one (the queue page's "noModel"). */
const noModelAnywhere = (workers: SeenWorker[]) => {
  const alive = liveWorkers(workers);
  return alive.length > 0 && alive.every((w) => w.modelName === null);
};
/**
 * No worker reports at all, and this server has no usable model: the only model setting the app can read (a worker
 * on another machine has its own, and one that is not running says nothing). A waiting job then needs an
 * administrator to start a worker that has a model; "waiting for a free worker" would suggest busy ones.
 */
const noWorkerNoModelHere = (workers: SeenWorker[], model: ModelInfo) => liveWorkers(workers).length === 0 && model.mode === "embedded" && !model.ok;
/**
 * A job that waits (queued, or its worker gone) while no live worker has a model waits for the model, not a free
 * worker; while no worker runs and this server has no model, for a worker with a model (noWorkerNoModelHere).
 */
const withModelWait = <T extends { status: string; waitingForWorker: boolean }>(job: T, noModel: boolean, noWorkerNoModel: boolean) => {
  const waiting = job.status === "queued" || job.waitingForWorker;
  return { ...job, waitingForModel: noModel && waiting, waitingForWorkerWithModel: noWorkerNoModel && waiting };
};

/** The interview (in the grant's scope) or 404. */
async function findInterview(grant: Grant, interviewId: string) {
  const row = await db.interview.findFirst({
    where: { id: interviewId, case: caseScope(grant) },
    select: { id: true, code: true, status: true, transcriptionLanguage: true, languages: true },
  });
  if (!row) throw notFound();
  return row;
}

/** What a finished run produced (noScribe and f4transkript report the same): model file, lengths, counts, language. */
const resultSelect = { modelPath: true, resultLanguage: true, segmentCount: true, paragraphCount: true, wordCount: true } as const;
type ResultRow = { status: string; durationMs: number | null; startedAt: Date | null; finishedAt: Date | null; modelPath: string | null; resultLanguage: string | null; segmentCount: number | null; paragraphCount: number | null; wordCount: number | null };

function withSummary<T extends ResultRow>({ modelPath, resultLanguage, segmentCount, paragraphCount, wordCount, ...job }: T) {
  // The model's file name only: the server's folders are none of the page's business.
  const model = modelPath ? path.basename(modelPath) : null;
  // Runs finished before the result was recorded (2026-12-01) have none: no summary rather than "not detected".
  const recorded = resultLanguage !== null || wordCount !== null || paragraphCount !== null;
  const summary =
    job.status === "done" && recorded
      ? {
          model,
          // A synthetic test model (../shared/models): its text is noise, whatever the counts say.
          randomWeights: model !== null && isRandomWeightsModel(model),
          durationMs: job.durationMs,
          runMs: job.startedAt && job.finishedAt ? Math.max(0, job.finishedAt.getTime() - job.startedAt.getTime()) : null,
          segments: segmentCount,
          paragraphs: paragraphCount,
          words: wordCount,
          language: resultLanguage,
        }
      : null;
  return { ...job, summary };
}

export async function transcriptionPage(grant: Grant, interviewId: string) {
  const { languages, ...interview } = await findInterview(grant, interviewId);
  const [recordings, jobs, transcript, gate, model, codings, workers] = await Promise.all([
    db.recording.findMany({ where: { interviewId }, orderBy: { createdAt: "asc" }, select: { id: true, displayName: true, durationMs: true, mediaType: true } }),
    db.transcriptionJob.findMany({ where: { interviewId }, orderBy: { createdAt: "desc" }, take: 10, select: { ...jobSelect, ...resultSelect } }),
    db.transcript.findUnique({ where: { interviewId }, select: { source: true, version: true, updatedAt: true, checkedAt: true, _count: { select: { paragraphs: true } } } }),
    mayProcess(interviewId, "transcription"),
    modelInfo(),
    // A new run replaces the transcript: the page says how many codings follow it (as the import page does).
    db.coding.count({ where: { interviewId, orphaned: false } }),
    workersSeen(),
  ]);
  const noModel = noModelAnywhere(workers);
  const noWorkerNoModel = noWorkerNoModelHere(workers, model);
  return {
    interview,
    // The start form's preselected language and why (the hint says it).
    languageDefault: defaultTranscriptionLanguage(parseLanguages(languages), interview.transcriptionLanguage),
    recordings,
    jobs: jobs.map((j) => withModelWait(withWait(withSummary(j)), noModel, noWorkerNoModel)),
    transcript: transcript
      ? { source: transcript.source, version: transcript.version, updatedAt: transcript.updatedAt, paragraphs: transcript._count.paragraphs, checked: transcript.checkedAt !== null, codings }
      : null,
    gate,
    model,
  };
}

export type StartResult = { ok: true; jobId: string; created: boolean } | { ok: false; error: string };

/** Queues a job for a recording of the interview; refused (naming the scope) without consent to transcription. */
export async function startTranscription(request: Request | null, grant: Grant, interviewId: string, input: { recordingId: string; language: TranscriptionLanguage }): Promise<StartResult> {
  await findInterview(grant, interviewId);
  const gate = await mayProcess(interviewId, "transcription");
  if (!gate.ok) return { ok: false, error: `transcription:gate.${gate.reason}` };
  const recording = await db.recording.findFirst({ where: { id: input.recordingId, interviewId }, select: { id: true } });
  if (!recording) return { ok: false, error: "transcription:start.noRecording" };
  const result = await transcriptionQueue().enqueue({ interviewId, recordingId: recording.id, language: input.language, createdById: grant.user.id }, async (tx, jobId) => {
    // The language choice stays with the interview for the next run.
    await tx.interview.update({ where: { id: interviewId }, data: { transcriptionLanguage: input.language } });
    await audit(request, grant.user, { action: "transcription.start", entity: "interview", entityId: interviewId, detail: { jobId, language: input.language } }, tx);
  });
  if (result.created) wakeWorker();
  return { ok: true, jobId: result.id, created: result.created };
}

/** The job, if it belongs to the interview in the grant's scope (admins' queue page: any interview). */
async function findJob(grant: Grant, jobId: string, interviewId?: string) {
  const job = await db.transcriptionJob.findFirst({ where: { id: jobId, ...(interviewId ? { interviewId } : {}), interview: { case: caseScope(grant) } }, select: { id: true, interviewId: true, status: true } });
  if (!job) throw notFound();
  return job;
}

export async function cancelTranscription(request: Request | null, grant: Grant, jobId: string, interviewId?: string) {
  const job = await findJob(grant, jobId, interviewId);
  const outcome = await transcriptionQueue().requestCancel(job.id);
  if (outcome !== "not-active") await audit(request, grant.user, { action: "transcription.cancel", entity: "interview", entityId: job.interviewId, detail: { jobId: job.id, outcome } });
  return outcome;
}

export async function retryTranscription(request: Request | null, grant: Grant, jobId: string, interviewId?: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const job = await findJob(grant, jobId, interviewId);
  const gate = await mayProcess(job.interviewId, "transcription");
  if (!gate.ok) return { ok: false, error: `transcription:gate.${gate.reason}` };
  if (!(await transcriptionQueue().retry(job.id))) return { ok: false, error: "transcription:retry.notPossible" };
  await audit(request, grant.user, { action: "transcription.retry", entity: "interview", entityId: job.interviewId, detail: { jobId: job.id } });
  wakeWorker();
  return { ok: true };
}

/** The admins' queue page: every active job and the latest ended ones, with who works on them. */
export async function queueOverview(limit = 50) {
  const select = {
    ...jobSelect,
    threads: true,
    modelPath: true,
    leaseOwner: true,
    heartbeatAt: true,
    interview: { select: { id: true, code: true } },
  } as const;
  const [active, ended, counts, model, workers] = await Promise.all([
    db.transcriptionJob.findMany({ where: { status: { in: [...ACTIVE_STATUSES] } }, orderBy: { createdAt: "asc" }, select }),
    db.transcriptionJob.findMany({ where: { status: { notIn: [...ACTIVE_STATUSES] } }, orderBy: { createdAt: "desc" }, take: limit, select }),
    db.transcriptionJob.groupBy({ by: ["status"], _count: { _all: true } }),
    modelInfo(),
    workersSeen(),
  ]);
  const now = Date.now();
  const noModel = noModelAnywhere(workers);
  const noWorkerNoModel = noWorkerNoModelHere(workers, model);
  const rows = [...active, ...ended].map(({ modelPath, ...job }) => {
    const row = withModelWait(withWait(job, now), noModel, noWorkerNoModel);
    // stale: a running job whose lease ran out has lost its worker; another one takes it over.
    return { ...row, model: modelPath ? path.basename(modelPath) : null, stale: row.waitingForWorker };
  });
  const orphaned = rows.filter((r) => r.stale).length;
  const countsByStatus = Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Record<string, number>;
  // Running jobs whose worker died wait like queued ones: the summary counts them as waiting, not as running.
  if (orphaned) {
    countsByStatus.running = (countsByStatus.running ?? 0) - orphaned;
    countsByStatus.queued = (countsByStatus.queued ?? 0) + orphaned;
  }
  const alive = liveWorkers(workers);
  // What an admin who sees "queued" for an hour needs to know first.
  const warning = (countsByStatus.queued ?? 0) > 0 && alive.length === 0 ? ("noWorker" as const) : noModel ? ("noModel" as const) : null;
  // Scale-out: the web server may have no model while the workers have theirs (the page must not say none is set up).
  const workerModels = [...new Set(alive.flatMap((w) => (w.modelName ? [w.modelName] : [])))];
  return { rows, counts: countsByStatus, model, workerModels, workers, warning };
}

/** waiting: live, but without a model it takes no job. */
export type WorkerState = "idle" | "busy" | "waiting" | "silent" | "stopped";
const stateOrder: Record<WorkerState, number> = { busy: 0, idle: 1, waiting: 2, silent: 3, stopped: 4 };

/**
 * The transcription workers seen in the last day (ADR 0007 "Workers seen"): one past its `aliveUntil` (last
 * heartbeat + its lease time) without a clean stop died. Machine data only: the job id, no interview.
 */
export async function workersSeen(now = Date.now()) {
  const rows = await db.transcriptionWorkerSeen.findMany({
    where: { lastSeenAt: { gte: new Date(now - PRUNE_AFTER_MS) } },
    orderBy: { startedAt: "desc" },
    take: 100,
    select: { id: true, host: true, pid: true, embedded: true, startedAt: true, modelName: true, modelBytes: true, modelProblem: true, threads: true, jobId: true, lastSeenAt: true, aliveUntil: true, stoppedAt: true },
  });
  return rows
    .map(({ modelBytes, aliveUntil, jobId, ...w }) => {
      const state: WorkerState = w.stoppedAt ? "stopped" : aliveUntil.getTime() < now ? "silent" : jobId ? "busy" : w.modelName === null ? "waiting" : "idle";
      return { ...w, modelBytes: modelBytes === null ? null : Number(modelBytes), jobId: state === "busy" ? jobId : null, state };
    })
    .sort((a, b) => stateOrder[a.state] - stateOrder[b.state]);
}
