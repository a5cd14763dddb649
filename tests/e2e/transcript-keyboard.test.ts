// The transcript page with the keyboard alone (WAI-ARIA Authoring Practices), in Debian's Chromium against the real
// server on the demo interviews: the toolbar is one Tab stop with the arrow keys inside (its find and speaker panels
// give the keyboard back to their button on Escape); the speaker buttons of all turns and the coding stripes are one
// Tab stop each, so Tab goes from the text past the margin in two steps; skip links at the top of the page lead to
// the text, the player and the codings, in German and English; a search hit in a transcript with word timings (as
// whisper stores them) sets the player to the word's time, not the turn's start; and a linked passage in a transcript
// the user may only read is selected with the focus on it, and a button before it opens find (without replace).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, seriousAxeViolations, signedInPage, selectionInEditorInView, editorTurns } from "./support/browser.ts";
import { rebuildEntries } from "../../search/reindex.server.ts";
import { writeWhisperTranscript } from "../../transcription/complete.ts";
import type { Segment } from "../../transcription/windows.ts";

let app: AppServer;
let browser: Browser;

const interviewOf = async (code: string) => (await app.db.interview.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 20 }, env: { TRANSCRIPTION_WORKER: "off" } });
  await rebuildEntries(app.db); // whatever the seed wrote without telling search
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const signedIn = (to?: string) => signedInPage(browser, app.origin, "forschung", demoPassword("forschung"), to);

/** The researcher signed in on the transcript of interview `code`, its editor ready. */
async function openTranscript(code: string, query = "") {
  const opened = await signedIn(`/interviews/${await interviewOf(code)}/transcript${query}`);
  await editorTurns(opened.page).first().waitFor();
  return opened;
}

/** What has the keyboard focus: its tag, classes, accessible text and whether it lies inside `selector`. */
const focused = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.activeElement as HTMLElement | null;
    return { inside: Boolean(el?.closest(sel)), tag: el?.tagName ?? "", cls: el?.className ?? "", name: el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "", id: el?.id ?? "" };
  }, selector);

/** The Tab stops inside `selector` from the one focused now on: Tab is pressed until the focus leaves it. */
async function tabStopsInside(page: Page, selector: string, limit = 400): Promise<string[]> {
  const stops: string[] = [];
  for (let now = await focused(page, selector); now.inside && stops.length < limit; now = await focused(page, selector)) {
    stops.push(`${now.tag}.${now.cls}:${now.name}`);
    await page.keyboard.press("Tab");
  }
  return stops;
}

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

describe("the transcript page with the keyboard", () => {
  it("the toolbar is one Tab stop: arrows, Home and End move inside it, unavailable buttons are reached and said to be so, panels give the keyboard back", async () => {
    const { page, problems } = await openTranscript("INT-2025-0001");
    const toolbar = page.getByRole("toolbar", { name: "Transkript bearbeiten" });
    const buttons = toolbar.getByRole("button");
    expect(await buttons.count()).toBeGreaterThan(10);

    await buttons.first().focus();
    expect(await tabStopsInside(page, '[role="toolbar"]')).toHaveLength(1);
    // back in: Shift+Tab from what follows lands on the same button
    await page.keyboard.press("Shift+Tab");
    expect(await isFocused(buttons.first())).toBe(true);

    await page.keyboard.press("ArrowRight");
    expect(await isFocused(buttons.nth(1))).toBe(true);
    await page.keyboard.press("End");
    const find = toolbar.getByRole("button", { name: "Suchen und ersetzen" });
    expect(await isFocused(find)).toBe(true);
    await page.keyboard.press("ArrowRight"); // wraps around
    expect(await isFocused(buttons.first())).toBe(true);
    await page.keyboard.press("ArrowLeft");
    expect(await isFocused(find)).toBe(true);
    await page.keyboard.press("Home");
    expect(await isFocused(buttons.first())).toBe(true);

    // Nothing to redo on a page just opened: reachable, announced as unavailable, and it does nothing.
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    const redo = toolbar.getByRole("button", { name: "Wiederholen" });
    expect(await isFocused(redo)).toBe(true);
    expect(await redo.getAttribute("aria-disabled")).toBe("true");
    expect(await redo.isDisabled()).toBe(true); // Playwright reads aria-disabled as a screen reader does
    const text = await editorTurns(page).allTextContents();
    await page.keyboard.press("Enter");
    expect(await editorTurns(page).allTextContents()).toEqual(text);

    // The button that had the keyboard last is the toolbar's Tab stop when it is left and entered again.
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter"); // find opens, its field takes the keyboard
    await expect.poll(() => isFocused(page.locator("#find-query"))).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => isFocused(find)).toBe(true);
    expect(await page.locator(".find-panel").count()).toBe(0);

    await page.keyboard.press("Home");
    const manage = toolbar.getByRole("button", { name: "Sprecher verwalten …" });
    while (!(await isFocused(manage))) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await expect.poll(() => isFocused(page.locator("#speaker-new"))).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => isFocused(manage)).toBe(true);
    expect(await tabStopsInside(page, '[role="toolbar"]')).toHaveLength(1);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("the speaker buttons of all turns and the coding stripes are one Tab stop each; arrows move between them, Enter acts", async () => {
    const { page, problems } = await openTranscript("INT-2025-0001");
    await page.locator(".ProseMirror .coding-stripe").first().waitFor();
    const turnCount = await editorTurns(page).count();
    const stripeCount = await page.locator(".ProseMirror .coding-stripe").count();
    expect(turnCount).toBeGreaterThan(20);
    expect(stripeCount).toBeGreaterThan(5);

    // From the text, Tab passes the margin in two steps (a stripe and a speaker button), then leaves the transcript.
    await editorTurns(page).first().locator(".turn-text").click();
    await page.keyboard.press("Tab");
    const stops = await tabStopsInside(page, ".ProseMirror");
    expect(stops).toHaveLength(2);
    expect(stops.filter((s) => s.includes("turn-speaker"))).toHaveLength(1);
    expect(stops.filter((s) => s.includes("coding-stripe"))).toHaveLength(1);
    // ... and reaches the coding panel after the player's few controls
    let presses = 0;
    while (!(await focused(page, ".coding-panel")).inside && presses < 30) {
      await page.keyboard.press("Tab");
      presses++;
    }
    expect((await focused(page, ".coding-panel")).inside).toBe(true);
    expect(presses).toBeLessThan(15);

    // Speaker buttons: Down/Up to the next and previous turn, End and Home to the last and first; Enter seeks.
    const speakers = page.locator(".ProseMirror .turn-speaker");
    await speakers.first().focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await isFocused(speakers.nth(2))).toBe(true);
    await page.keyboard.press("ArrowUp");
    expect(await isFocused(speakers.nth(1))).toBe(true);
    await page.keyboard.press("End");
    expect(await isFocused(speakers.last())).toBe(true);
    await page.keyboard.press("Home");
    expect(await isFocused(speakers.first())).toBe(true);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await speakers.nth(3).getAttribute("aria-describedby")).toBe("turn-speaker-keys");
    expect(await page.locator("#turn-speaker-keys").textContent()).toMatch(/Pfeiltasten auf und ab/);
    await page.keyboard.press("Enter");
    const start = Number(await editorTurns(page).nth(3).getAttribute("data-start"));
    await page.waitForFunction((ms) => Math.abs(document.querySelector("audio")!.currentTime * 1000 - ms) < 50, start);
    // The one that had the keyboard stays the group's Tab stop.
    expect(await page.locator('.ProseMirror .turn-speaker[tabindex="0"]').count()).toBe(1);
    expect(await speakers.nth(3).getAttribute("tabindex")).toBe("0");

    // Stripes: the arrows go through all of them in the text's order; Enter selects the coding and keeps the keyboard.
    const stripes = page.locator(".ProseMirror .coding-stripe");
    await stripes.first().focus();
    await page.keyboard.press("ArrowDown");
    expect(await isFocused(stripes.nth(1))).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await isFocused(stripes.nth(2))).toBe(true);
    await page.keyboard.press("ArrowLeft");
    expect(await isFocused(stripes.nth(1))).toBe(true);
    const code = await stripes.nth(1).getAttribute("data-code");
    const coding = await stripes.nth(1).getAttribute("data-coding");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(`.ProseMirror .coding-hl.is-active[data-coding="${coding}"]`).count()).toBeGreaterThan(0);
    // the stripes were drawn anew (the chosen one is marked): the keyboard is on the chosen code's stripe still
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.code ?? null)).toBe(code);
    await page.keyboard.press("End");
    expect(await isFocused(stripes.last())).toBe(true);
    expect(await page.locator('.ProseMirror .coding-stripe[tabindex="0"]').count()).toBe(1);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("skip links at the top of the page lead to the text, the player and the codings, visible when focused, in German and English", async () => {
    const { page, problems } = await openTranscript("INT-2025-0001");
    await page.locator(".coding-panel").waitFor();

    const follow = async (name: string, target: string) => {
      // from the page's first link ("Zum Inhalt springen"), the transcript's follow at once
      await page.locator("a.skip-link").first().focus();
      let link = await focused(page, "a.skip-link");
      for (let i = 0; i < 3 && link.name !== name; i++) {
        await page.keyboard.press("Tab");
        link = await focused(page, "a.skip-link");
      }
      expect(link).toMatchObject({ inside: true, name });
      // visible on focus, off screen otherwise
      const box = await page.locator("a.skip-link", { hasText: name }).boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(target);
      expect((await page.locator("a.skip-link", { hasText: name }).boundingBox())!.x).toBeLessThan(0);
    };
    await follow("Zum Text", "transcript-text");
    await follow("Zum Audio-Player", "transcript-audio");
    await follow("Zu den Codierungen", "coding-panel-title");
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "English" }).click();
    await page.locator("a.skip-link", { hasText: "Skip to the audio player" }).waitFor({ state: "attached" });
    await page.locator(".coding-panel").waitFor();
    await follow("Skip to the text", "transcript-text");
    await follow("Skip to the audio player", "transcript-audio");
    await follow("Skip to the codings", "coding-panel-title");
    await page.getByRole("button", { name: "Deutsch" }).click();
    await page.locator("a.skip-link", { hasText: "Zum Text" }).waitFor({ state: "attached" });

    // Pages without the editor have no such links.
    await page.goto(`/interviews/${await interviewOf("INT-2025-0001")}/transcript/versions`);
    expect(await page.locator("a.skip-link").allTextContents()).toEqual(["Zum Inhalt springen"]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("landing on a passage", () => {
  it("a search hit in a transcript with word timings (stored as whisper's are) sets the player to the word's time, not the turn's start", async () => {
    // INT-2025-0002 as whisper would have written it: one segment per turn, every word with its time.
    const interviewId = await interviewOf("INT-2025-0002");
    const turns = await app.db.transcriptParagraph.findMany({ where: { transcript: { interviewId } }, orderBy: { position: "asc" }, select: { startMs: true, endMs: true, text: true } });
    const segments: Segment[] = turns.map((p, i) => {
      // a pause of 1.5 s before the next turn keeps whisper's paragraphs the turns they were
      const endMs = Math.max(p.startMs + 1000, Math.min(p.endMs, (turns[i + 1]?.startMs ?? Infinity) - 1_500));
      const tokens = p.text.split(/\s+/).filter(Boolean);
      const step = (endMs - p.startMs) / tokens.length;
      return { startMs: p.startMs, endMs, text: p.text, words: tokens.map((t, k) => ({ t: ` ${t}`, s: Math.round(p.startMs + k * step), e: Math.round(p.startMs + (k + 1) * step), p: 0.9 })) };
    });
    const job = await app.db.transcriptionJob.create({ data: { interviewId, recordingId: (await app.db.recording.findFirstOrThrow({ where: { interviewId }, select: { id: true } })).id, status: "running" }, select: { id: true } });
    await app.db.$transaction((tx) => writeWhisperTranscript(tx, { id: job.id, interviewId, createdById: null }, segments, "de"));
    const stored = await app.db.transcriptParagraph.findMany({ where: { transcript: { interviewId } }, orderBy: { position: "asc" }, select: { startMs: true, words: true, text: true } });
    const turn = stored.findIndex((p) => p.text.includes("Regenzeit"));
    expect(turn).toBeGreaterThanOrEqual(0);
    const words = JSON.parse(stored[turn]!.words!) as { t: string; s: number }[];
    const wordMs = words.find((w) => w.t.includes("Regenzeit"))!.s;
    expect(wordMs - stored[turn]!.startMs).toBeGreaterThan(3_000);

    const { page, problems } = await signedIn("/search?q=Regenzeit");
    const hit = page.locator(".search-hit").first();
    await hit.waitFor();
    await hit.getByRole("link").first().press("Enter");
    await page.waitForURL(/\/transcript\?at=\d+&turn=\d+&from=\d+&to=\d+$/);
    const at = Number(new URL(page.url()).searchParams.get("at"));
    expect(at).toBe(stored[turn]!.startMs); // the link names the turn's start; the words know better
    await expect.poll(() => page.evaluate(() => window.getSelection()!.toString())).toBe("Regenzeit");
    expect(await selectionInEditorInView(page)).toBe(true);
    await page.waitForFunction((ms) => {
      const a = document.querySelector("audio");
      return !!a && a.readyState >= 1 && Math.abs(a.currentTime * 1000 - ms) < 50;
    }, wordMs);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("in a transcript the user may only read, the linked passage is selected with the focus on it, and the text is a Tab stop", async () => {
    // Without consent to transcription the transcript is shown read-only (nothing typed could be stored).
    const interviewId = await interviewOf("INT-2025-0003");
    await app.db.consentRecord.updateMany({ where: { interviewId, current: true }, data: { scopeTranscription: false } });
    const paragraphs = await app.db.transcriptParagraph.findMany({ where: { transcript: { interviewId } }, orderBy: { position: "asc" }, select: { startMs: true, text: true } });
    const turn = paragraphs.findIndex((p) => p.text.includes("Nouruz"));
    const from = [...paragraphs[turn]!.text.slice(0, paragraphs[turn]!.text.indexOf("Nouruz"))].length;

    const { page, problems } = await openTranscript("INT-2025-0003", `?at=${paragraphs[turn]!.startMs}&turn=${turn}&from=${from}&to=${from + "Nouruz".length}`);
    await page.getByText("Sie können das Transkript lesen, aber nicht bearbeiten.").or(page.getByRole("note")).first().waitFor();
    expect(await page.locator(".ProseMirror").getAttribute("contenteditable")).toBe("false");
    await expect.poll(() => page.evaluate(() => window.getSelection()!.toString())).toBe("Nouruz");
    await expect.poll(() => selectionInEditorInView(page)).toBe(true);
    expect(await page.locator(".ProseMirror").getAttribute("aria-readonly")).toBe("true");
    expect(await page.getByRole("toolbar").count()).toBe(0);

    // The text is reached by Tab like an editable one, and past it the margin is one stop.
    await page.locator(".ProseMirror .turn-speaker").first().focus();
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("ProseMirror"))).toBe(true);
    await page.keyboard.press("Tab");
    expect((await tabStopsInside(page, ".ProseMirror")).filter((s) => s.includes("turn-speaker"))).toHaveLength(1);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Find without replace, from a button reached by Tab just before the text (Ctrl+F answers only inside it).
    const find = page.getByRole("button", { name: "Im Transkript suchen" });
    await page.locator(".ProseMirror").focus();
    await page.keyboard.press("Shift+Tab");
    expect(await isFocused(find)).toBe(true);
    expect(await find.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Enter");
    await expect.poll(() => isFocused(page.locator("#find-query"))).toBe(true);
    const panel = page.getByRole("region", { name: "Im Transkript suchen" });
    expect(await panel.getByRole("button", { name: /ersetzen/i }).count()).toBe(0);
    expect(await panel.locator("#find-replacement").count()).toBe(0);
    await page.keyboard.type("Nouruz");
    await expect.poll(() => panel.getByRole("status").textContent()).toMatch(/^Treffer 1 von \d+$/);
    await page.keyboard.press("Enter"); // the next hit is marked, the keyboard stays in the field
    await expect.poll(() => page.locator(".ProseMirror .find-match.is-active").textContent()).toBe("Nouruz");
    expect(await isFocused(page.locator("#find-query"))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect.poll(() => isFocused(find)).toBe(true);
    expect(await page.locator(".find-panel").count()).toBe(0);
    expect(await find.getAttribute("aria-expanded")).toBe("false");
    // Ctrl+F from the text opens it as well, and Escape gives the keyboard back to the text, at the hit found.
    await page.locator(".ProseMirror").focus();
    await page.keyboard.press("Control+f");
    await expect.poll(() => isFocused(page.locator("#find-query"))).toBe(true);
    await page.keyboard.type("Nouruz");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("ProseMirror"))).toBe(true);
    expect(await page.evaluate(() => window.getSelection()!.toString())).toBe("Nouruz");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
