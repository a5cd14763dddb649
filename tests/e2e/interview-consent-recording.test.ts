// Issue 4 as a researcher does it in Chromium: create an interview, record consent, upload a recording with
// the progress bar, play it from a late position, then withdraw and find no trace in storage or database.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, loginInBrowser, seriousAxeViolations, watchPage } from "./support/browser.ts";
import { fixturesDir } from "../../prisma/seed/demo-interviews.ts";
import { storage } from "../../app/storage/storage.server.ts";

const UPLOAD_MAX_BYTES = 3_000_000;
let app: AppServer;
let browser: Browser;
const fixtures = fixturesDir();

beforeAll(async () => {
  // A small upload limit (the fixture recordings are 2.1 and 2.4 MB), so a file over it is quick to make.
  app = await startAppServer({ seed: { cases: 20 }, env: { UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function researcherPage(to?: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, "forschung", demoPassword("forschung"), to);
  return { page, problems };
}

describe.skipIf(!fixtures)("an interview from consent to withdrawal", () => {
  it("consent, upload with progress, playback from any position, and a withdrawal that leaves no trace", async () => {
    const { page, problems } = await researcherPage("/interviews/new");
    await page.getByLabel("Fall (Pseudonym)").fill("LOE-2019-0001");
    await page.getByLabel("Datum", { exact: true }).fill("2025-06-02");
    await page.getByLabel("Ort").selectOption("office");
    await page.getByLabel("Deutsch", { exact: true }).check();
    await page.getByRole("button", { name: "Interview anlegen" }).click();
    await page.waitForURL((u) => /^\/interviews\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith("/new"));
    const interviewPath = new URL(page.url()).pathname;
    const interviewId = interviewPath.split("/").pop()!;
    // The URL changes before the new page has rendered: wait for its heading.
    const heading = page.getByRole("heading", { level: 1, name: /INT-\d{4}-\d{4}/ });
    await heading.waitFor();
    const code = (await heading.textContent())!.match(/INT-\d{4}-\d{4}/)![0];
    // A follow-up of the demo interview INT-2025-0003, whose consent allows recontact: the page says on what it rests.
    await page.getByText("Wiederkontakt: erlaubt (laut Einwilligung zu INT-2025-0003 vom 15.04.2025)").waitFor();

    // Without consent there is no upload: the page names the missing scope.
    expect(await page.getByLabel("Aufnahme (Audio- oder Videodatei)").count()).toBe(0);

    await page.goto(`${interviewPath}/consent`);
    await page.getByLabel("Erteilt von").selectOption("person");
    await page.getByLabel("Erteilt am").fill("2025-06-02");
    await page.getByLabel("Form", { exact: true }).selectOption("written");
    await page.getByLabel("Sprache", { exact: true }).selectOption("de");
    await page.getByLabel("Version des Informationsblatts").fill("2025-05-e2e");
    for (const scope of ["Aufnahme (Audio/Video)", "Transkription", "Auswertung"]) await page.getByLabel(scope, { exact: true }).check();
    await page.getByRole("button", { name: "Als neue Version speichern" }).click();
    await page.getByText(/als Version 1 gespeichert/).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.goto(interviewPath);
    // A file over the server's limit is refused before anything is sent, with the limit the form names beforehand.
    await page.getByText("Höchstens 3 MB je Datei.").waitFor();
    const recordingPosts: string[] = [];
    page.on("request", (r) => void (r.method() === "POST" && r.url().endsWith("/recordings") && recordingPosts.push(r.url())));
    const tooLarge = Buffer.concat([fs.readFileSync(path.join(fixtures!, "int-01.mp3")), fs.readFileSync(path.join(fixtures!, "int-02.mp3"))]);
    await page.getByLabel("Aufnahme (Audio- oder Videodatei)").setInputFiles({ name: "zwei-aufnahmen.mp3", mimeType: "audio/mpeg", buffer: tooLarge });
    await page.getByRole("button", { name: "Aufnahme hochladen" }).click();
    await page.getByRole("alert").filter({ hasText: "Die Datei ist zu groß. Erlaubt sind höchstens 3 MB." }).waitFor();
    expect(recordingPosts).toEqual([]);

    await page.getByLabel("Aufnahme (Audio- oder Videodatei)").setInputFiles(path.join(fixtures!, "int-01.mp3"));
    // A slow line (about 600 KB/s up), so the progress bar can be seen moving.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 600 * 1024 });
    await page.getByRole("button", { name: "Aufnahme hochladen" }).click();
    const progress = page.locator("progress");
    await progress.waitFor();
    await page.waitForFunction(() => {
      const p = document.querySelector("progress");
      return p !== null && p.value > 0 && p.value < p.max;
    });
    await page.getByText(/wurde hochgeladen/).waitFor({ timeout: 30_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const recording = await app.db.recording.findFirstOrThrow({ where: { interviewId }, select: { id: true, storageKey: true, sha256: true } });
    const expected = (await import("node:crypto")).createHash("sha256").update(fs.readFileSync(path.join(fixtures!, "int-01.mp3"))).digest("hex");
    expect(recording.sha256).toBe(expected);

    // Play from 5:00 (the file is 6:45 long): the browser fetches that part by Range and plays on.
    const audio = page.locator("audio").first();
    await audio.waitFor();
    const played = await audio.evaluate(async (el: HTMLAudioElement) => {
      el.muted = true;
      await new Promise((r) => (el.readyState >= 1 ? r(null) : el.addEventListener("loadedmetadata", r, { once: true })));
      el.currentTime = 300;
      await el.play();
      await new Promise((r) => setTimeout(r, 1500));
      el.pause();
      return { duration: el.duration, time: el.currentTime };
    });
    expect(played.duration).toBeGreaterThan(400);
    expect(played.time).toBeGreaterThan(300);

    // Withdrawal: first the preview, then the erasure.
    await page.goto(`${interviewPath}/withdraw`);
    await page.getByLabel(/Ganzer Widerruf/).check();
    await page.getByRole("button", { name: "Anzeigen, was gelöscht wird" }).click();
    await page.getByRole("table", { name: /Vorschau/ }).waitFor();
    expect(await page.getByRole("table", { name: /Vorschau/ }).textContent()).toMatch(/Aufnahme/);
    await page.getByRole("button", { name: "Endgültig widerrufen und alles löschen" }).click();
    // Until the erasure has finished ("networkidle" can come before the click's request on a busy machine).
    await expect.poll(async () => (await app.db.withdrawal.findFirst({ where: { interviewId }, select: { status: true } }))?.status, { timeout: 30_000 }).toBe("done");
    expect(await app.db.interview.count({ where: { id: interviewId } })).toBe(0);
    expect(await app.db.recording.count({ where: { interviewId } })).toBe(0);
    expect(await app.db.consentRecord.count({ where: { interviewId } })).toBe(0);
    expect((await storage().list()).includes(recording.storageKey)).toBe(false);
    const withdrawal = await app.db.withdrawal.findFirstOrThrow({ where: { interviewId }, select: { status: true, scope: true, requestedAt: true } });
    expect({ status: withdrawal.status, scope: withdrawal.scope }).toEqual({ status: "done", scope: "whole" });
    // The interview page is gone for everyone: it says the interview was withdrawn (410), not that it never was.
    expect((await page.goto(interviewPath))?.status()).toBe(410);
    await page.getByText("Dieses Interview wurde widerrufen; seine Daten sind gelöscht.").waitFor();
    // The person's withdrawal is now their latest decision: the earlier interview's page names it, not its own consent.
    const earlier = await app.db.interview.findFirstOrThrow({ where: { code: "INT-2025-0003" }, select: { id: true } });
    await page.goto(`/interviews/${earlier.id}`);
    const withdrawnOn = new Intl.DateTimeFormat("de", { dateStyle: "medium", timeZone: "Europe/Berlin" }).format(withdrawal.requestedAt);
    await page.getByText(`Wiederkontakt: nicht erlaubt (Widerruf der Einwilligung zu einem inzwischen gelöschten Interview am ${withdrawnOn})`).waitFor();
    expect(await page.getByRole("link", { name: "Folgeinterview anlegen" }).count()).toBe(0);
    expect(code).toMatch(/^INT-2025-/);
    expect(problems.filter((p) => !p.includes("410"))).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(!fixtures)("a recording no longer needed", () => {
  it("is deleted from the interview page after a second click; the list and the storage no longer have it, the transcript stays", async () => {
    const { id } = await app.db.interview.findFirstOrThrow({ where: { code: "INT-2025-0001" }, select: { id: true } });
    const { storageKey } = await app.db.recording.findFirstOrThrow({ where: { interviewId: id }, select: { storageKey: true } });
    // Once the transcript is checked, its page says the recording is no longer needed and leads to it.
    const { page, problems } = await researcherPage(`/interviews/${id}/transcript`);
    await page.getByRole("button", { name: "Als geprüft markieren" }).click();
    await page.getByText("Die Aufnahme wird für die Auswertung nicht mehr gebraucht").waitFor();
    await page.getByRole("link", { name: "Zu den Aufnahmen" }).click();
    await page.waitForURL(`**/interviews/${id}`);
    const remove = page.getByRole("button", { name: /endgültig löschen/ });
    expect(await remove.isVisible()).toBe(false); // behind "Aufnahme löschen …", with what stays and what goes
    await page.getByText("Aufnahme löschen …").click();
    expect(await page.getByText("Das Transkript ist geprüft: Die Aufnahme wird für die Auswertung nicht mehr gebraucht.").isVisible()).toBe(true);
    // The legal ground is asked for (ADR 0012); once the transcript is checked it is "no longer necessary".
    await page.getByLabel("Rechtsgrundlage der Löschung (Pflichtangabe)").selectOption("no_longer_necessary");
    await remove.click();
    await page.getByRole("status").filter({ hasText: "ist gelöscht. Transkript, Codierungen und Einwilligung bleiben." }).waitFor();
    // Gone from the list at once (not only after the page's data is reloaded).
    expect(await page.locator(".recording-list li").count()).toBe(0);
    expect(await page.getByText("Noch keine Aufnahmen.").isVisible()).toBe(true);
    expect((await storage().list()).includes(storageKey)).toBe(false);
    expect(await app.db.transcript.count({ where: { interviewId: id } })).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(!fixtures)("an interview's data edited in two windows at once (ADR 0013)", () => {
  it("a field both changed is refused with the newer value shown, the form keeps the entries, and saving again takes them", async () => {
    const { id } = await app.db.interview.findFirstOrThrow({ where: { code: "INT-2025-0002" }, select: { id: true } });
    const first = await researcherPage(`/interviews/${id}/edit`);
    const second = await researcherPage(`/interviews/${id}/edit`);
    for (const { page } of [first, second]) await page.getByLabel("Dauer in Minuten (freiwillig)").waitFor();
    await first.page.getByLabel("Dauer in Minuten (freiwillig)").fill("95");
    await first.page.getByLabel("Ort").selectOption("video");
    await first.page.getByRole("button", { name: "Speichern" }).click();
    await first.page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();

    await second.page.getByLabel("Datum", { exact: true }).fill("2025-03-14");
    await second.page.getByLabel("Dauer in Minuten (freiwillig)").fill("80");
    // The interpreter's name is write-only (identity data); what was typed must still come back with a refusal.
    const interpreter = second.page.getByLabel(/Name der Dolmetscherin/);
    await interpreter.fill("Samira Haddad");
    await second.page.getByRole("button", { name: "Speichern" }).click();
    const alert = second.page.getByRole("alert").filter({ hasText: "Jemand anderes hat diese Angaben gespeichert" });
    await alert.waitFor();
    expect(await alert.locator("dd").allTextContents()).toEqual(["95"]);
    // The page's data is newer now, but the form is still the person's, with both entries.
    expect(await second.page.getByLabel("Dauer in Minuten (freiwillig)").inputValue()).toBe("80");
    expect(await second.page.getByLabel("Datum", { exact: true }).inputValue()).toBe("2025-03-14");
    expect(await interpreter.inputValue()).toBe("Samira Haddad");
    // The place only the other changed shows the other's choice.
    await expect.poll(() => second.page.getByLabel("Ort").inputValue(), { timeout: 15_000 }).toBe("video");
    await second.page.waitForLoadState("networkidle");
    expect(await alert.isVisible()).toBe(true); // the notice stays until the person saves again
    expect(await second.page.getByLabel("Dauer in Minuten (freiwillig)").inputValue()).toBe("80");
    const unchanged = await app.db.interview.findUniqueOrThrow({ where: { id }, select: { durationMinutes: true, date: true } });
    expect(unchanged.durationMinutes).toBe(95);
    expect(unchanged.date.toISOString().slice(0, 10)).not.toBe("2025-03-14");

    await second.page.getByRole("button", { name: "Speichern" }).click();
    await second.page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();
    const saved = await app.db.interview.findUniqueOrThrow({ where: { id }, select: { durationMinutes: true, date: true, placeType: true } });
    expect({ duration: saved.durationMinutes, date: saved.date.toISOString().slice(0, 10), place: saved.placeType }).toEqual({ duration: 80, date: "2025-03-14", place: "video" });
    expect(await app.db.interviewIdentity.count({ where: { interviewId: id } })).toBe(1);
    expect([...first.problems, ...second.problems].filter((p) => !/status of 409/.test(p))).toEqual([]);
    await first.page.context().close();
    await second.page.context().close();
  });
});

describe.skipIf(!fixtures)("consent recorded in two windows at once", () => {
  it("a form filled from the older version is refused, keeps its entries, and saves only when saved again", async () => {
    const { id } = await app.db.interview.findFirstOrThrow({ where: { code: "INT-2025-0003" }, select: { id: true } });
    const versions = () => app.db.consentRecord.count({ where: { interviewId: id } });
    const before = await versions();
    const first = await researcherPage(`/interviews/${id}/consent`);
    const second = await researcherPage(`/interviews/${id}/consent`);
    for (const { page } of [first, second]) await page.getByLabel("Version des Informationsblatts").waitFor();
    const quotation = (page: Page) => page.getByRole("checkbox", { name: "Anonymisierte Zitate und Veröffentlichung" });
    await quotation(first.page).setChecked(!(await quotation(first.page).isChecked()));
    const ticked = await quotation(second.page).isChecked();
    await first.page.getByRole("button", { name: "Als neue Version speichern" }).click();
    await first.page.getByRole("status").filter({ hasText: `als Version ${before + 1} gespeichert` }).waitFor();

    await second.page.getByLabel("Version des Informationsblatts").fill("Infoblatt 2026-11");
    await second.page.getByRole("button", { name: "Als neue Version speichern" }).click();
    await second.page.getByRole("alert").filter({ hasText: `Inzwischen wurde Version ${before + 1} der Einwilligung erfasst` }).waitFor();
    expect(await versions()).toBe(before + 1);
    expect(await second.page.getByLabel("Version des Informationsblatts").inputValue()).toBe("Infoblatt 2026-11");
    expect(await quotation(second.page).isChecked()).toBe(ticked); // the older state, to be reviewed, not silently saved

    await second.page.getByRole("button", { name: "Als neue Version speichern" }).click();
    await second.page.getByRole("status").filter({ hasText: `als Version ${before + 2} gespeichert` }).waitFor();
    expect(await app.db.consentRecord.findFirstOrThrow({ where: { interviewId: id, current: true }, select: { infoSheetVersion: true } })).toEqual({ infoSheetVersion: "Infoblatt 2026-11" });
    expect([...first.problems, ...second.problems].filter((p) => !/status of 409/.test(p))).toEqual([]);
    await first.page.context().close();
    await second.page.context().close();
  });
});

describe.skipIf(!fixtures)("importing a transcript an external service produced, without consent to that", () => {
  it("says so once, and both radios are marked invalid and point to the message once", async () => {
    // INT-2025-0003's consent keeps transcription in the house (no external transcription).
    const { id } = await app.db.interview.findFirstOrThrow({ where: { code: "INT-2025-0003" }, select: { id: true } });
    const { page, problems } = await researcherPage(`/interviews/${id}/transcript/import`);
    const sentence = "Einwilligung fehlt: Externe Transkription. Ein Transkript, das ein externer Dienst erstellt hat, darf zu diesem Interview nicht importiert werden.";
    // Before choosing, the hint says it (once).
    expect(await page.getByText(sentence).count()).toBe(1);
    await page.getByLabel("Datei").setInputFiles(path.join(fixtures!, "int-03.vtt"));
    await page.getByLabel("Ein externer Transkriptionsdienst").check();
    await page.getByRole("button", { name: "Importieren" }).click();
    const error = page.getByRole("alert").filter({ hasText: sentence });
    await error.waitFor();
    expect(await page.getByText(sentence).count()).toBe(1);
    const errorId = (await error.getAttribute("id"))!;
    for (const name of [/Das Projektteam/, "Ein externer Transkriptionsdienst"]) {
      const radio = page.getByRole("radio", { name });
      expect(await radio.getAttribute("aria-invalid")).toBe("true");
      expect((await radio.getAttribute("aria-describedby"))!.split(" ").filter((ref) => ref === errorId)).toHaveLength(1);
    }
    // Not announced a second time for the group.
    expect(await page.locator(`fieldset[aria-describedby~="${errorId}"]`).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await app.db.auditLog.count({ where: { action: "transcript.import", detail: { contains: id } } })).toBe(0);
    expect(problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
    await page.context().close();
  });
});

describe("a case's first interview without consent", () => {
  it("its page says re-contact is not recorded yet and asks for this interview's consent, not an earlier one's", async () => {
    const lonely = await app.db.case.findFirstOrThrow({ where: { status: "active", interviews: { none: {} } }, select: { id: true } });
    const interview = await app.db.interview.create({ data: { code: "INT-2024-0990", caseId: lonely.id, date: new Date("2024-10-01T10:00:00Z"), placeType: "office", languages: '["de"]' }, select: { id: true } });
    const { page, problems } = await researcherPage(`/interviews/${interview.id}`);
    await page.getByText("Wiederkontakt: nicht erfasst – Zu diesem Interview ist noch keine Einwilligung erfasst. Bitte die Einwilligung dieses Interviews erfassen").waitFor();
    expect(await page.getByText("früheren Interviews").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
