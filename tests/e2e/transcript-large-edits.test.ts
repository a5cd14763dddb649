// Large edits in the coded transcript editor, in Debian's Chromium against the real server, on the demo interview
// INT-2025-0001 (its reference codings in the panel): a selection of some 500 characters across turns deleted, and
// a long paste undone after its autosave, shorten the text under the codings panel. The page keeps working (no
// error page in place of editor, player and panel), and the edit is saved: after a reload the text is as left.
// A turn pasted past 200,000 characters is not saved, the message names it (speaker, time) and asks to split it;
// the text stays in the editor, and once the turn is split the next autosave stores all of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, signedInPage, editorTurns, allSaved } from "./support/browser.ts";
import { formatClockShort } from "../../app/transcripts/editor/timing.ts";

let app: AppServer;
let browser: Browser;
let interviewId: string;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 20 }, env: { TRANSCRIPTION_WORKER: "off" } });
  interviewId = (await app.db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0001" }, select: { id: true } })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const turns = editorTurns;
const texts = (page: Page) => turns(page).locator(".turn-text").allTextContents();
const saved = allSaved;
const panel = (page: Page) => page.getByRole("region", { name: "Codierungen" });

async function openCodedTranscript() {
  const { page, problems } = await signedInPage(browser, app.origin, "forschung", demoPassword("forschung"));
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`/interviews/${interviewId}/transcript`);
  await page.locator(".ProseMirror .coding-hl").first().waitFor();
  await panel(page).locator(".coding-item").first().waitFor();
  return { page, problems };
}

/** The caret at the start of the turn holding the phrase. */
async function caretBefore(page: Page, phrase: string) {
  const turn = turns(page).filter({ hasText: phrase }).first();
  await turn.scrollIntoViewIfNeeded();
  await turn.locator(".turn-text").click({ position: { x: 2, y: 4 } });
  await page.keyboard.press("Home");
}

/** Editor, player and codings panel are still there, no error page and nothing thrown. */
async function stillWorking(page: Page, problems: string[]) {
  await page.waitForTimeout(300); // the panel's deferred render comes a moment after the edit
  expect(problems).toEqual([]);
  await expect(page.getByText("Etwas ist schiefgegangen").count()).resolves.toBe(0);
  await expect(page.locator(".ProseMirror").count()).resolves.toBe(1);
  await expect(page.locator("audio").count()).resolves.toBe(1);
  await expect(panel(page).count()).resolves.toBe(1);
}

describe("large edits under the codings panel", () => {
  it("deletes a selection of some 500 characters across turns (Shift+Down) and saves it", async () => {
    const { page, problems } = await openCodedTranscript();
    const before = await texts(page);
    await caretBefore(page, "Gibt es etwas, das Ihnen");
    for (let i = 0; i < 12; i++) await page.keyboard.press("Shift+ArrowDown");
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? "");
    expect(selected.length).toBeGreaterThan(400);
    await page.keyboard.press("Delete");
    await stillWorking(page, problems);
    const after = await texts(page);
    expect(after.join("").length).toBeLessThan(before.join("").length - 400);
    expect(after.join("")).not.toContain("Gibt es etwas, das Ihnen");
    // the coding whose words went is listed for review with its words
    await panel(page).getByRole("region", { name: /verwaiste Codierung/ }).waitFor();

    await saved(page);
    await page.reload();
    await turns(page).first().waitFor();
    await expect.poll(() => texts(page)).toEqual(after);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("undoes a paste of 600 characters after its autosave and saves the undone text", async () => {
    const { page, problems } = await openCodedTranscript();
    const before = await texts(page);
    const target = before.findIndex((t) => t.includes("Sehr viel. In Syrien"));
    expect(target).toBeGreaterThan(0);
    await caretBefore(page, "Sehr viel. In Syrien");
    const pasted = "Eingefügter Absatz aus einer anderen Mitschrift. ".repeat(12);
    expect(pasted.length).toBeGreaterThan(500);
    await page.locator(".ProseMirror").evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, pasted);
    await expect.poll(async () => (await texts(page))[target]).toContain(pasted.trim());
    await saved(page);
    await stillWorking(page, problems);

    await page.keyboard.press("Control+z");
    await stillWorking(page, problems);
    await expect.poll(() => texts(page)).toEqual(before);
    await saved(page);
    await page.reload();
    await turns(page).first().waitFor();
    await expect.poll(() => texts(page)).toEqual(before);
    // the paste and its undo were both saved: the stored text is the one before the paste
    const stored = await app.db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { version: true, paragraphs: { orderBy: { position: "asc" }, select: { text: true } } } });
    expect(stored.version).toBeGreaterThan(2);
    expect(stored.paragraphs.map((p) => p.text)).toEqual(before);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("names a turn pasted past 200,000 characters, keeps its text in the editor, and saves it once it is split", async () => {
    const { page, problems } = await openCodedTranscript();
    const phrase = "Sehr viel. In Syrien";
    const turn = (await app.db.transcriptParagraph.findFirstOrThrow({ where: { transcript: { interviewId }, text: { startsWith: phrase } }, select: { speaker: true, startMs: true, text: true } }));
    const first = "Wir haben damals viel erzählt. ".repeat(3_300);
    const second = "Und später noch viel mehr. ".repeat(3_750);
    const pasted = `${first}TEILEN ${second}`;
    const whole = pasted + turn.text;
    expect(whole.length).toBeGreaterThan(200_000);
    await caretBefore(page, phrase);
    await page.locator(".ProseMirror").evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, pasted);

    const alert = page.locator(".transcript-main").getByRole("alert");
    await alert.waitFor({ timeout: 15_000 });
    await expect(alert.textContent()).resolves.toBe(
      `Nicht gespeichert: Der Absatz von ${turn.speaker} bei ${formatClockShort(turn.startMs)} ist mit ${whole.length.toLocaleString("de-DE")} Zeichen zu lang (höchstens 200.000). ` +
        "Bitte teilen Sie ihn in mehrere Absätze (Schreibmarke an ein Satzende, Enter). Ihr Text bleibt im Editor und wird danach gespeichert.",
    );
    // nothing of it lost: the turn in the editor still holds all of it
    expect((await texts(page)).find((t) => t.includes(phrase))).toBe(whole);

    // Split where the marker is: find it, select it, Enter (the selection goes, the turn is cut there).
    await page.keyboard.press("Control+f");
    await page.getByLabel("Suchen", { exact: true }).fill("TEILEN");
    await page.getByLabel("Suchen", { exact: true }).press("Enter");
    await page.getByLabel("Suchen", { exact: true }).press("Escape");
    await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe("TEILEN");
    await page.keyboard.press("Enter");
    await saved(page);
    await expect(alert.count()).resolves.toBe(0);

    await page.reload();
    await turns(page).first().waitFor();
    const after = await texts(page);
    const at = after.indexOf(first.trim());
    expect(at).toBeGreaterThan(0);
    expect(after[at + 1]).toBe(second + turn.text);
    expect(problems.filter((p) => !p.includes("400"))).toEqual([]);
    await page.context().close();
  });
});
