// Two tabs editing one transcript, in Debian's Chromium against the real server, on the demo interview
// INT-2025-0001 (the int-01 fixture with its reference codings). The second tab's save is refused (the transcript
// changed meanwhile); the page then names what is unsaved: only the turns this tab changed, each beside the stored
// version with the differing words marked. Turns the other tab left alone merge in one click and both tabs' words
// end up saved, codings kept; a turn both changed waits for a choice; copying takes only the changed turns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { launchBrowser, openTranscriptWindow, seriousAxeViolations, editorTurns, allSaved, doubleClickWord, caretAtEndOfTurn } from "./support/browser.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";

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
const turnText = (page: Page, n: number) => turns(page).nth(n).locator(".turn-text").textContent();
const stored = async () =>
  (await app.db.transcriptParagraph.findMany({ where: { transcript: { interviewId } }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } })).map((p) => ({ ...p }));
const panel = (page: Page) => page.getByRole("region", { name: /Ihre nicht gespeicherten? Änderung/ });

/** A tab of the researcher with the transcript open (each in its own browser context: two windows, two sessions). */
const openTab = () => openTranscriptWindow(browser, app.origin, interviewId);

/** Types behind a turn's last character. */
async function appendTo(page: Page, n: number, text: string) {
  await caretAtEndOfTurn(page, n);
  await page.keyboard.type(text);
}

/** Double-clicks a word of turn `n` and types its replacement. */
async function retype(page: Page, n: number, word: string, replacement: string) {
  await doubleClickWord(page, n, word);
  await page.keyboard.type(replacement);
}

const conflictAlert = (page: Page) => page.getByRole("alert").filter({ hasText: "Das Transkript wurde inzwischen geändert" }).waitFor({ timeout: 15_000 });
/** Only the refused saves (409) failed. */
const onlyRefusals = (problems: string[]) => problems.filter((p) => !p.includes("409"));

describe("two tabs editing one transcript", () => {
  it("merges turns changed in different tabs in one click, keeping both tabs' words and the codings", async () => {
    const a = await openTab();
    const b = await openTab();
    const before = await stored();
    const codings = await app.db.coding.findMany({ where: { interviewId }, select: { id: true, orphaned: true } });
    expect(codings.length).toBeGreaterThan(0);

    await appendTo(a.page, 2, " Erzählen Sie ruhig ausführlich.");
    await allSaved(a.page);
    await appendTo(b.page, 4, " Gab es Hürden, über die Sie gestolpert sind?");
    await conflictAlert(b.page);
    // Nothing of B's is stored yet, and B's text is still in its editor.
    expect((await stored())[4]!.text).toBe(before[4]!.text);
    await expect(turnText(b.page, 4)).resolves.toBe(`${before[4]!.text} Gab es Hürden, über die Sie gestolpert sind?`);

    // Only the turn B changed is listed, beside the stored one (unchanged there), B's new words marked.
    const list = panel(b.page);
    await list.waitFor();
    await expect(list.getByRole("heading", { level: 3 }).textContent()).resolves.toBe("Ihre nicht gespeicherte Änderung (1 Absatz)");
    const items = list.locator(".conflict-turn");
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().locator("h4").first().textContent()).resolves.toContain("Absatz 5 (I, 1:30)");
    await expect(items.first().textContent()).resolves.toContain("nur von Ihnen geändert");
    await expect(items.first().locator('[data-side="mine"] mark').allTextContents()).resolves.toEqual(["Gab", "es", "Hürden,", "über", "die", "Sie", "gestolpert", "sind?"]);
    await expect(items.first().locator('[data-side="saved"] mark').count()).resolves.toBe(0);
    await expect(items.first().locator('[data-side="saved"]').textContent()).resolves.toContain("Dort unverändert.");
    // A's turn is not listed: it is not B's change.
    await expect(list.textContent()).resolves.not.toContain("Erzählen Sie ruhig");

    await list.getByRole("button", { name: "Alle nicht strittigen übernehmen (1 Absatz)" }).click();
    await allSaved(b.page);
    await expect(panel(b.page).count()).resolves.toBe(0);
    const after = await stored();
    expect(after[2]!.text).toBe(`${before[2]!.text} Erzählen Sie ruhig ausführlich.`);
    expect(after[4]!.text).toBe(`${before[4]!.text} Gab es Hürden, über die Sie gestolpert sind?`);
    expect(after.map((p) => [p.speaker, p.startMs, p.endMs])).toEqual(before.map((p) => [p.speaker, p.startMs, p.endMs]));
    // B's editor shows the merged text, with the codings as they are stored.
    await expect(turnText(b.page, 2)).resolves.toBe(after[2]!.text);
    await expect.poll(() => b.page.locator(".ProseMirror .coding-hl").count()).toBeGreaterThan(0);
    const codingsAfter = await app.db.coding.findMany({ where: { interviewId }, select: { id: true, orphaned: true } });
    expect(codingsAfter).toEqual(expect.arrayContaining(codings));
    expect(codingsAfter.length).toBe(codings.length);

    // B goes on editing and saves normally on the merged version.
    await appendTo(b.page, 4, " Ja.");
    await allSaved(b.page);
    expect((await stored())[4]!.text.endsWith("gestolpert sind? Ja.")).toBe(true);
    expect(onlyRefusals(a.problems)).toEqual([]);
    expect(onlyRefusals(b.problems)).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it("asks for a turn both tabs changed, shows the differing words, copies only the changed turns, and saves the choice", async () => {
    const a = await openTab();
    const b = await openTab();
    await b.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.origin });
    const before = await stored();
    expect(before[6]!.text).toBe("Wie ging es Ihnen mit diesem Bescheid?");

    await retype(a.page, 6, "Bescheid", "Brief");
    await allSaved(a.page);
    await retype(b.page, 6, "Ihnen", "dir");
    await appendTo(b.page, 0, " Schön, dass es klappt.");
    await conflictAlert(b.page);

    const list = panel(b.page);
    await list.waitFor();
    await expect(list.getByRole("heading", { level: 3 }).textContent()).resolves.toBe("Ihre nicht gespeicherten Änderungen (2 Absätze)");
    const both = list.locator('.conflict-turn[data-kind="both"]');
    await expect(both.count()).resolves.toBe(1);
    await expect(both.textContent()).resolves.toContain("von beiden geändert – bitte wählen");
    await expect(both.textContent()).resolves.toContain("Dort inzwischen ebenfalls geändert.");
    // The words that differ, on each side.
    await expect(both.locator('[data-side="mine"] mark').allTextContents()).resolves.toEqual(["dir", "Bescheid?"]);
    await expect(both.locator('[data-side="saved"] mark').allTextContents()).resolves.toEqual(["Ihnen", "Brief?"]);
    expect(await seriousAxeViolations(b.page)).toEqual([]);
    // The text is locked until the conflict is decided: the toolbar offers to find, not to replace.
    const toolbar = b.page.getByRole("toolbar");
    await expect(toolbar.getByRole("button", { name: "Im Transkript suchen" }).count()).resolves.toBe(1);
    await expect(toolbar.getByRole("button", { name: "Suchen und ersetzen" }).count()).resolves.toBe(0);

    // Copying takes the two changed turns, not the transcript.
    await list.getByRole("button", { name: "Meine Änderungen kopieren" }).click();
    await list.getByRole("status").filter({ hasText: "Ihre geänderten Absätze sind in der Zwischenablage." }).waitFor();
    const mine = [
      { ...before[0]!, text: `${before[0]!.text} Schön, dass es klappt.` },
      { ...before[6]!, text: "Wie ging es dir mit diesem Bescheid?" },
    ];
    expect(await b.page.evaluate(() => navigator.clipboard.readText())).toBe(writeText(mine));

    // The uncontested turn alone does not save: the contested one still needs a choice.
    await list.getByRole("button", { name: "Alle nicht strittigen übernehmen (1 Absatz)" }).click();
    await list.getByRole("status").filter({ hasText: "Noch 1 Absatz braucht eine Entscheidung." }).waitFor();
    await expect(list.getByRole("button", { name: /Alle nicht strittigen/ }).isDisabled()).resolves.toBe(true);
    expect((await stored())[0]!.text).toBe(before[0]!.text);
    await expect(turnText(b.page, 6)).resolves.toBe("Wie ging es dir mit diesem Bescheid?");

    await both.getByRole("button", { name: "Meine Fassung übernehmen" }).click();
    await allSaved(b.page);
    const after = await stored();
    expect(after[0]!.text).toBe(mine[0]!.text);
    expect(after[6]!.text).toBe("Wie ging es dir mit diesem Bescheid?");
    expect(after.length).toBe(before.length);

    // A, saving again on its older version, now meets B's merge and may keep the stored turn.
    await appendTo(a.page, 6, " Und danach?");
    await conflictAlert(a.page);
    const aList = panel(a.page);
    await Promise.all([a.page.waitForEvent("load"), aList.locator('.conflict-turn[data-kind="both"]').getByRole("button", { name: "Gespeicherte behalten" }).click()]);
    await turns(a.page).first().waitFor();
    await expect(turnText(a.page, 6)).resolves.toBe("Wie ging es dir mit diesem Bescheid?");
    expect((await stored())[6]!.text).toBe("Wie ging es dir mit diesem Bescheid?");
    expect(onlyRefusals(a.problems)).toEqual([]);
    expect(onlyRefusals(b.problems)).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it("keeps the words typed while the refused save was on its way", async () => {
    const a = await openTab();
    const b = await openTab();
    const before = await stored();
    await appendTo(a.page, 6, " Und wie ging es weiter?");
    await allSaved(a.page);
    // Hold B's first save on the wire, type into another turn meanwhile, then let the save through (refused: A saved).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    await b.page.route(
      (url) => url.pathname.endsWith("/transcript"),
      async (route) => {
        if (route.request().method() === "POST" && !holding) {
          holding = true;
          await held;
        }
        await route.continue();
      },
    );
    await appendTo(b.page, 8, " Erstes Wort.");
    await expect.poll(() => holding, { timeout: 15_000 }).toBe(true);
    await appendTo(b.page, 10, " Spätes Wort.");
    release();
    await conflictAlert(b.page);
    // Both of B's turns are listed: the one the refused save carried and the one typed while it was on its way.
    const list = panel(b.page);
    await expect(list.locator(".conflict-turn").count()).resolves.toBe(2);
    await list.getByRole("button", { name: /^Alle nicht strittigen übernehmen/ }).click();
    await allSaved(b.page);
    const after = await stored();
    expect([after[6]!.text, after[8]!.text, after[10]!.text]).toEqual([`${before[6]!.text} Und wie ging es weiter?`, `${before[8]!.text} Erstes Wort.`, `${before[10]!.text} Spätes Wort.`]);
    await a.context.close();
    await b.context.close();
  });

  it("says the same in English", async () => {
    const { context, page } = await openTab();
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForLoadState("networkidle");
    await page.getByRole("heading", { name: "Transcript", exact: true }).waitFor();
    await app.db.transcript.update({ where: { interviewId }, data: { version: { increment: 1 } } });
    await appendTo(page, 2, " More.");
    await page.getByRole("region", { name: "Your unsaved change (1 turn)" }).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Take all uncontested (1 turn)" }).waitFor();
    await page.getByRole("button", { name: "Use my version" }).waitFor();
    await page.getByRole("button", { name: "Keep saved" }).waitFor();
    await context.close();
  });
});
