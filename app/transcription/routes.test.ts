// The transcription page and the admins' queue page, through their loaders and actions against the real
// database: who may see and start what, the consent gate naming the missing scope, cancel/retry, audit.
import { plantInterview } from "./test-support.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, getRequest, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import * as page from "../routes/interviews.$interviewId.transcription.tsx";
import * as admin from "../routes/admin.transcription.tsx";
import { transcriptionEraser } from "./eraser.server.ts";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createI18n } from "../i18n/config.ts";
import { JobProgress } from "./job-parts.tsx";

let researcher: TestUser;
let administrator: TestUser;
let manager: TestUser;

beforeAll(async () => {
  researcher = await signedInUser("forschung-t", ["researcher"]);
  administrator = await signedInUser("admin-t", ["admin"]);
  manager = await signedInUser("im-t", ["integration_manager"]);
});

const url = (id: string) => `/interviews/${id}/transcription`;
type PageData = Awaited<ReturnType<Awaited<ReturnType<typeof page.loader>>["json"]>>;
const load = async (id: string, who: TestUser) => (await (await page.loader({ request: getRequest(url(id), who), params: { interviewId: id }, ...ctx })).json()) as PageData;
const post = (id: string, who: TestUser, fields: Record<string, string>) => page.action({ request: postRequest(url(id), who, fields), params: { interviewId: id }, ...ctx });

describe("the interview's transcription page", () => {
  it("shows the recordings, no jobs yet, and that no model is configured", async () => {
    const planted = await plantInterview();
    const data = await load(planted.interviewId, researcher);
    expect(data.recordings.map((r) => r.id)).toEqual([planted.recordingId]);
    expect(data.jobs).toEqual([]);
    expect(data.gate).toEqual({ ok: true });
    expect(data.canTranscribe).toBe(true);
    expect(data.model).toMatchObject({ mode: "embedded", ok: false, reason: "unset" });
    // Integration managers do not see interview content; unknown ids are 404.
    expect(await statusOf(() => page.loader({ request: getRequest(url(planted.interviewId), manager), params: { interviewId: planted.interviewId }, ...ctx }))).toBe(403);
    expect(await statusOf(() => page.loader({ request: getRequest(url("nope"), researcher), params: { interviewId: "nope" }, ...ctx }))).toBe(404);
  });

  it("starts a job with the chosen language, once, audited", async () => {
    const planted = await plantInterview();
    const res = await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "fa" });
    expect(res.status).toBe(200);
    expect((await res.json()).done).toBe("transcription:start.started");
    const jobs = await db.transcriptionJob.findMany({ where: { interviewId: planted.interviewId } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "queued", language: "fa", recordingId: planted.recordingId, createdById: researcher.user.id });
    const interview = await db.interview.findUniqueOrThrow({ where: { id: planted.interviewId } });
    expect(interview).toMatchObject({ status: "transcribing", transcriptionLanguage: "fa" });
    const log = await db.auditLog.findFirstOrThrow({ where: { action: "transcription.start", entityId: planted.interviewId } });
    expect(JSON.parse(log.detail!)).toEqual({ jobId: jobs[0]!.id, language: "fa" });

    // A second click does not queue a second job.
    const again = await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "de" });
    expect((await again.json()).done).toBe("transcription:start.alreadyRunning");
    expect(await db.transcriptionJob.count({ where: { interviewId: planted.interviewId } })).toBe(1);

    const data = await load(planted.interviewId, researcher);
    expect(data.jobs[0]).toMatchObject({ status: "queued", progress: 0, language: "fa", waitingMinutes: 0 });

    // Nobody has taken it for twelve minutes: the page gets the wait. No worker runs here and this server has no model,
    // so it says what an administrator must do rather than how long it waited.
    await db.transcriptionJob.update({ where: { id: jobs[0]!.id }, data: { updatedAt: new Date(Date.now() - 12 * 60_000) } });
    const later = await load(planted.interviewId, researcher);
    expect(later.jobs[0]!.waitingMinutes).toBeGreaterThanOrEqual(12);
    const i18n = createI18n("de");
    const html = renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(JobProgress, { job: later.jobs[0]! })));
    expect(later.jobs[0]).toMatchObject({ waitingForWorkerWithModel: true, waitingForModel: false });
    expect(html).toContain("Kein Transkriptionsdienst meldet sich, und auf diesem Server ist kein Spracherkennungsmodell eingerichtet. Die Administration muss einen Transkriptionsdienst mit Modell starten");
    // Where a worker or a model may exist (all busy, or workers of their own), the long wait is named instead.
    const elsewhere = renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(JobProgress, { job: { ...later.jobs[0]!, waitingForWorkerWithModel: false } })));
    expect(elsewhere).toContain("Seit 12 Minuten nimmt kein Transkriptionsdienst den Auftrag an");
  });

  it("preselects the interview's language when whisper knows exactly one of them, else automatic detection, and remembers a choice", async () => {
    const planted = await plantInterview(); // recorded in German only
    expect((await load(planted.interviewId, researcher)).languageDefault).toEqual({ language: "de", reason: "single", unsupported: [] });
    const setLanguages = (languages: string[]) => db.interview.update({ where: { id: planted.interviewId }, data: { languages: JSON.stringify(languages) } });
    await setLanguages(["de", "ar"]);
    expect((await load(planted.interviewId, researcher)).languageDefault).toEqual({ language: "auto", reason: "multilingual", languages: ["de", "ar"] });
    await setLanguages(["ku"]);
    expect((await load(planted.interviewId, researcher)).languageDefault).toEqual({ language: "auto", reason: "unsupported", languages: ["ku"] });
    await setLanguages(["ku", "sq"]);
    expect((await load(planted.interviewId, researcher)).languageDefault).toEqual({ language: "sq", reason: "single", unsupported: ["ku"] });
    // Every interview language can be started, also those the list lacked before (Albanian, Amharic, Urdu, ...).
    const res = await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "am" });
    expect(res.status).toBe(200);
    expect(await db.transcriptionJob.findFirstOrThrow({ where: { interviewId: planted.interviewId } })).toMatchObject({ language: "am" });
    // The next run preselects that choice.
    expect((await load(planted.interviewId, researcher)).languageDefault).toEqual({ language: "am", reason: "previous" });
    // "other" is no language whisper can be told.
    const other = await plantInterview();
    const refused = await post(other.interviewId, researcher, { intent: "start", recordingId: other.recordingId, language: "other" });
    expect(refused.status).toBe(400);
  });

  it("refuses without consent to transcription and names the scope", async () => {
    const planted = await plantInterview({ scopes: { transcription: false } });
    const data = await load(planted.interviewId, researcher);
    expect(data.gate).toEqual({ ok: false, missing: "transcription", reason: "scope-missing" });
    const res = await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "de" });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.result.error?.[""]).toEqual(['transcription:gate.scope-missing|{"scope":"transcription"}']);
    expect(await db.transcriptionJob.count({ where: { interviewId: planted.interviewId } })).toBe(0);
  });

  it("validates the form: a language from the list, a recording of this interview", async () => {
    const planted = await plantInterview();
    const other = await plantInterview();
    const badLanguage = await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "xx" });
    expect(badLanguage.status).toBe(400);
    expect((await badLanguage.json()).result.error?.language).toEqual(["validation.choose"]);
    const foreign = await post(planted.interviewId, researcher, { intent: "start", recordingId: other.recordingId, language: "de" });
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).result.error?.recordingId).toEqual(["transcription:start.noRecording"]);
    expect(await db.transcriptionJob.count({ where: { interviewId: planted.interviewId } })).toBe(0);
    // Without the CSRF token nothing happens.
    const body = new URLSearchParams({ intent: "start", recordingId: planted.recordingId, language: "de" });
    const forged = new Request(`http://localhost${url(planted.interviewId)}`, { method: "POST", headers: { cookie: researcher.cookie, "content-type": "application/x-www-form-urlencoded" }, body });
    expect(await statusOf(() => page.action({ request: forged, params: { interviewId: planted.interviewId }, ...ctx }))).toBe(403);
  });

  it("cancel and retry", async () => {
    const planted = await plantInterview();
    await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "de" });
    const job = await db.transcriptionJob.findFirstOrThrow({ where: { interviewId: planted.interviewId } });
    await post(planted.interviewId, researcher, { intent: "cancel", jobId: job.id });
    expect((await db.transcriptionJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelled");
    expect((await db.interview.findUniqueOrThrow({ where: { id: planted.interviewId } })).status).toBe("recorded");
    // Started once by a worker: the retried run's time on the page counts from its own start.
    await db.transcriptionJob.update({ where: { id: job.id }, data: { startedAt: new Date(Date.now() - 86_400_000) } });
    await post(planted.interviewId, researcher, { intent: "retry", jobId: job.id });
    expect(await db.transcriptionJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "queued", startedAt: null });
    expect(await db.auditLog.count({ where: { action: { in: ["transcription.cancel", "transcription.retry"] }, entityId: planted.interviewId } })).toBe(2);
    // A job id of another interview is not found through this interview's page.
    const other = await plantInterview();
    expect(await statusOf(() => post(other.interviewId, researcher, { intent: "cancel", jobId: job.id }))).toBe(404);
  });
});

describe("the admins' queue page", () => {
  it("lists jobs with their worker for admins only, and cancels", async () => {
    const planted = await plantInterview();
    await post(planted.interviewId, researcher, { intent: "start", recordingId: planted.recordingId, language: "de" });
    const job = await db.transcriptionJob.findFirstOrThrow({ where: { interviewId: planted.interviewId } });
    expect(await statusOf(() => admin.loader({ request: getRequest("/admin/transcription", researcher), params: {}, ...ctx }))).toBe(403);
    const data = await (await admin.loader({ request: getRequest("/admin/transcription", administrator), params: {}, ...ctx })).json();
    const row = data.rows.find((r: { id: string }) => r.id === job.id);
    expect(row).toMatchObject({ status: "queued", interview: { id: planted.interviewId, code: planted.code }, stale: false });
    expect(data.counts.queued).toBeGreaterThanOrEqual(1);
    await admin.action({ request: postRequest("/admin/transcription", administrator, { intent: "cancel", jobId: job.id }), params: {}, ...ctx });
    expect((await db.transcriptionJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelled");
  });
});

describe("withdrawal", () => {
  it("the eraser stops jobs and deletes jobs, checkpoints and the transcript; running it again is harmless", async () => {
    const planted = await plantInterview();
    const job = await db.transcriptionJob.create({ data: { interviewId: planted.interviewId, recordingId: planted.recordingId, status: "running", leaseOwner: "w", leaseExpiresAt: new Date(Date.now() + 60_000) } });
    await db.transcriptionWindow.create({ data: { jobId: job.id, index: 0, startMs: 0, endMs: 30_000, segments: JSON.stringify([{ startMs: 0, endMs: 9000, text: "Geheim" }]) } });
    const transcript = await db.transcript.create({ data: { interviewId: planted.interviewId, source: "whisper" } });
    await db.transcriptParagraph.create({ data: { transcriptId: transcript.id, position: 0, speaker: "", startMs: 0, endMs: 9000, text: "Geheim" } });
    await db.transcriptVersion.create({ data: { transcriptId: transcript.id, version: 1, paragraphs: "[]" } });
    const ctxOf = (parts: string[]) => ({ interviewId: planted.interviewId, caseId: planted.caseId, parts: new Set(parts) as never });

    expect(await transcriptionEraser.erase(ctxOf(["recording"]))).toEqual({}); // not its part
    expect(await transcriptionEraser.preview(ctxOf(["transcript"]))).toEqual({ transcriptionJobs: 1, runningJobs: 1, transcriptionWindows: 1, transcripts: 1, transcriptParagraphs: 1, transcriptVersions: 1 });
    expect(await transcriptionEraser.erase(ctxOf(["transcript"]))).toEqual({ stoppedJobs: 1, transcriptionJobs: 1, transcriptionWindows: 1, transcripts: 1, transcriptParagraphs: 1, transcriptVersions: 1 });
    expect(await transcriptionEraser.erase(ctxOf(["interview"]))).toEqual({ stoppedJobs: 0, transcriptionJobs: 0, transcriptionWindows: 0, transcripts: 0, transcriptParagraphs: 0, transcriptVersions: 0 });
    expect(transcriptionEraser.order).toBe(10);
  });
});
