// Issue 5's progress page as a researcher sees it in Chromium: start a transcription, watch the percentage move
// without reloading, see it wait and go on after its worker stopped, cancel it, retry it, and open the finished
// transcript; the warning before a new run replaces a checked, coded transcript, and its codings listed for review
// afterwards; the interview's language preselected, and the finished run's summary. Real whisper.cpp (the synthetic
// "speaks" model of ../shared/models, which emits German segments whatever it hears) in the app's embedded worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
// First: points STORAGE_DIR at a private folder before anything reads the configuration.
import { fixtureAudio, plantInterview, startWorkerProcess, SPEAKS_MODEL, FIXTURES, unique, type WorkerProcess } from "../../app/transcription/test-support.ts";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, loginInBrowser, seriousAxeViolations, watchPage } from "./support/browser.ts";
import { db } from "../../app/db/client.server.ts";
import { grantFor, signedInUser } from "../../app/cases/test-support.ts";
import { importTranscript, markChecked } from "../../app/transcripts/transcripts.server.ts";
import { parseText } from "../../app/transcripts/formats/text.ts";
import { plainText } from "../../app/coding/follow.server.ts";
import { applyCodes } from "../../app/coding/codings.server.ts";
import { codePointLength } from "../../app/coding/anchoring.ts";

let app: AppServer;
let browser: Browser;
let worker: WorkerProcess;
const ready = fs.existsSync(SPEAKS_MODEL) && fs.existsSync(FIXTURES);
// In one browser run only (CI's 30 minutes; vitest.browser.config.ts picks which): the page is the same on either
// database, and the worker's queue has its own tests on both (app/transcription/queue.test.ts, worker.test.ts).

beforeAll(async () => {
  if (!ready) return;
  app = await startAppServer({ seed: { cases: 10 }, env: { WHISPER_MODEL: SPEAKS_MODEL } });
  // The test server has no embedded worker (tests/support/app-server-child.js); this is `npm run worker` on the same database.
  worker = startWorkerProcess();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.stop();
});

/** The fixture interview `times` times in a row, as one mp3. */
function loopedAudio(times: number): string {
  const out = path.join(os.tmpdir(), `int-01-x${times}-${process.pid}.mp3`);
  if (!fs.existsSync(out)) {
    execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-stream_loop", String(times - 1), "-i", path.join(FIXTURES, "int-01.mp3"), "-c", "copy", "-y", out]);
  }
  return out;
}

/** The value of the page's progress bar, or null while there is none. */
const progressValue = (page: Page) => page.evaluate(() => document.querySelector<HTMLProgressElement>(".job-progress progress")?.value ?? null);

describe.skipIf(!ready)("the transcription page", () => {
  it("shows live progress, cancels, retries, and leads to the finished transcript", async () => {
    // About 34 minutes of speech (the fixture five times over): some 70 windows, so there is time to watch and cancel.
    const planted = await plantInterview({ audio: loopedAudio(5) });
    const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
    const page = await context.newPage();
    const problems = watchPage(page);
    await loginInBrowser(page, "forschung", demoPassword("forschung"), `/interviews/${planted.interviewId}/transcription`);
    await page.getByRole("heading", { name: "Transkription starten" }).waitFor();
    await page.getByLabel("Sprache der Aufnahme").selectOption("de");
    await page.getByRole("button", { name: "Transkription starten" }).click();
    await page.getByText("Die Transkription wurde gestartet.").waitFor();

    // The bar moves while the page stays as it is (polling, no reload).
    await page.waitForFunction(() => {
      const p = document.querySelector<HTMLProgressElement>(".job-progress progress");
      return p !== null && p.value > 0 && p.value < 100;
    }, undefined, { timeout: 60_000 });
    expect(await progressValue(page)).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The worker stops (an update, a restart): the job goes back to the queue with its progress, and the page says
    // that it will continue where it stopped; a new worker picks it up from there.
    await worker.stop();
    await page.getByText("Unterbrochen; wird ab dem zuletzt gesicherten Abschnitt fortgesetzt").first().waitFor({ timeout: 15_000 });
    const stoppedAt = (await progressValue(page))!;
    expect(stoppedAt).toBeGreaterThan(0);
    worker = startWorkerProcess();
    await page.waitForFunction((before) => {
      const p = document.querySelector<HTMLProgressElement>(".job-progress progress");
      return p !== null && p.value > before;
    }, stoppedAt, { timeout: 60_000 });
    expect(await page.getByText("Unterbrochen;").count()).toBe(0);

    await page.getByRole("button", { name: "Transkription abbrechen" }).click();
    // The job ends as cancelled; its row in the history says so and offers a retry.
    await page.getByRole("button", { name: "Erneut versuchen" }).waitFor({ timeout: 30_000 });
    expect(await page.locator("table").innerText()).toContain("abgebrochen");

    await page.getByRole("button", { name: "Erneut versuchen" }).click();
    await page.waitForFunction(() => {
      const p = document.querySelector<HTMLProgressElement>(".job-progress progress");
      return p !== null && p.value > 0;
    }, undefined, { timeout: 60_000 });
    await page.getByRole("link", { name: "Transkript öffnen" }).waitFor({ timeout: 120_000 });
    expect(await page.getByText("fertig", { exact: true }).count()).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Transkript öffnen" }).click();
    await page.waitForURL((u) => u.pathname.endsWith("/transcript"));
    // The engine's segments became editable paragraphs.
    await page.locator(".ProseMirror .turn-text").first().waitFor({ timeout: 30_000 });
    expect(await page.locator(".ProseMirror .turn-text").count()).toBeGreaterThan(3);
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it("preselects the interview's language, warns before replacing a checked, coded transcript, sums up the run, and lists its codings for review afterwards", async () => {
    // An imported interview, checked and coded twice by a researcher on words whisper will not hear.
    const planted = await plantInterview({ audio: fixtureAudio(30) });
    await db.consentRecord.updateMany({ where: { interviewId: planted.interviewId }, data: { scopeAnalysis: true } });
    const researcher = await signedInUser(unique("forschung-e2e"), ["researcher"]);
    const imported = await importTranscript(null, grantFor(researcher.user, "write", "transcript"), planted.interviewId, parseText(fs.readFileSync(path.join(FIXTURES, "int-01.txt"), "utf8")), { format: "txt", replace: false });
    if (!imported.ok) throw new Error("import failed");
    const transcript = await db.transcript.findUniqueOrThrow({ where: { interviewId: planted.interviewId }, select: { paragraphs: { orderBy: { position: "asc" } } } });
    const text = plainText(transcript.paragraphs);
    const code = await db.code.findFirstOrThrow({ where: { key: { not: null }, specialCategory: false }, select: { id: true } });
    for (const part of ["welcher Müll in welche Tonne gehört", "Sie hat mit uns die Briefe gelesen"]) {
      const at = text.indexOf(part);
      const span = { start: codePointLength(text.slice(0, at)), end: codePointLength(text.slice(0, at + part.length)) };
      const applied = await applyCodes(null, grantFor(researcher.user, "write", "coding"), planted.interviewId, { transcriptVersion: imported.version, ...span, codeIds: [code.id] });
      if (!applied.ok) throw new Error(`apply refused: ${applied.reason}`);
    }
    expect((await markChecked(null, grantFor(researcher.user, "write", "transcript"), planted.interviewId, imported.version)).ok).toBe(true);

    // Wide enough for the coding panel beside the text.
    const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE", viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems = watchPage(page);
    await loginInBrowser(page, "forschung", demoPassword("forschung"), `/interviews/${planted.interviewId}/transcription`);
    // The start form says what a new run does to the checked, coded transcript, before anything is started.
    const note = page.getByRole("note").filter({ hasText: "Es gibt schon ein Transkript." });
    await note.waitFor();
    expect(await note.innerText()).toContain("Es ist als geprüft markiert; das neue Transkript ist ungeprüft");
    expect(await note.innerText()).toContain("Es hat 2 Codierungen. Sie folgen dem neuen Text");
    expect(await seriousAxeViolations(page)).toEqual([]);

    // An interview recorded in German: German is preselected, and the hint says why.
    const language = page.getByLabel("Sprache der Aufnahme");
    expect(await language.inputValue()).toBe("de");
    await page.getByText("Vorgewählt: die Sprache des Interviews (Deutsch).").waitFor();
    // A language whisper does not know: the page says at once what happens instead.
    await language.selectOption("ku");
    await page.getByRole("note").filter({ hasText: "Kurdisch kennt die Spracherkennung (whisper) nicht. Die Transkription läuft mit automatischer Erkennung" }).waitFor();
    await language.selectOption("de");
    await page.getByText("Kurdisch kennt die Spracherkennung").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Transkription starten" }).click();
    await page.getByRole("link", { name: "Transkript öffnen" }).waitFor({ timeout: 60_000 });
    await page.getByText("fertig", { exact: true }).first().waitFor({ timeout: 60_000 });
    // The finished run's summary beside its row, with the warning that a test model's text is no transcription.
    const summary = page.locator(".jobs-table .job-summary").first();
    await summary.waitFor();
    const summaryText = await summary.innerText();
    expect(summaryText).toContain("Modell: ggml-micro-RANDOM-WEIGHTS-speaks.bin");
    expect(summaryText).toMatch(/Länge der Aufnahme: 0:(29|30)/);
    expect(summaryText).toMatch(/Dauer des Laufs: \d+:\d\d/);
    expect(summaryText).toMatch(/\d+ Abs(atz|ätze) aus \d+ Segment(en)?/);
    expect(summaryText).toMatch(/\d+ Wörter/);
    expect(summaryText).toContain("Sprache: Deutsch");
    expect(summaryText).toContain("Der Text ist keine echte Transkription der Aufnahme.");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Transkript öffnen" }).click();
    await page.waitForURL((u) => u.pathname.endsWith("/transcript"));
    // Their words are gone from the new text: both codings wait for review with their quotes, none points elsewhere.
    const orphans = page.getByRole("region", { name: "2 verwaiste Codierungen zur Prüfung" });
    await orphans.waitFor({ timeout: 30_000 });
    expect(await orphans.innerText()).toContain("welcher Müll in welche Tonne gehört");
    expect(await db.coding.count({ where: { interviewId: planted.interviewId, orphaned: false } })).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
