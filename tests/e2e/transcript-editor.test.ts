// The transcript editor as a researcher uses it, in Debian's Chromium against the real server: an interview with
// consent and the fixture recording (int-01.mp3, real timings), its transcript imported from int-01.txt through
// the import page; clicking a paragraph seeks the audio to its start, an edited word is autosaved and survives a
// reload while every paragraph keeps its times, and the play/pause key toggles playback. Nothing typed is lost:
// not to a newer version saved elsewhere, an ended session, a link in the app followed right after typing, or
// typing on without a pause. Speakers beyond I, B, B1, B2, D can be added and renamed across the transcript, with
// the role search files their turns under.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, loginInBrowser, openTranscriptWindow, seriousAxeViolations, watchPage, doubleClickWord, caretAtEndOfTurn, collapseSelection, allSaved } from "./support/browser.ts";
import { createStorage, newStorageKey } from "../../app/storage/storage.server.ts";
import { parseText, writeText } from "../../app/transcripts/formats/text.ts";
import { planted } from "../support/redaction.ts";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
const TXT = path.join(FIXTURES, "int-01.txt");
const expected = parseText(fs.readFileSync(TXT, "utf8"));

let app: AppServer;
let browser: Browser;
let interviewId: string;
const storageDir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-transcript-e2e-"));

/** An interview of a fixture person with consent to everything and the int-01 recording, stored as the app stores uploads. */
async function seedInterview(): Promise<string> {
  const { db } = app;
  const researcher = await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
  const kase = await db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2016-0001" }, select: { id: true } });
  const interview = await db.interview.create({
    data: { code: "INT-2025-0501", caseId: kase.id, date: new Date("2025-03-11T00:00:00Z"), placeType: "office", languages: '["de","ar"]', status: "recorded", interviewerId: researcher.id },
    select: { id: true },
  });
  await db.consentRecord.create({
    data: {
      interviewId: interview.id,
      version: 1,
      givenBy: "person",
      givenAt: new Date("2025-03-11T00:00:00Z"),
      takenById: researcher.id,
      form: "written",
      language: "de",
      infoSheetVersion: "2025-01",
      scopeRecording: true,
      scopeTranscription: true,
      scopeExternalTranscription: true,
      scopeAnalysis: true,
      scopeLinking: true,
      scopeQuotation: true,
      scopeArchiving: true,
      scopeSpecialCategories: true,
      scopeRecontact: true,
    },
  });
  const key = newStorageKey();
  const stored = await createStorage({ kind: "local", dir: storageDir }).put(key, fs.createReadStream(path.join(FIXTURES, "int-01.mp3")), { contentType: "audio/mpeg" });
  await db.recording.create({
    data: { interviewId: interview.id, storageKey: key, displayName: "int-01.mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: BigInt(stored.size), sha256: stored.sha256, durationMs: expected.at(-1)!.endMs },
  });
  return interview.id;
}

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 20 }, env: { STORAGE: "local", STORAGE_DIR: storageDir, TRANSCRIPTION_WORKER: "off" } });
  interviewId = await seedInterview();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

const turns = (page: Page) => page.locator(".ProseMirror .turn");
const timesOf = (page: Page) => turns(page).evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.start, (e as HTMLElement).dataset.end].map(Number)));
const audio = (page: Page) => page.locator("audio");

/** The researcher's transcript page, signed in, with its editor ready. */
const openTranscript = () => openTranscriptWindow(browser, app.origin, interviewId);

/** The page's next confirm() answered "cancel"; its question is pushed into the returned list. */
function dismissNextDialog(page: Page): string[] {
  const questions: string[] = [];
  page.once("dialog", (d) => {
    questions.push(d.message());
    void d.dismiss();
  });
  return questions;
}

describe("transcript editor with the recording", () => {
  it("imports int-01.txt, seeks by click, autosaves an edit that survives a reload with all times kept, and plays/pauses by key", async () => {
    const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
    const page = await context.newPage();
    const problems = watchPage(page);
    // Import through the page, as a researcher would. An empty file first: named as empty, not "choose a file".
    await loginInBrowser(page, "forschung", demoPassword("forschung"), `/interviews/${interviewId}/transcript/import`);
    await page.getByLabel("Datei").setInputFiles({ name: "leer.vtt", mimeType: "text/vtt", buffer: Buffer.alloc(0) });
    await page.getByLabel("Das Projektteam", { exact: false }).check();
    await page.getByRole("button", { name: "Importieren" }).click();
    await page.getByText("Die Datei „leer.vtt“ ist leer.").waitFor();
    problems.splice(0).forEach((p) => expect(p).toMatch(/status of 400/));
    await page.getByLabel("Datei").setInputFiles(TXT);
    await page.getByRole("button", { name: "Importieren" }).click();
    await page.waitForURL((u) => u.pathname === `/interviews/${interviewId}/transcript`);
    await page.getByRole("status").filter({ hasText: "Transkript importiert: 25 Absätze." }).waitFor();
    await turns(page).first().waitFor();
    expect(await turns(page).count()).toBe(25);
    const before = await timesOf(page);
    expect(before).toEqual(expected.map((p) => [p.startMs, p.endMs]));
    // The waveform's peaks arrive from the server.
    await page.locator(".waveform p").waitFor({ state: "detached" });

    // A click into a paragraph seeks the recording to the paragraph's start.
    await turns(page).nth(3).locator(".turn-text").click();
    expect(await audio(page).evaluate((a: HTMLAudioElement) => a.currentTime)).toBeCloseTo(expected[3]!.startMs / 1000, 3);
    await turns(page).nth(7).locator(".turn-speaker").click();
    expect(await audio(page).evaluate((a: HTMLAudioElement) => a.currentTime)).toBeCloseTo(expected[7]!.startMs / 1000, 3);

    // Overwrite a word; autosave stores it.
    await doubleClickWord(page, 4, "Anerkennung");
    await page.keyboard.type("Berufsanerkennung");
    await expect(page.locator(".save-status").textContent()).resolves.toMatch(/Ungespeicherte|Speichert/);
    await allSaved(page);

    await page.reload();
    await turns(page).first().waitFor();
    const edited = await turns(page).nth(4).locator(".turn-text").textContent();
    expect(edited).toBe(expected[4]!.text.replace("Anerkennung", "Berufsanerkennung"));
    expect(await timesOf(page)).toEqual(before);
    const stored = await app.db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { version: true, paragraphs: { orderBy: { position: "asc" }, select: { startMs: true, endMs: true, text: true } } } });
    expect(stored.version).toBe(2);
    expect(stored.paragraphs.map((p) => [p.startMs, p.endMs])).toEqual(before);
    expect(stored.paragraphs.filter((p, i) => p.text !== expected[i]!.text).map((p) => p.text)).toEqual([edited]);

    // The f4 key toggles playback.
    expect(await audio(page).evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
    await page.keyboard.press("F4");
    await page.waitForFunction(() => !document.querySelector("audio")!.paused);
    await page.waitForFunction(() => document.querySelector("audio")!.currentTime > 0.3);
    // While playing, the paragraph at the position is marked (not by colour alone: aria-current and a marker).
    await expect(page.locator('.turn.is-current[aria-current="true"]').getAttribute("data-start")).resolves.toBe("0");
    // While playing, a click into the text places the caret and does not throw playback to that turn.
    await turns(page).nth(5).locator(".turn-text").click();
    expect(await audio(page).evaluate((a: HTMLAudioElement) => a.currentTime)).toBeLessThan(expected[5]!.startMs / 1000);
    await page.keyboard.press("F4");
    await page.waitForFunction(() => document.querySelector("audio")!.paused);

    // A seek from outside the text (waveform, slider, keys) brings its turn into view.
    const inView = (i: number) => page.evaluate((n) => {
      const r = document.querySelectorAll(".turn")[n]!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, i);
    expect(await inView(22)).toBe(false);
    await audio(page).evaluate((a: HTMLAudioElement, s: number) => (a.currentTime = s), expected[22]!.startMs / 1000 + 0.1);
    await page.waitForFunction((n) => {
      const r = document.querySelectorAll(".turn")[n]!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, 22);
    await turns(page).first().scrollIntoViewIfNeeded();

    // Enter splits a turn at the cursor (times divided there), Backspace at its start joins it back.
    await doubleClickWord(page, 1, "Ich");
    await collapseSelection(page, "ArrowLeft");
    await page.keyboard.press("Enter");
    expect(await turns(page).count()).toBe(26);
    const [first, second] = (await timesOf(page)).slice(1, 3) as [number[], number[]];
    expect(first[0]).toBe(expected[1]!.startMs);
    expect(second[1]).toBe(expected[1]!.endMs);
    expect(first[1]).toBe(second[0]);
    expect(first[1]!).toBeGreaterThan(first[0]!);
    expect(second[0]!).toBeLessThan(second[1]!);
    await expect(turns(page).nth(2).getAttribute("data-speaker")).resolves.toBe("B");
    // The space at the cut goes: neither turn ends or starts with one (the first would carry it into exports).
    await expect(turns(page).nth(1).locator(".turn-text").textContent()).resolves.toMatch(/\S$/);
    await expect(turns(page).nth(2).locator(".turn-text").textContent()).resolves.toMatch(/^Ich/);
    await page.keyboard.press("Backspace");
    expect(await turns(page).count()).toBe(25);
    expect(await timesOf(page)).toEqual(before);
    await expect(turns(page).nth(1).locator(".turn-text").textContent()).resolves.toBe(expected[1]!.text);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("does not overwrite a newer version saved elsewhere: it says so, copies the person's changed turns and reloads only when asked", async () => {
    const { context, page, problems } = await openTranscript();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.origin });
    // Someone else saves meanwhile (another tab, another person).
    const { version } = await app.db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { version: true } });
    const other = await app.db.transcript.update({ where: { interviewId }, data: { version: version + 1 }, select: { version: true } });
    await doubleClickWord(page, 0, "Gut");
    await page.keyboard.type("Also");
    await page.getByRole("alert").filter({ hasText: "Das Transkript wurde inzwischen geändert (in einem anderen Fenster oder von jemand anderem)." }).waitFor({ timeout: 15_000 });
    const stored = await app.db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { version: true, paragraphs: { where: { position: 0 }, select: { text: true } } } });
    expect(stored.version).toBe(other.version);
    expect(stored.paragraphs[0]!.text).toBe(expected[0]!.text);
    // Read-only until reloaded: the editing buttons and "Code zuordnen" are off.
    await expect(page.getByRole("button", { name: "Absatz teilen" }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Code zuordnen …" }).isDisabled()).resolves.toBe(true);
    // The changed turn is listed; copying takes it alone (not the transcript) and says whether it worked.
    await page.getByRole("region", { name: "Ihre nicht gespeicherte Änderung (1 Absatz)" }).waitFor();
    await page.getByRole("button", { name: "Meine Änderungen kopieren" }).click();
    await page.getByRole("status").filter({ hasText: "Ihre geänderten Absätze sind in der Zwischenablage." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(writeText([{ ...expected[0]!, text: expected[0]!.text.replace("Gut", "Also") }]));
    // Reloading drops the refused edit: it asks first; "cancel" keeps it.
    const questions = dismissNextDialog(page);
    await page.getByRole("button", { name: "Neu laden" }).click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toBe("Beim Neuladen gehen Ihre nicht gespeicherten Änderungen verloren. Kopieren Sie vorher Ihre Fassung, wenn Sie sie übernehmen möchten. Trotzdem neu laden?");
    await expect(turns(page).first().locator(".turn-text").textContent()).resolves.toBe(expected[0]!.text.replace("Gut", "Also"));
    // Confirmed, it reloads without the browser's own leave question on top.
    page.once("dialog", (d) => void d.accept());
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Neu laden" }).click()]);
    await turns(page).first().waitFor();
    await expect(turns(page).first().locator(".turn-text").textContent()).resolves.toBe(expected[0]!.text);
    // The 409 of the refused save is the only failed request.
    expect(problems.filter((p) => !p.includes("409"))).toEqual([]);
    await context.close();
  });

  it("an autosave after the session ended stays on the page, says why, and saves after a new login in another tab", async () => {
    const { context, page, problems } = await openTranscript();
    // Ended meanwhile (idle limit, or logged out in another window); autosave used to follow the login redirect.
    await app.db.session.deleteMany({ where: { user: { username: "forschung" } } });
    await caretAtEndOfTurn(page, 2);
    await page.keyboard.type(" Nachtrag nach Sitzungsende.");
    await page.getByRole("alert").filter({ hasText: "Nicht gespeichert: Ihre Sitzung ist abgelaufen." }).waitFor({ timeout: 15_000 });
    const banner = page.getByRole("alert").filter({ hasText: "Ihre Sitzung ist abgelaufen" }).first();
    await banner.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/interviews/${interviewId}/transcript`);
    const other = await context.newPage();
    await loginInBrowser(other, "forschung", demoPassword("forschung"));
    await other.close();
    // Typing on before "carry on": that autosave has the new session's cookie but the page's old CSRF token. It was
    // refused with a thrown 403, and the error page replaced the editor with its unsaved words.
    const refused = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/transcript") && r.status() === 403);
    await page.keyboard.type(" Noch ein Satz.");
    await refused;
    await page.getByRole("button", { name: "Ich bin wieder angemeldet: weiterarbeiten" }).click();
    await allSaved(page);
    const stored = await app.db.transcriptParagraph.findFirstOrThrow({ where: { transcript: { interviewId }, position: 2 }, select: { text: true } });
    expect(stored.text.endsWith("Nachtrag nach Sitzungsende. Noch ein Satz.")).toBe(true);
    // The refused autosaves' 401 and 403 are the only failed requests.
    expect(problems.filter((p) => !p.includes("401") && !p.includes("403"))).toEqual([]);
    await context.close();
  });

  it("saves typed text before a link in the app leaves the editor, and keeps the person on the page when that save is refused", async () => {
    const { context, page, problems } = await openTranscript();
    const tabs = page.getByRole("navigation", { name: "Transkript", exact: true });
    await caretAtEndOfTurn(page, 8);
    await page.keyboard.type(" Gleich weiter.");
    // Well within autosave's wait: the tab used to unmount the editor and drop the waiting save.
    await tabs.getByRole("link", { name: "Versionen" }).click();
    await page.waitForURL((u) => u.pathname === `/interviews/${interviewId}/transcript/versions`);
    const stored = await app.db.transcriptParagraph.findFirstOrThrow({ where: { transcript: { interviewId }, position: 8 }, select: { text: true } });
    expect(stored.text).toBe(`${expected[8]!.text} Gleich weiter.`);

    // Saved elsewhere meanwhile: the save on the way out is refused, and the person stays with the text.
    await tabs.getByRole("link", { name: "Bearbeiten" }).click();
    await turns(page).first().waitFor();
    await app.db.transcript.update({ where: { interviewId }, data: { version: { increment: 1 } } });
    await caretAtEndOfTurn(page, 8);
    await page.keyboard.type(" Und noch mehr.");
    await tabs.getByRole("link", { name: "Versionen" }).click();
    await page.getByRole("alert").filter({ hasText: "Das Transkript wurde inzwischen geändert" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/interviews/${interviewId}/transcript`);
    await expect(turns(page).nth(8).locator(".turn-text").textContent()).resolves.toBe(`${expected[8]!.text} Gleich weiter. Und noch mehr.`);
    // Now the edit cannot be saved: leaving asks, as notes and memos do.
    const questions = dismissNextDialog(page);
    await tabs.getByRole("link", { name: "Versionen" }).click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toBe("Ihre Eingaben sind noch nicht gespeichert. Seite trotzdem verlassen?");
    expect(new URL(page.url()).pathname).toBe(`/interviews/${interviewId}/transcript`);
    page.once("dialog", (d) => void d.accept());
    await tabs.getByRole("link", { name: "Versionen" }).click();
    await page.waitForURL((u) => u.pathname === `/interviews/${interviewId}/transcript/versions`);
    // The 409 of the refused save is the only failed request.
    expect(problems.filter((p) => !p.includes("409"))).toEqual([]);
    await context.close();
  });

  it("saves while someone types on without a pause, not only after the typing stops", async () => {
    const { context, page, problems } = await openTranscript();
    const saves: number[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === `/interviews/${interviewId}/transcript`) saves.push(Date.now());
    });
    await caretAtEndOfTurn(page, 6);
    // About eight seconds, a key every quarter second: autosave's wait (1.5 s) never runs out, its longest wait for a
    // save (5 s after the first unsaved key) does.
    const typed = " Ohne Pause immer weiter getippt.";
    await page.keyboard.type(typed, { delay: 250 });
    const stopped = Date.now();
    expect(saves.filter((at) => at < stopped).length).toBeGreaterThanOrEqual(1);
    await allSaved(page);
    const stored = await app.db.transcriptParagraph.findFirstOrThrow({ where: { transcript: { interviewId }, position: 6 }, select: { text: true } });
    expect(stored.text).toBe(`${expected[6]!.text}${typed}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("moves the player and the text to another passage when only ?at= changes on the open page", async () => {
    const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
    const page = await context.newPage();
    const problems = watchPage(page);
    await loginInBrowser(page, "forschung", demoPassword("forschung"));
    const at = (n: number) => `/interviews/${interviewId}/transcript?at=${expected[n]!.startMs}`;
    const playerAt = (n: number) => page.waitForFunction((ms) => Math.abs(document.querySelector("audio")!.currentTime * 1000 - ms) < 5, expected[n]!.startMs);
    await page.goto(at(2));
    await turns(page).first().waitFor();
    await playerAt(2);
    // A link in the app to another hit of this interview, as search's hit list links (the page stays loaded).
    await page.evaluate(() => ((window as unknown as { stillLoaded: boolean }).stillLoaded = true));
    await page.evaluate((to) => (window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }).__remixRouter.navigate(to), at(22));
    await page.waitForURL((u) => u.search === `?at=${expected[22]!.startMs}`);
    await playerAt(22);
    await page.waitForFunction((n) => {
      const r = document.querySelectorAll(".ProseMirror .turn")[n]!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, 22);
    expect(await page.evaluate(() => (window as unknown as { stillLoaded?: boolean }).stillLoaded)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("adds a speaker label (a wrong one is said so and kept), renames B to B1 across the transcript in one undo step, and offers both after a reload", async () => {
    const { context, page, problems } = await openTranscript();
    const speakersOf = () => turns(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.speaker));
    const picker = page.getByRole("group", { name: "Sprecher des Absatzes" });
    const before = await speakersOf();
    const bTurns = before.filter((s) => s === "B").length;
    expect(bTurns).toBeGreaterThan(5);
    expect(await picker.getByRole("button", { name: "B3:", exact: true }).count()).toBe(0);

    // Opened from the keyboard, the panel takes focus (it comes after the whole toolbar in the page).
    const manage = page.getByRole("button", { name: "Sprecher verwalten …" });
    await manage.press("Enter");
    const panel = page.getByRole("region", { name: "Sprecher verwalten" });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("speaker-new");
    // Lower case and a space: said beside the field, and what was typed stays to be corrected.
    await panel.getByLabel("Neue Sprecherbezeichnung").fill("b 3");
    await panel.getByRole("button", { name: "Hinzufügen" }).click();
    await panel.getByRole("alert").filter({ hasText: "Nur Buchstaben und Ziffern, beginnend mit einem Großbuchstaben (z. B. I2, B3, D2, Rosa)." }).waitFor();
    await expect(panel.getByLabel("Neue Sprecherbezeichnung").inputValue()).resolves.toBe("b 3");
    await panel.getByLabel("Neue Sprecherbezeichnung").fill("B3");
    await panel.getByRole("button", { name: "Hinzufügen" }).click();
    await panel.getByRole("status").filter({ hasText: "„B3“ (Befragte Person) steht jetzt in der Werkzeugleiste." }).waitFor();
    await expect(panel.getByRole("alert").count()).resolves.toBe(0);
    await picker.getByRole("button", { name: "B3:", exact: true }).waitFor();
    expect(await speakersOf()).toEqual(before);

    // B becomes B1 in every turn, with the count; one undo takes all of it back, redo brings it again.
    await panel.getByLabel("Umbenennen: Sprecher").selectOption("B");
    await panel.getByLabel("in", { exact: true }).fill("B1");
    await panel.getByRole("button", { name: "Im ganzen Transkript umbenennen" }).click();
    await panel.getByRole("status").filter({ hasText: `${bTurns} Absätze von B in B1 (Befragte Person) umbenannt.` }).waitFor();
    const renamed = before.map((s) => (s === "B" ? "B1" : s));
    expect(await speakersOf()).toEqual(renamed);
    await page.getByRole("button", { name: "Rückgängig" }).click();
    expect(await speakersOf()).toEqual(before);
    await page.getByRole("button", { name: "Wiederholen" }).click();
    expect(await speakersOf()).toEqual(renamed);
    // Escape closes it and gives focus back to the button that opened it.
    await panel.getByLabel("Neue Sprecherbezeichnung").press("Escape");
    await expect.poll(() => panel.count()).toBe(0);
    expect(await manage.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await manage.getAttribute("aria-expanded")).toBe("false");

    // The added label goes to a turn like the default ones.
    await turns(page).nth(3).locator(".turn-text").click();
    await picker.getByRole("button", { name: "B3:", exact: true }).click();
    const labelled = renamed.map((s, i) => (i === 3 ? "B3" : s));
    expect(await speakersOf()).toEqual(labelled);
    await allSaved(page);
    const stored = await app.db.transcriptParagraph.findMany({ where: { transcript: { interviewId } }, orderBy: { position: "asc" }, select: { speaker: true } });
    expect(stored.map((p) => p.speaker)).toEqual(labelled);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // After a reload the picker offers the transcript's own labels beside the default ones.
    await page.reload();
    await turns(page).first().waitFor();
    expect(await speakersOf()).toEqual(labelled);
    await expect(picker.getByRole("button").allTextContents()).resolves.toEqual(["I:", "B:", "B1:", "B2:", "D:", "B3:", "Sprecher verwalten …"]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("renames I to Rosa keeping the interviewer's role for search, takes Zoë, and a Ctrl+Z in the panel undoes the renaming and its message", async () => {
    const { context, page, problems } = await openTranscript();
    const speakersOf = () => turns(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.speaker));
    const before = await speakersOf();
    const iTurns = before.filter((s) => s === "I").length;
    expect(iTurns).toBeGreaterThan(5);
    await page.getByRole("button", { name: "Sprecher verwalten …" }).click();
    const panel = page.getByRole("region", { name: "Sprecher verwalten" });
    // The hint says the rule the error enforces; a name beyond German letters is taken, as an interviewee.
    await panel.getByText("Kurz, nur Buchstaben und Ziffern, beginnend mit einem Großbuchstaben").waitFor();
    await panel.getByLabel("Neue Sprecherbezeichnung").fill("Zoë");
    await expect(panel.getByLabel("Rolle", { exact: true }).inputValue()).resolves.toBe("interviewee");
    await panel.getByRole("button", { name: "Hinzufügen" }).click();
    await panel.getByRole("status").filter({ hasText: "„Zoë“ (Befragte Person) steht jetzt in der Werkzeugleiste." }).waitFor();
    await page.getByRole("group", { name: "Sprecher des Absatzes" }).getByRole("button", { name: "Zoë:", exact: true }).waitFor();

    // Renaming keeps the old label's role unless another is chosen; the panel says each label's role.
    await panel.getByLabel("Umbenennen: Sprecher").selectOption("I");
    const to = panel.getByLabel("in", { exact: true });
    await to.fill("Rosa");
    await expect(panel.getByLabel("als", { exact: true }).inputValue()).resolves.toBe("interviewer");
    await panel.getByRole("button", { name: "Im ganzen Transkript umbenennen" }).click();
    const status = panel.getByRole("status");
    await status.filter({ hasText: `${iTurns} Absätze von I in Rosa (Interviewer:in) umbenannt.` }).waitFor();
    const renamed = before.map((s) => (s === "I" ? "Rosa" : s));
    expect(await speakersOf()).toEqual(renamed);
    await expect(panel.getByLabel("Rolle von Rosa").inputValue()).resolves.toBe("interviewer");
    await expect(panel.getByLabel("Rolle von B1").inputValue()).resolves.toBe("interviewee");

    // Ctrl+Z in the emptied field undoes the renaming, and the message about it goes; Ctrl+Y brings it back.
    await panel.getByText("Strg+Z nimmt eine Umbenennung oder Rolle wieder zurück").waitFor();
    await to.press("Control+z");
    expect(await speakersOf()).toEqual(before);
    await expect(status.textContent()).resolves.toBe("");
    await to.press("Control+y");
    expect(await speakersOf()).toEqual(renamed);

    // Stored with the transcript, and search files Rosa's turns under the interviewer.
    await allSaved(page);
    const transcript = await app.db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { id: true, speakerRoles: true } });
    expect(JSON.parse(transcript.speakerRoles)).toEqual({ Rosa: "interviewer" });
    const entries = await app.db.searchEntry.findMany({ where: { kind: "paragraph", interviewId }, select: { sourceId: true, speaker: true } });
    const rosa = renamed.flatMap((s, i) => (s === "Rosa" ? [`${transcript.id}:${i}`] : []));
    expect(new Set(entries.filter((e) => rosa.includes(e.sourceId)).map((e) => e.speaker))).toEqual(new Set(["interviewer"]));
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.reload();
    await turns(page).first().waitFor();
    await page.getByRole("button", { name: "Sprecher verwalten …" }).click();
    await expect(page.getByRole("region", { name: "Sprecher verwalten" }).getByLabel("Rolle von Rosa").inputValue()).resolves.toBe("interviewer");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("exports with identifying details replaced unless the box is unticked, in every format", async () => {
    const { context, page, problems } = await openTranscript();
    const redact = page.getByRole("checkbox", { name: "Identitätsangaben ersetzen" });
    const text = page.getByRole("link", { name: "Text (Dresing & Pehl)" });
    const links = page.locator(".export-links a");
    expect(await redact.isChecked()).toBe(true);
    expect(await links.count()).toBe(5);
    for (const href of await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")!))) expect(href).not.toContain("redact");
    const secrets = planted("int-01").map((p) => p.text);
    const replaced = await (await page.request.get((await text.getAttribute("href"))!)).text();
    expect(secrets.filter((s) => replaced.includes(s))).toEqual([]);
    expect(replaced).toContain("[Name]");
    await redact.uncheck();
    await expect.poll(() => text.getAttribute("href")).toMatch(/&redact=0$/);
    for (const href of await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")!))) expect(href).toMatch(/&redact=0$/);
    const kept = await (await page.request.get((await text.getAttribute("href"))!)).text();
    expect(secrets.filter((s) => !kept.includes(s))).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

/** A real paste event, as the clipboard of Word, a web page or this editor delivers it (`plain` left out: HTML only). */
async function paste(page: Page, data: { html?: string; plain?: string }) {
  await page.locator(".ProseMirror").evaluate((el, payload) => {
    const transfer = new DataTransfer();
    if (payload.html !== undefined) transfer.setData("text/html", payload.html);
    if (payload.plain !== undefined) transfer.setData("text/plain", payload.plain);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, data);
}

describe("pasting into the transcript", () => {
  it("puts formatted text, HTML alone and turns copied from the editor into the turn at the caret, with spaces, keeping every turn's speaker and times", async () => {
    const { context, page, problems } = await openTranscript();
    const stored = () => app.db.transcriptParagraph.findMany({ where: { transcript: { interviewId } }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } });
    const before = await stored();
    const [question, other] = [before[2]!, before[10]!];
    expect(question.text).toContain("nach der Erstaufnahme weiter?");
    const texts = before.map((p) => p.text);

    // From Word or a web page: a heading, paragraphs, a list and a table, the caret right after "Erstaufnahme".
    await doubleClickWord(page, 2, "Erstaufnahme");
    await collapseSelection(page, "ArrowRight");
    await paste(page, {
      html: `<meta charset="utf-8"><h1>Überschrift</h1><p>Erster Absatz.</p><ul><li>Punkt eins</li><li>Punkt zwei</li></ul><table><tbody><tr><td>Zelle 1</td><td>Zelle 2</td></tr><tr><td>Zelle 3</td><td>Zelle 4</td></tr></tbody></table>`,
      plain: "Überschrift\n\nErster Absatz.\n\nPunkt eins\nPunkt zwei\n\nZelle 1\tZelle 2\nZelle 3\tZelle 4\n",
    });
    texts[2] = question.text.replace("Erstaufnahme weiter?", "Erstaufnahme Überschrift Erster Absatz. Punkt eins Punkt zwei Zelle 1 Zelle 2 Zelle 3 Zelle 4 weiter?");
    await expect(turns(page).nth(2).locator(".turn-text").textContent()).resolves.toBe(texts[2]);
    expect(await turns(page).count()).toBe(before.length);

    // HTML without plain text (Word's list bullets, line breaks and table cells still apart), at the end of a turn.
    await caretAtEndOfTurn(page, 10);
    await paste(page, {
      html: `<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·<span>&nbsp;&nbsp; </span></span>Kita<br>Schule</p><table><tr><td><p>Zelle A</p></td><td>Zelle B</td></tr></table>`,
    });
    texts[10] = `${other.text} Kita Schule Zelle A Zelle B`;
    await expect(turns(page).nth(10).locator(".turn-text").textContent()).resolves.toBe(texts[10]);

    // Three turns copied in this editor (a question, its answer, the next question) and pasted into another turn:
    // their words only, twice: as this tab's clipboard has them, and with the HTML alone. Selected in the page
    // (Home and End stop at the end of a wrapped line), copied once the editor has the selection.
    await page.evaluate(() => {
      const texts = document.querySelectorAll(".ProseMirror .turn-text");
      const range = document.createRange();
      range.setStart(texts[12]!, 0);
      range.setEnd(texts[14]!, texts[14]!.childNodes.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const copy = () =>
      page.locator(".ProseMirror").evaluate((el) => {
        const transfer = new DataTransfer();
        el.dispatchEvent(new ClipboardEvent("copy", { clipboardData: transfer, bubbles: true, cancelable: true }));
        return { html: transfer.getData("text/html"), plain: transfer.getData("text/plain") };
      });
    const words = [12, 13, 14].map((i) => before[i]!.text).join(" ");
    await expect.poll(async () => (await copy()).plain.replace(/\s+/g, " "), { timeout: 5000 }).toBe(words);
    const copied = await copy();
    expect(copied.html).toContain(`data-start="${before[13]!.startMs}"`);
    await caretAtEndOfTurn(page, 18);
    await paste(page, copied);
    texts[18] = `${before[18]!.text} ${words}`;
    await expect(turns(page).nth(18).locator(".turn-text").textContent()).resolves.toBe(texts[18]);
    await paste(page, { html: copied.html });
    texts[18] = `${texts[18]} ${words}`;
    await expect(turns(page).nth(18).locator(".turn-text").textContent()).resolves.toBe(texts[18]);
    expect(await turns(page).count()).toBe(before.length);

    await allSaved(page);
    await page.reload();
    await turns(page).first().waitFor();
    expect(await turns(page).count()).toBe(before.length);
    expect(await turns(page).locator(".turn-text").allTextContents()).toEqual(texts);
    const after = await stored();
    expect(after.map(({ speaker, startMs, endMs }) => ({ speaker, startMs, endMs }))).toEqual(before.map(({ speaker, startMs, endMs }) => ({ speaker, startMs, endMs })));
    expect(after.map((p) => p.text)).toEqual(texts);
    expect(problems).toEqual([]);
    await context.close();
  });
});
