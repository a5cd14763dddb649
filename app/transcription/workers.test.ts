// Which transcription workers run (ADR 0007 "Workers seen"), with real worker processes (`npm run worker` and the
// app's embedded one through transcription/supervisor.js) on this file's database: a live worker with its model,
// one killed with SIGKILL that shows as silent once its lease time (TRANSCRIPTION_LEASE_MS, the worker's own
// setting) has passed, a clean stop, the warnings of the admins' queue page, and that page over HTTP.
import { fixtureAudio, plantInterview, SPEAKS_MODEL, startWorkerProcess, waitFor, type WorkerProcess } from "./test-support.ts";
import fs from "node:fs";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../db/client.server.ts";
import { env } from "../env.server.ts";
import { queueOverview, workersSeen } from "./jobs.server.ts";
import { Queue, providerOf } from "../../transcription/queue.ts";
import { PRUNE_AFTER_MS } from "../../transcription/presence.ts";
import { startEmbeddedWorker } from "../../transcription/supervisor.js";
import { createTestUser, startAppServer, type AppServer } from "../../tests/support/app-server.ts";

// Several worker processes start whisper.cpp and are waited for up to 30 s each, several times per test: the global
// 30 s limit per test is too short on a busy or slower machine.
vi.setConfig({ testTimeout: 120_000 });

// A worker is live while its heartbeat (every third of the lease) keeps coming. On a busy machine a beat can be late
// by more than 600 ms (a worker showed as dead while it ran, and the tests after it failed): workers that are only to
// be seen live get 5 s; the two that are killed, and must show as dead soon after, 1.5 s.
const LEASE_MS = 5_000;
const KILLED_LEASE_MS = 1_500;
const queue = new Queue(db, providerOf(env().DATABASE_URL));
const started: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((w) => w.stop()));
});

function worker(extra: Record<string, string> = {}) {
  const w = startWorkerProcess({ TRANSCRIPTION_LEASE_MS: String(LEASE_MS), ...extra });
  started.push(w);
  return w;
}

/** Rows of workers that still count as running, each in one line that says why (for a failure message). */
const stillLive = (rows: Awaited<ReturnType<typeof workersSeen>>) =>
  rows.filter((r) => r.state !== "silent" && r.state !== "stopped").map((r) => `${r.id} ${r.state}${r.embedded ? " embedded" : ""} model=${r.modelName} job=${r.jobId} last seen ${r.lastSeenAt.toISOString()} (now ${new Date().toISOString()})`);

/**
 * Waits until no worker of an earlier test counts as live: the pages these tests read say which workers run. CI once
 * had a worker with a model still live here (the next test's alert then did not say that none has one) and could not
 * show which; a late one is now named in the output, and one that stays live fails the test.
 */
async function noneLive() {
  let live = stillLive(await workersSeen());
  if (live.length) console.warn(`waiting for workers of earlier tests to end:\n${live.join("\n")}`);
  await waitFor(async () => (live = stillLive(await workersSeen())).length === 0, 15_000, "workers of earlier tests to end").catch((e: Error) => {
    throw new Error(`${e.message}; still live:\n${live.join("\n")}`);
  });
}

/** The row of the worker process with this pid, once `check` holds for it. */
async function seen(pid: number, check: (w: Awaited<ReturnType<typeof workersSeen>>[number]) => boolean, what: string, output: () => string) {
  return waitFor(async () => (await workersSeen()).find((w) => w.pid === pid && check(w)), 30_000, what).catch((e: Error) => {
    throw new Error(`${e.message}\n${output()}`);
  });
}

describe("a worker process", () => {
  it("shows as live with its model and threads, and as silent once its lease time passed after a SIGKILL", async () => {
    const w = worker({ TRANSCRIPTION_LEASE_MS: String(KILLED_LEASE_MS) });
    const pid = w.child.pid!;
    const live = await seen(pid, (r) => r.state === "idle", "the worker to register", w.output);
    expect(live).toMatchObject({ host: os.hostname(), embedded: false, modelName: "ggml-micro-RANDOM-WEIGHTS-speaks.bin", modelBytes: fs.statSync(SPEAKS_MODEL).size, modelProblem: null, threads: 1, jobId: null, stoppedAt: null });
    // The id is the lease owner it writes into the jobs it claims.
    expect(live.id).toMatch(new RegExp(`^${os.hostname()}:${pid}:[0-9a-f]{6}$`));
    // It keeps beating while idle: still live after several lease times.
    await new Promise((r) => setTimeout(r, 3 * KILLED_LEASE_MS));
    const later = (await workersSeen()).find((r) => r.id === live.id)!;
    expect(later.state).toBe("idle");
    expect(later.lastSeenAt.getTime()).toBeGreaterThan(live.lastSeenAt.getTime());

    w.child.kill("SIGKILL");
    await w.waitExit();
    const killedAt = Date.now();
    const silent = await seen(pid, (r) => r.state === "silent", "the killed worker to show as silent", w.output);
    // Soon after its lease time ran out, and the page can say since when.
    expect(Date.now() - killedAt).toBeLessThan(KILLED_LEASE_MS + 5_000);
    expect(silent.lastSeenAt.getTime()).toBeLessThanOrEqual(killedAt);
    expect(silent.stoppedAt).toBeNull();
  });

  it("that stops cleanly (SIGTERM) shows as stopped at once", async () => {
    const w = worker({ TRANSCRIPTION_LEASE_MS: "60000" });
    const pid = w.child.pid!;
    await seen(pid, (r) => r.state === "idle", "the worker to register", w.output);
    await w.stop();
    // With a lease of a minute, only the clean stop can make it "stopped" now.
    const row = (await workersSeen()).find((r) => r.pid === pid)!;
    expect(row.state).toBe("stopped");
    expect(row.stoppedAt).not.toBeNull();
  });

  it("the app's embedded worker shows up as one, marked as the app's", async () => {
    const lines: string[] = [];
    const embedded = startEmbeddedWorker({ env: { ...process.env, NODE_OPTIONS: "", TRANSCRIPTION_WORKER: "embedded", WHISPER_MODEL: SPEAKS_MODEL, WHISPER_NICE: "0", TRANSCRIPTION_LEASE_MS: String(LEASE_MS) }, log: (l: string) => lines.push(l) })!;
    try {
      const pid = await waitFor(async () => embedded.pid as number | undefined, 10_000, "the embedded worker's pid");
      const row = await seen(pid, (r) => r.state === "idle", "the embedded worker to register", () => lines.join("\n"));
      expect(row).toMatchObject({ embedded: true, modelName: "ggml-micro-RANDOM-WEIGHTS-speaks.bin" });
    } finally {
      await embedded.stop();
    }
  });

  it("no longer shows the job once it ended: the job's last write clears it (not the worker's next heartbeat)", async () => {
    const planted = await plantInterview();
    const owner = `${os.hostname()}:1:f1n15h`;
    const now = new Date();
    const ends: [string, (jobId: string) => Promise<unknown>][] = [
      ["done", (jobId) => queue.finish(jobId, owner, async () => undefined)],
      ["failed", (jobId) => queue.fail(jobId, owner, "transcription:error.engine")],
      ["queued", (jobId) => queue.release(jobId, owner)],
    ];
    for (const [status, end] of ends) {
      const { id: jobId } = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
      expect((await queue.claim(owner, 60_000))?.id).toBe(jobId);
      // As its heartbeat wrote it while working (a minute's lease: the next one would come 10 s later).
      await db.transcriptionWorkerSeen.upsert({
        where: { id: owner },
        create: { id: owner, host: os.hostname(), pid: 1, startedAt: now, threads: 1, modelName: "m.bin", lastSeenAt: new Date(), aliveUntil: new Date(Date.now() + 60_000), jobId },
        update: { jobId },
      });
      expect((await workersSeen()).find((r) => r.id === owner)?.state).toBe("busy");
      await end(jobId);
      expect((await db.transcriptionJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })).status).toBe(status);
      expect((await workersSeen()).find((r) => r.id === owner)).toMatchObject({ state: "idle", jobId: null });
      if (status === "queued") await queue.requestCancel(jobId);
    }
    await db.transcriptionWorkerSeen.update({ where: { id: owner }, data: { stoppedAt: new Date(), aliveUntil: new Date() } });
  });

  it("rows of workers not seen for a day are pruned when a worker starts", async () => {
    const old = new Date(Date.now() - PRUNE_AFTER_MS - 60_000);
    await db.transcriptionWorkerSeen.create({ data: { id: "old-host:1:abcdef", host: "old-host", pid: 1, startedAt: old, threads: 1, lastSeenAt: old, aliveUntil: old } });
    const w = worker();
    try {
      await seen(w.child.pid!, (r) => r.state === "idle", "the worker to register", w.output);
      expect(await db.transcriptionWorkerSeen.count({ where: { id: "old-host:1:abcdef" } })).toBe(0);
    } finally {
      await w.stop();
    }
  });
});

describe("the queue page's warnings", () => {
  it("says so when jobs wait and no worker is live, and when no live worker has a model", async () => {
    // Every worker of the tests above has stopped or died by now.
    await noneLive();
    expect((await queueOverview()).warning).toBeNull(); // nothing waits: nothing to warn about
    const planted = await plantInterview();
    const { id: jobId } = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
    expect((await queueOverview()).warning).toBe("noWorker");

    // A worker without a model registers (and waits for one) but cannot take the job.
    const w = worker({ WHISPER_MODEL: "" });
    // Live, but it waits for a model: not "idle".
    const row = await seen(w.child.pid!, (r) => r.state === "waiting", "the worker without a model to register", w.output);
    expect(row).toMatchObject({ modelName: null, modelBytes: null, modelProblem: "unset" });
    const overview = await queueOverview();
    expect(overview.warning).toBe("noModel");
    expect(overview.rows.find((r) => r.id === jobId)?.status).toBe("queued");
    await w.stop();
    expect((await workersSeen()).find((r) => r.id === row.id)?.state).toBe("stopped");
    expect((await queueOverview()).warning).toBe("noWorker");
    await queue.requestCancel(jobId);
  });
});

describe("the admins' queue page over HTTP", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ seed: { cases: 2 } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("shows the worker table with a working worker and its job; others are refused", async () => {
    // Long enough that the worker is still on it when the page is fetched.
    const planted = await plantInterview({ audio: fixtureAudio(400) });
    const { id: jobId } = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
    const w = worker({ TRANSCRIPTION_LEASE_MS: "3000" });
    let row;
    try {
      row = await seen(w.child.pid!, (r) => r.state === "busy", "the worker to take the job", w.output);
      expect(row.jobId).toBe(jobId);

      const admin = await server.loginAs("admin");
      const res = await admin.fetch("/admin/transcription");
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("Transkriptionsdienste");
      expect(html).toContain(row.id);
      expect(html).toContain("ggml-micro-RANDOM-WEIGHTS-speaks.bin");
      expect(html).toContain(`href="#job-${jobId}"`);
      expect(html).toContain(`id="job-${jobId}"`);
      // This web server has no WHISPER_MODEL, but a live worker has a model: the page does not claim none is set up.
      expect(html).not.toContain("Kein Spracherkennungsmodell eingerichtet");
      expect(html).toContain("die laufenden Transkriptionsdienste haben eines: ggml-micro-RANDOM-WEIGHTS-speaks.bin.");
    } finally {
      // The worker stops even if the cancel fails (CI: it did, and the running worker failed the next four tests).
      await queue.requestCancel(jobId).finally(() => w.stop());
    }
    // A worker stopped while busy also says so at once (not only once its lease time ran out).
    const stopped = (await workersSeen()).find((r) => r.id === row.id);
    expect(stopped?.state, `${JSON.stringify(stopped)}\n${w.output()}`).toBe("stopped");

    for (const username of ["forschung", "im.loerrach"]) {
      const other = await server.loginAs(username);
      const refused = await other.fetch("/admin/transcription");
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain(row.id);
    }
  });

  it("names a worker's missing model briefly and says it waits for one; times in the reader's own format", async () => {
    await noneLive();
    const w = worker({ WHISPER_MODEL: "" });
    const row = await seen(w.child.pid!, (r) => r.state === "waiting", "the worker without a model to register", w.output);
    const admin = await server.loginAs("admin");
    // Stopped also when a check fails: a worker left running would fail the tests after this one as well.
    const html = await admin
      .fetch("/admin/transcription")
      .then(async (res) => (await res.text()).replace(/<!-- -->/g, ""))
      .finally(() => w.stop());
    const cells = html.slice(html.indexOf(row.id));
    expect(cells).toMatch(/^[^]*?<td>wartet auf ein Modell<\/td>/);
    expect(cells).toMatch(/^[^]*?<span class="job-error">kein Modell \(WHISPER_MODEL ist nicht gesetzt\)<\/span>/);
    // The page's alert says it once; the cell does not repeat it.
    expect(html.split("Kein laufender Transkriptionsdienst hat ein Modell"), html.match(/<section aria-labelledby="workers-title">[^]*?<\/section>/)?.[0]).toHaveLength(2);
    // Without a model anywhere, the page still says how to set one up.
    expect(html).toContain("Kein Spracherkennungsmodell eingerichtet");

    admin.cookies.set("lw_lang", "en");
    const english = (await (await admin.fetch("/admin/transcription")).text()).replace(/<!-- -->/g, "");
    // 12-hour like the dates beside it ("Nov 30, 2026, 8:39 PM"), not 20:39.
    expect(english.slice(english.indexOf(row.id))).toMatch(/^[^]*?stopped at \d{1,2}:\d{2}\s[AP]M<\/td>/);
  });

  it("a job waiting while no live worker has a model says it waits for an administrator to install one; the researcher is told to ask, the admin how", async () => {
    await noneLive();
    const w = worker({ WHISPER_MODEL: "" });
    await seen(w.child.pid!, (r) => r.state === "waiting", "the worker without a model to register", w.output);
    const planted = await plantInterview();
    const { id: jobId } = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
    try {
      const researcher = await server.loginAs("forschung");
      const page = async (client: typeof researcher) => (await (await client.fetch(`/interviews/${planted.interviewId}/transcription`)).text()).replace(/<!-- -->/g, "");
      const html = await page(researcher);
      expect(html).toContain("Wartet auf ein Spracherkennungsmodell: Kein laufender Transkriptionsdienst hat eines. Die Administration muss es einrichten");
      expect(html).not.toContain("Wartet auf einen freien Transkriptionsdienst");
      // The box above the form: whom to ask, not how to edit the server's .env.
      expect(html).toContain("Kein Spracherkennungsmodell eingerichtet");
      expect(html).toContain("Bitte wenden Sie sich an die Administration");
      expect(html).not.toContain(".env");
      // The admin alone does not open interviews (ADR 0003): one who also does research is told how.
      await createTestUser(server.db, "admin.forschung", "Admin-Forschung-2025!", ["admin", "researcher"]);
      const adminHtml = await page(await server.loginAs("admin.forschung", { password: "Admin-Forschung-2025!" }));
      expect(adminHtml).toContain("in der Datei .env WHISPER_MODEL=./data/models/ggml-base-q5_1.bin setzen und den Server neu starten");
      expect(adminHtml).not.toContain("Bitte wenden Sie sich an die Administration");
      const admin = await server.loginAs("admin");
      // The queue page's row says the same as the interview's.
      const queueHtml = (await (await admin.fetch("/admin/transcription")).text()).replace(/<!-- -->/g, "");
      const jobRow = queueHtml.slice(queueHtml.indexOf(`id="job-${jobId}"`));
      expect(jobRow.slice(0, jobRow.indexOf("</tr>"))).toContain("Wartet auf ein Spracherkennungsmodell");
      researcher.cookies.set("lw_lang", "en");
      const english = await page(researcher);
      expect(english).toContain("Waiting for a speech recognition model: no running transcription service has one. An administrator has to install it");
      expect(english).toContain("Please ask an administrator");
      expect(english).not.toContain("Waiting for a free transcription service");
    } finally {
      await w.stop();
      await queue.requestCancel(jobId);
    }
  });

  it("a job waiting while no worker reports at all and this server has no model says an administrator must start one with a model, not that a free one is awaited", async () => {
    // Every worker above has stopped; this web server has no WHISPER_MODEL.
    await noneLive();
    const planted = await plantInterview();
    const { id: jobId } = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
    try {
      const setUp = "Wartet: Kein Transkriptionsdienst meldet sich, und auf diesem Server ist kein Spracherkennungsmodell eingerichtet. Die Administration muss einen Transkriptionsdienst mit Modell starten; danach wird der Auftrag von selbst bearbeitet.";
      const researcher = await server.loginAs("forschung");
      const page = async (client: typeof researcher) => (await (await client.fetch(`/interviews/${planted.interviewId}/transcription`)).text()).replace(/<!-- -->/g, "");
      const html = await page(researcher);
      expect(html).toContain(setUp);
      expect(html).not.toContain("Wartet auf einen freien Transkriptionsdienst");
      // Not that a running worker lacks a model: none runs.
      expect(html).not.toContain("Kein laufender Transkriptionsdienst hat eines");
      const admin = await server.loginAs("admin");
      const queueHtml = (await (await admin.fetch("/admin/transcription")).text()).replace(/<!-- -->/g, "");
      const jobRow = queueHtml.slice(queueHtml.indexOf(`id="job-${jobId}"`));
      expect(jobRow.slice(0, jobRow.indexOf("</tr>"))).toContain(setUp);
      researcher.cookies.set("lw_lang", "en");
      expect(await page(researcher)).toContain("Waiting: no transcription service is reporting in, and no speech recognition model is set up on this server. An administrator has to start a transcription service with a model");

      // Once a worker reports (here one without a model), the job waits for a model instead.
      const w = worker({ WHISPER_MODEL: "" });
      await seen(w.child.pid!, (r) => r.state === "waiting", "the worker without a model to register", w.output);
      try {
        researcher.cookies.set("lw_lang", "de");
        const live = await page(researcher);
        expect(live).not.toContain(setUp);
        expect(live).toContain("Wartet auf ein Spracherkennungsmodell");
      } finally {
        await w.stop();
      }
    } finally {
      await queue.requestCancel(jobId);
    }
  });

  it("a running job whose worker died waits for a worker: warned, counted as waiting, no time left, also on the interview's page", async () => {
    const planted = await plantInterview({ audio: fixtureAudio(400) });
    const { id: jobId } = await queue.enqueue({ interviewId: planted.interviewId, recordingId: planted.recordingId, language: "de", createdById: null });
    const w = worker({ TRANSCRIPTION_LEASE_MS: String(KILLED_LEASE_MS) });
    await seen(w.child.pid!, (r) => r.state === "busy", "the worker to take the job", w.output);
    w.child.kill("SIGKILL");
    await w.waitExit();
    // Once the job's lease and the worker's presence ran out (both after the lease time, a few ms apart).
    const overview = await waitFor(async () => {
      const o = await queueOverview();
      return o.rows.find((r) => r.id === jobId)?.stale && o.workers.every((r) => r.state === "silent" || r.state === "stopped") ? o : null;
    }, 10_000, "the job's lease and the worker's presence to run out");
    expect(overview.warning).toBe("noWorker");
    // Counted with the queued jobs (jobs of the tests above may wait too), not as running.
    const queued = await db.transcriptionJob.count({ where: { status: "queued" } });
    expect(overview.counts).toMatchObject({ running: 0, queued: queued + 1 });
    expect(overview.rows.find((r) => r.id === jobId)).toMatchObject({ status: "running", waitingForWorker: true, etaSeconds: null });

    const admin = await server.loginAs("admin");
    const html = (await (await admin.fetch("/admin/transcription")).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Aufträge warten, aber kein Transkriptionsdienst läuft.");
    expect(html).toContain(`${queued + 1} wartend, 0 laufend`);
    const jobRow = html.slice(html.indexOf(`id="job-${jobId}"`));
    // No worker reports any more and this server has no model: what an administrator must do (test above).
    const setUp = "Wartet: Kein Transkriptionsdienst meldet sich, und auf diesem Server ist kein Spracherkennungsmodell eingerichtet.";
    expect(jobRow.slice(0, jobRow.indexOf("</tr>"))).toContain(setUp);
    expect(html).not.toMatch(/noch etwa|Restzeit wird berechnet/);

    const researcher = await server.loginAs("forschung");
    const page = await (await researcher.fetch(`/interviews/${planted.interviewId}/transcription`)).text();
    expect(page).toContain(setUp);
    expect(page).not.toMatch(/noch etwa|Restzeit wird berechnet/);
    await queue.requestCancel(jobId);
    await queue.reapCancelled();
  });
});
