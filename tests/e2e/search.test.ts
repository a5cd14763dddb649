// Search in a real browser over the demo district (the fixture interviews with their codings, plus two biography
// notes): the researcher finds transcript passages and no notes, the integration manager finds the notes of her
// municipalities and nothing of the interviews; a hit chosen with the keyboard in the header's search box lands
// on the transcript with the audio at the passage's time. Axe finds no serious problem on the search page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { axeViolationsOf, launchBrowser, seriousAxeViolations, signedInPage, selectionInEditorInView } from "./support/browser.ts";
import { indexNote } from "../../search/hooks.server.ts";
import { rebuildEntries } from "../../search/reindex.server.ts";

let app: AppServer;
let browser: Browser;

async function note(pseudonym: string, title: string, text: string) {
  const kase = await app.db.case.findUniqueOrThrow({ where: { pseudonym }, select: { id: true } });
  const row = await app.db.biographyNote.create({
    data: { caseId: kase.id, type: "event", noteDate: new Date("2025-05-05"), title, contentJson: "{}", contentHtml: `<p>${text}</p>`, contentText: text },
    select: { id: true },
  });
  await app.db.$transaction((tx) => indexNote(tx, row.id));
}

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 20 } });
  await rebuildEntries(app.db); // whatever the seed wrote without telling search
  await note("LOE-2016-0001", "Sprechstunde", "Wohnungsbesichtigung in der Sprechstunde besprochen."); // im.loerrach's municipality
  await note("LOE-2022-0001", "Termin", "Wohnungsbesichtigung beim Jobcenter vorbereitet."); // im.weil's
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const signedIn = (username: string, to?: string) => signedInPage(browser, app.origin, username, demoPassword(username), to);

const results = (page: Page) => page.locator(".search-hit");

describe("search in the browser", () => {
  it("researcher: finds interview passages (not notes), opens one from the header box with the keyboard, audio at its time", async () => {
    const { page, problems } = await signedIn("forschung", "/search?q=Apothekerin");
    await expect.poll(() => results(page).count()).toBeGreaterThan(0);
    const sources = await results(page).locator(".search-hit-source").allInnerTexts();
    expect(sources.every((s) => s.startsWith("Transkript"))).toBe(true);
    expect(await page.locator(".search-snippet mark").first().innerText()).toMatch(/Apothekerin/i);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The header's quick search and the page's form: two search landmarks, told apart by their names.
    expect(await axeViolationsOf(page, ["landmark-unique", "aria-allowed-role"])).toEqual([]);
    await expect(page.getByRole("search", { name: "Schnellsuche" }).count()).resolves.toBe(1);
    await expect(page.getByRole("search", { name: "Suche mit Filtern" }).count()).resolves.toBe(1);

    await page.goto("/search?q=Wohnungsbesichtigung");
    await expect.poll(() => page.getByRole("heading", { name: /0 Treffer/ }).count()).toBe(1);

    // Header combobox, keyboard only.
    const box = page.getByRole("combobox", { name: "Suche" });
    await box.focus();
    await page.keyboard.type("Kenntnisprüfung");
    const listbox = page.getByRole("listbox", { name: "Suche" });
    await expect.poll(() => listbox.getByRole("option").count()).toBeGreaterThan(1);
    await page.keyboard.press("ArrowDown");
    expect(await box.getAttribute("aria-activedescendant")).toBeTruthy();
    const first = await listbox.getByRole("option").first().innerText();
    expect(first).toMatch(/Transkript/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/interviews\/[^/]+\/transcript\?at=\d+/);
    const at = Number(new URL(page.url()).searchParams.get("at"));
    // The player stands at the passage's start (the transcript editor honours ?at=).
    await page.waitForFunction((ms) => {
      const a = document.querySelector("audio");
      return !!a && Math.abs(a.currentTime * 1000 - ms) < 50;
    }, at);
    expect(problems).toEqual([]);
  });

  it("researcher: Enter on a result opens the transcript with the word found selected, the caret there and in view", async () => {
    const { page, problems } = await signedIn("forschung", "/search?q=Anerkennungsberatung");
    await expect.poll(() => results(page).count()).toBeGreaterThan(0);
    await results(page).first().getByRole("link").first().press("Enter");
    await page.waitForURL(/\/transcript\?at=\d+&turn=\d+&from=\d+&to=\d+$/);
    // The word itself, not the start of its turn: selected, focus in the text (a screen reader reads from there).
    await expect.poll(() => page.evaluate(() => window.getSelection()!.toString())).toBe("Anerkennungsberatung");
    expect(await selectionInEditorInView(page)).toBe(true);
    // No word timings in the demo transcripts: the player stands at the turn's start (the link's ?at=).
    const at = Number(new URL(page.url()).searchParams.get("at"));
    await page.waitForFunction((ms) => Math.abs(document.querySelector("audio")!.currentTime * 1000 - ms) < 50, at);
    expect(problems).toEqual([]);
  });

  it("researcher: the header box finds words by their beginning while typing, and its full results match", async () => {
    const { page, problems } = await signedIn("forschung", "/interviews");
    const box = page.getByRole("combobox", { name: "Suche" });
    await box.focus();
    await page.keyboard.type("Apothekenre");
    const listbox = page.getByRole("listbox", { name: "Suche" });
    // "Apothekenre" is no word of the interviews; "Apothekenrecht" begins with it.
    await expect.poll(() => listbox.getByRole("option").count()).toBeGreaterThan(1);
    expect(await listbox.locator("mark").first().innerText()).toMatch(/^Apothekenrecht$/i);
    await listbox.getByRole("option").last().click(); // "all results"
    await page.waitForURL(/\/search\?q=/);
    await expect.poll(() => results(page).count()).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get("q")).toBe("(Apothekenre OR Apothekenre*)");
    // Enter in the box, without choosing a suggestion, runs that same query (not the unfinished word alone).
    await page.goto("/interviews");
    await box.focus();
    await page.keyboard.type("Apothekenre");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("(Apothekenre OR Apothekenre*)");
    await expect.poll(() => results(page).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("shows code names in the reader's language", async () => {
    const { page, problems } = await signedIn("forschung", "/search?q=Zimmer");
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForLoadState("networkidle");
    await expect.poll(() => results(page).count()).toBeGreaterThan(0);
    const tags = (await page.locator(".search-codes li").allInnerTexts()).join(" | ");
    expect(tags).toContain("Housing, flat hunting");
    expect(tags).not.toContain("Unterkunft, Wohnungssuche");
    // The snippets are German transcript text: marked so, the English page around them not (WCAG 3.1.2).
    expect(new Set(await results(page).locator(".search-snippet").evaluateAll((ps) => ps.map((p) => p.getAttribute("lang"))))).toEqual(new Set(["de"]));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.getByRole("button", { name: "Deutsch" }).click(); // the account keeps its language: back for the next tests
    await page.waitForLoadState("networkidle");
    expect(problems).toEqual([]);
  });

  it("integration manager: finds the notes of her municipalities only, and nothing of the interviews", async () => {
    const { page, problems } = await signedIn("im.loerrach", "/search?q=Wohnungsbesichtigung");
    await expect.poll(() => results(page).count()).toBe(1);
    expect(await results(page).first().innerText()).toMatch(/Sprechstunde/);
    expect(await page.content()).not.toMatch(/Jobcenter vorbereitet/);
    // Another municipality's id put into the URL is dropped, not named as a filter.
    const other = await app.db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2022-0001" }, select: { municipality: { select: { id: true, name: true } } } });
    await page.goto(`/search?q=Wohnungsbesichtigung&municipality=${other.municipality.id}`);
    await expect.poll(() => results(page).count()).toBe(1);
    expect(await page.locator("main").innerText()).not.toContain(other.municipality.name);
    await page.goto("/search?q=Apothekerin");
    await expect.poll(() => page.getByRole("heading", { name: /0 Treffer/ }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("researcher: *prüfung finds the compounds that end in it, marked in the snippets", async () => {
    const { page, problems } = await signedIn("forschung");
    // A single word's results offer the search for it as a word end, with the filters kept.
    await page.goto(`/search?q=Pr%C3%BCfung&kind=paragraph`);
    await page.getByRole("link", { name: "*Prüfung" }).click();
    await page.waitForURL((u) => u.searchParams.get("q") === "*Prüfung" && u.searchParams.get("kind") === "paragraph");
    await expect.poll(() => results(page).count()).toBeGreaterThan(1);
    expect((await results(page).locator(".search-hit-source").allInnerTexts()).every((s) => s.startsWith("Transkript"))).toBe(true);
    await page.goto(`/search?q=${encodeURIComponent("*prüfung")}`);
    await expect.poll(() => results(page).count()).toBeGreaterThan(1);
    const marked = new Set(await page.locator(".search-snippet mark").allInnerTexts());
    expect(marked).toContain("Kenntnisprüfung");
    expect(marked).toContain("Fachsprachprüfung");
    expect(marked).not.toContain("Prüfen"); // a memo's "Prüfen, ob ...": stem "pruf", the end of "kenntnispruf" only
    await page.goto(`/search?q=${encodeURIComponent("*ab")}`);
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/mindestens drei Buchstaben/);
    // The header's list says the same instead of "no suggestions".
    await page.getByRole("combobox", { name: "Suche" }).fill("*ab");
    await expect.poll(() => page.getByRole("listbox", { name: "Suche" }).getByRole("option").first().innerText()).toMatch(/mindestens drei Buchstaben/);
    await page.getByRole("combobox", { name: "Suche" }).fill("*sprachprüfung");
    await expect.poll(() => page.getByRole("listbox", { name: "Suche" }).locator("mark").allInnerTexts()).toContain("Fachsprachprüfung");
    expect(problems).toEqual([]);
  });

  it("a query the syntax cannot take gets a hint, not an error page", async () => {
    const { page } = await signedIn("forschung");
    const response = await page.goto('/search?q=%22Apothekerin');
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/Anführungszeichen/);
    // Dates the wrong way round: said, not a silent "0 Treffer".
    await page.goto("/search?q=Apothekerin&from=2026-01-01&to=2024-01-01");
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/„von“ liegt nach „bis“/);
  });
});
