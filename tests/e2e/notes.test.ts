// Biography notes and memos in Debian's Chromium against the real server.
//
// A hostile snippet pasted into the biography note editor, in Debian's Chromium against the real server and its
// Content-Security-Policy: script tags, event handlers, javascript: links (also with a tab inside), svg, iframe.
// After saving and reloading, the list and the editor show the harmless parts (bold text, an https link) and no
// script ran: the page's `window.__xss` flag stays unset and no dialog opened, not even on hover or click.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import mammoth from "mammoth";
import { demoPassword, startAppServer, type AppServer } from "../support/app-server.ts";
import { launchBrowser, loginInBrowser, seriousAxeViolations, signedInPage, watchPage } from "./support/browser.ts";
import { addConsentVersion, consentSelect, withoutScopes } from "../../app/interviews/consent.server.ts";

const HOSTILE = [
  `<p><strong>Wichtig:</strong> Termin beim Jobcenter <a href="https://example.org/termin">Einladung</a></p>`,
  `<img src=x onerror="window.__xss='img';alert('img')">`,
  `<svg onload="window.__xss='svg'"><circle r="5"/></svg>`,
  `<script>window.__xss='script'</script>`,
  `<p onmouseover="window.__xss='hover'">Maus hierher</p>`,
  `<p><a href="javascript:window.__xss='link';alert('link')">Klick mich</a></p>`,
  `<p><a href="jav&#x09;ascript:window.__xss='tab'">Tab-Link</a></p>`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<details open ontoggle="window.__xss='toggle'"><summary>mehr</summary></details>`,
  `<p style="background:url(javascript:window.__xss='style')">Stil</p>`,
].join("");
/** A loaded machine (other test runs) can take seconds to hydrate or re-render. */
const POLL = { timeout: 15_000 };
/** A page.evaluate inside expect.poll, limited (the poll awaits its callback without a limit of its own). */
const answered = <T,>(evaluation: Promise<T>) =>
  Promise.race([evaluation, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the page did not answer within 5 s")), 5000))]);
const HANDLERS = (HOSTILE.match(/ on[a-z]+=/g) ?? []).length;

/** Opens a memo's edit page and types at the end of its text (nothing saved yet). */
async function typeAtMemoEnd(page: Page, memoId: string, text: string) {
  await page.goto(`/memos/${memoId}/edit`);
  await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
  await page.getByRole("textbox", { name: "Text" }).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

let app: AppServer;
let browser: Browser;
let caseId: string;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 20 } });
  // Mariam R. (LOE-2019-0001) lives in Lörrach: a case of im.loerrach.
  caseId = (await app.db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2019-0001" }, select: { id: true } })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** im.loerrach on a new biography note of her case, the editor hydrated (its toolbar replaced the plain textarea). */
async function newNoteAsManager() {
  const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, "im.loerrach", "Demo-IM-2025!", `/cases/${caseId}/notes/new`);
  await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
  return { context, page, problems };
}

/** No script ran: neither the flag nor a dialog. */
async function expectNoScriptRan(page: Page, dialogs: string[]) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations)).toEqual([]);
  expect(dialogs).toEqual([]);
}

/** A real paste event carrying HTML, as the clipboard of a word processor or a web page delivers it. */
async function pasteHtml(editor: Locator, html: string) {
  await editor.click();
  await editor.evaluate((el, payload) => {
    const data = new DataTransfer();
    data.setData("text/html", payload);
    data.setData("text/plain", "fallback");
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
}

// Desktop Word's clipboard: list items are paragraphs with `mso-list` styles and their own bullet or number.
const WORD_LISTS = [
  `<p class=MsoNormal>Vereinbart:</p>`,
  `<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Sprachkurs B2 anmelden<o:p></o:p></p>`,
  `<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>bei der VHS Lörrach<o:p></o:p></p>`,
  `<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Anerkennung beantragen<o:p></o:p></p>`,
  `<p class=MsoNormal>Reihenfolge:</p>`,
  `<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Zeugnis übersetzen<o:p></o:p></p>`,
  `<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Antrag stellen<o:p></o:p></p>`,
].join("\n");

describe("pasting from Word", () => {
  it("keeps bulleted, nested and numbered lists as lists, without Word's own bullet characters", async () => {
    const { context, page, problems } = await newNoteAsManager();
    const editor = page.getByRole("textbox", { name: "Text" });
    await pasteHtml(editor, WORD_LISTS);
    await expect.poll(() => editor.textContent(), POLL).toContain("Antrag stellen");
    const structure = await editor.evaluate((el) =>
      Array.from(el.querySelectorAll("li")).map((li) => `${li.parentElement!.tagName}${li.parentElement!.closest("li") ? " nested" : ""}: ${li.querySelector("p")!.textContent!.trim()}`),
    );
    expect(structure).toEqual([
      "UL: Sprachkurs B2 anmelden",
      "UL nested: bei der VHS Lörrach",
      "UL: Anerkennung beantragen",
      "OL: Zeugnis übersetzen",
      "OL: Antrag stellen",
    ]);
    expect(await editor.textContent()).not.toMatch(/[·]|1\.|\bo\s*bei/);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("pasting headings and tables", () => {
  it("keeps h1/h2 as the editor's two heading levels and a table's rows as paragraphs with their cells apart, after saving too", async () => {
    const { context, page, problems } = await newNoteAsManager();
    await page.getByLabel("Art").selectOption("event");
    await page.getByLabel("Datum").fill("2025-02-04");
    await page.getByLabel("Titel").fill("Bericht mit Tabelle");
    const editor = page.getByRole("textbox", { name: "Text" });
    await pasteHtml(editor, `<h1>Bericht</h1><p>Einleitung</p><h2>Termine</h2><table><tbody><tr><th>Tag</th><th>Ort</th></tr><tr><td><p class=MsoNormal>Zelle A</p></td><td>Zelle B</td></tr></tbody></table>`);
    await expect.poll(() => editor.textContent(), POLL).toContain("Zelle B");
    const blocks = () => editor.evaluate((el) => Array.from(el.children).map((c) => `${c.tagName}: ${c.textContent}`));
    const expected = ["H3: Bericht", "P: Einleitung", "H4: Termine", "P: Tag Ort", "P: Zelle A Zelle B"];
    expect(await blocks()).toEqual(expected);

    await page.getByRole("button", { name: "Notiz anlegen" }).click();
    await page.waitForURL(/\/notes\/[^/]+\?saved=1$/);
    const stored = await app.db.biographyNote.findFirstOrThrow({ where: { caseId, title: "Bericht mit Tabelle" }, select: { contentHtml: true } });
    expect(stored.contentHtml).toBe("<h3>Bericht</h3><p>Einleitung</p><h4>Termine</h4><p>Tag Ort</p><p>Zelle A Zelle B</p>");
    await page.reload();
    // Before hydration the text stands in the plain textarea, which has no blocks: wait for the editor.
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
    await expect.poll(() => page.getByRole("textbox", { name: "Text" }).textContent(), POLL).toContain("Zelle B");
    expect(await blocks()).toEqual(expected);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("biography note editor against pasted scripts", () => {
  it("keeps formatting and a safe link, drops every script, and nothing runs after saving and reloading", async () => {
    const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
    const page = await context.newPage();
    const problems = watchPage(page);
    // Violations of the CSP in the page itself (the CSP would block a handler that slipped through; none may try).
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __cspViolations: string[] }).__cspViolations = []);
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`), true);
    });
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await loginInBrowser(page, "im.loerrach", "Demo-IM-2025!");

    const response = await page.goto(`/cases/${caseId}/notes/new`);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    const editor = page.getByRole("textbox", { name: "Text" });
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor(); // hydrated: the editor replaced the plain textarea
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel("Art").selectOption("event");
    await page.getByLabel("Datum").fill("2025-02-03");
    await page.getByLabel("Titel").fill("Einladung Jobcenter");
    await pasteHtml(editor, HOSTILE);
    await expect.poll(() => editor.textContent(), POLL).toContain("Klick mich");
    // Chromium reports every inline handler it meets while parsing HTML, even in the inert document the editor
    // parses the clipboard in (nothing there runs; DOMParser and <template> do the same). So the paste itself
    // may report the payload's handlers as blocked attributes, nothing else; from here on nothing may.
    const duringPaste = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.splice(0));
    expect(duringPaste.length).toBeLessThanOrEqual(HANDLERS);
    expect(duringPaste.every((v) => v.startsWith("script-src-attr inline"))).toBe(true);
    expect(problems.splice(0).filter((p) => !p.includes("Executing inline event handler violates"))).toEqual([]);
    // The editor's schema already dropped what it does not know.
    expect(await editor.locator("img, svg, script, iframe, details, [onmouseover], [style]").count()).toBe(0);
    expect(await editor.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["https://example.org/termin"]);
    await expectNoScriptRan(page, dialogs);

    await page.getByRole("button", { name: "Notiz anlegen" }).click();
    await page.waitForURL(/\/notes\/[^/]+\?saved=1$/);
    await page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();

    const stored = await app.db.biographyNote.findFirstOrThrow({ where: { caseId, title: "Einladung Jobcenter" }, select: { contentHtml: true, contentJson: true } });
    expect(stored.contentHtml).not.toMatch(/<script|<img|<svg|<iframe|onerror|onload|onmouseover|ontoggle|javascript:|style=/i);
    expect(stored.contentHtml).toContain('<strong>Wichtig:</strong>');
    expect(stored.contentHtml).toContain('<a href="https://example.org/termin" rel="noopener noreferrer">Einladung</a>');
    expect(stored.contentJson).not.toMatch(/javascript|onerror|onload/i);

    // Reload the note (the editor loads the stored document) and the list (the stored HTML is shown as HTML).
    await page.reload();
    await expect.poll(() => page.getByRole("textbox", { name: "Text" }).textContent(), POLL).toContain("Maus hierher");
    await expectNoScriptRan(page, dialogs);

    await page.goto(`/cases/${caseId}/notes`);
    const shown = page.locator(".note-item").filter({ hasText: "Einladung Jobcenter" }).locator(".rich-text");
    await shown.getByText("Maus hierher").hover();
    await shown.getByText("Klick mich").click();
    await shown.getByText("Tab-Link").click();
    expect(await shown.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.getAttribute("rel")]))).toEqual([["https://example.org/termin", "noopener noreferrer"]]);
    expect(page.url()).toContain(`/cases/${caseId}/notes`); // the former javascript: links are plain text now
    await expectNoScriptRan(page, dialogs);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  // Under load (reproduced with a search benchmark beside it: 3 of about 25 runs) this test timed out with no step
  // failing: vitest's expect.poll awaits its callback without a time limit, so a page.evaluate that never answers or
  // a locator that auto-waits 30 s outlasts the test. Now every call inside a poll has a short limit (a failure says
  // where), it waits until the editor's own state has the selection before going to the toolbar, and it is retried
  // while the cause of the one hang seen in page.evaluate is not known.
  it("formats with the toolbar by keyboard and keeps it after saving", { retry: 2 }, async () => {
    const { context, page, problems } = await newNoteAsManager();
    await page.getByLabel("Art").selectOption("goal");
    await page.getByLabel("Datum").fill("2026-06-30");
    await page.getByLabel("Titel").fill("Ziel mit Liste");
    const editor = page.getByRole("textbox", { name: "Text" });
    await editor.click();
    await page.keyboard.type("Wohnung suchen");
    await expect.poll(() => editor.textContent({ timeout: 1000 }), POLL).toBe("Wohnung suchen");
    await page.keyboard.press("Shift+Home");
    // Tiptap keeps its editor on the editable element: wait until the selection has reached the editor's state.
    const selected = () => answered(page.evaluate(() => {
      const el = document.querySelector(".ProseMirror") as (Element & { editor?: { state: { selection: { from: number; to: number } } } }) | null;
      const sel = el?.editor?.state.selection;
      return sel ? sel.to - sel.from : -1;
    }));
    await expect.poll(selected, POLL).toBe("Wohnung suchen".length);
    const focused = () => answered(page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.getAttribute("role")));
    // Into the toolbar (one tab stop), then arrows: Bold is first, the bullet list the seventh button.
    await page.getByRole("button", { name: "Fett" }).focus();
    await page.keyboard.press("Enter"); // applies and returns to the text (Tiptap focuses on the next frame)
    await expect.poll(focused, POLL).toBe("textbox");
    await expect.poll(() => editor.locator("strong").textContent({ timeout: 1000 }), POLL).toBe("Wohnung suchen");
    await page.keyboard.press("Shift+Tab"); // the toolbar is one tab stop before the text
    await expect.poll(focused, POLL).toBe("Fett");
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(focused, POLL).toBe("Aufzählung");
    await page.keyboard.press("Enter");
    await expect.poll(() => editor.locator("ul li strong").count(), POLL).toBe(1);
    await expect.poll(() => page.getByRole("button", { name: "Fett" }).getAttribute("aria-pressed", { timeout: 1000 }), POLL).toBe("true");
    await page.getByRole("button", { name: "Notiz anlegen" }).click();
    await page.waitForURL(/\?saved=1$/);
    const stored = await app.db.biographyNote.findFirstOrThrow({ where: { caseId, title: "Ziel mit Liste" }, select: { contentHtml: true } });
    expect(stored.contentHtml).toBe("<ul><li><p><strong>Wohnung suchen</strong></p></li></ul>");
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("saving a note", () => {
  it("a second click while the first save is on its way creates no second note", async () => {
    const { context, page, problems } = await newNoteAsManager();
    await page.getByLabel("Art").selectOption("goal");
    await page.getByLabel("Titel").fill("Nur einmal");
    await page.getByRole("textbox", { name: "Text" }).click();
    await page.keyboard.type("Termin beim Sprachkurs");
    // The server has the first post at once; its answer is held back, as on a slow line.
    await page.route("**/notes/new**", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.fulfill({ response });
    });
    const button = page.getByRole("button", { name: "Notiz anlegen" });
    await button.scrollIntoViewIfNeeded();
    const box = (await button.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(200);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/\?saved=1$/);
    await page.waitForTimeout(500);
    await expect(app.db.biographyNote.count({ where: { caseId, title: "Nur einmal" } })).resolves.toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("leaving a note form", () => {
  it("asks before a link leaves typed text unsaved; staying keeps the text", async () => {
    const { context, page, problems } = await newNoteAsManager();
    const toCases = page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Fälle" });
    // Nothing typed: no question.
    await toCases.click();
    await page.waitForURL((u) => u.pathname === "/cases");
    await page.goBack();
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();

    await page.getByLabel("Titel").fill("Nicht verlieren");
    await page.getByRole("textbox", { name: "Text" }).click();
    await page.keyboard.type("Wichtiger Gedanke");
    const questions: string[] = [];
    page.once("dialog", (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await toCases.click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toBe("Ihre Eingaben sind noch nicht gespeichert. Seite trotzdem verlassen?");
    expect(new URL(page.url()).pathname).toBe(`/cases/${caseId}/notes/new`);
    await expect(page.getByLabel("Titel").inputValue()).resolves.toBe("Nicht verlieren");
    await expect(page.getByRole("textbox", { name: "Text" }).textContent()).resolves.toBe("Wichtiger Gedanke");

    page.once("dialog", (d) => void d.accept());
    await toCases.click();
    await page.waitForURL((u) => u.pathname === "/cases");
    expect(problems).toEqual([]);
    await context.close();
  });
});

/** A researcher's own browser, logged in. */
async function asResearcher(to?: string) {
  const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, "forschung", "Demo-Forschung-2025!", to);
  return { context, page, problems };
}

describe("memos in the browser", () => {
  it("a researcher writes a memo on an interview from its memo tab and finds it in the filtered list", async () => {
    const interview = await app.db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0001" }, select: { id: true } });
    const { context, page, problems } = await asResearcher(`/interviews/${interview.id}/memos`);
    await page.getByRole("link", { name: "Neues Memo zu diesem Interview" }).click();
    await page.waitForURL(/\/memos\/new\?interviewId=/);
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor(); // hydrated: the editor replaced the plain textarea
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel("Titel").fill("Anerkennung und Selbstbild");
    await page.getByLabel("Art des Memos").selectOption("theory");
    await page.getByRole("textbox", { name: "Text" }).click();
    await page.keyboard.type("Die Teilanerkennung prägt das Selbstbild.");
    await page.getByRole("button", { name: "Memo anlegen" }).click();
    await page.waitForURL(/\/memos\/[^/?]+$/);
    await page.getByRole("heading", { level: 1, name: "Anerkennung und Selbstbild" }).waitFor();
    expect(await page.getByRole("link", { name: "Interview: INT-2025-0001" }).count()).toBe(1);

    await page.goto("/memos?type=theory&q=selbstbild");
    expect(await page.getByRole("link", { name: "Anerkennung und Selbstbild" }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The filtered list as a Word document: the memo with its text, and the filters it was made with; identifying
    // details replaced unless the box is unticked (ADR 0019).
    const redact = page.getByRole("checkbox", { name: "Identitätsangaben ersetzen" });
    expect(await redact.isChecked()).toBe(true);
    const [replaced] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Als Word-Dokument exportieren" }).click()]);
    expect(replaced.suggestedFilename()).toMatch(/^Memos-pseudonymisiert-\d{4}-\d{2}-\d{2}\.docx$/);
    expect((await mammoth.extractRawText({ path: (await replaced.path())! })).value).toContain("Pseudonymisiert: Identitätsangaben");
    await redact.uncheck();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Als Word-Dokument exportieren" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Memos-\d{4}-\d{2}-\d{2}\.docx$/);
    const exported = (await mammoth.extractRawText({ path: (await download.path())! })).value;
    expect(exported).not.toContain("Pseudonymisiert");
    expect(exported).toContain("Anerkennung und Selbstbild");
    expect(exported).toContain("Die Teilanerkennung prägt das Selbstbild.");
    expect(exported).toContain("Art des Memos: Theorie");
    await page.goto(`/interviews/${interview.id}/memos`);
    expect(await page.getByRole("link", { name: "Anerkennung und Selbstbild" }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("memos on a code and on a coded passage", () => {
  it("are written from the code's page and from the coding card, and the code's page lists its memos", async () => {
    const code = await app.db.code.findUniqueOrThrow({ where: { key: "STR.ANE" }, select: { id: true } });
    const { context, page, problems } = await asResearcher(`/codebook/${code.id}`);
    await page.getByRole("link", { name: "Memo zum Code schreiben" }).click();
    await page.waitForURL(/\/memos\/new\?codeId=/);
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
    // A memo on a code is a code memo unless the person chooses otherwise.
    await expect(page.getByLabel("Art des Memos").inputValue()).resolves.toBe("code");
    await page.getByLabel("Titel").fill("Anerkennung als Prozess");
    await page.getByRole("textbox", { name: "Text" }).click();
    await page.keyboard.type("Abgrenzung zu KUL.SPR schärfen.");
    await page.getByRole("button", { name: "Memo anlegen" }).click();
    await page.waitForURL(/\/memos\/[^/?]+$/);
    await page.goto(`/codebook/${code.id}`);
    expect(await page.getByRole("link", { name: "Anerkennung als Prozess" }).count()).toBe(1);

    // From a coding card in the transcript: the memo form opens with the passage as its target.
    const coding = await app.db.coding.findFirstOrThrow({ select: { id: true, interviewId: true } });
    await page.goto(`/interviews/${coding.interviewId}/transcript`);
    const memoLink = page.locator(`#coding-item-${coding.id}`).getByRole("link", { name: /^Memo zur Codierung/ });
    await memoLink.click();
    await page.waitForURL((u) => u.pathname === "/memos/new" && u.searchParams.get("codingId") === coding.id);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("memos of an interview whose consent no longer covers analysis", () => {
  it("are left out of the lists with one sentence saying why, and the memo's pages say so with the interview's code and nothing of the memo", async () => {
    const interview = await app.db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0003" }, select: { id: true } });
    const researcher = await app.db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
    const memo = await app.db.memo.create({
      data: { type: "reflection", title: "Stille nach der Flucht", contentJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Schweigen als Schutz." }] }] }), contentHtml: "<p>Schweigen als Schutz.</p>", contentText: "Schweigen als Schutz.", interviewId: interview.id, authorId: researcher.id },
      select: { id: true },
    });
    // A consent version with or without analysis (without: as a withdrawal writes it before its erasers have run).
    const setAnalysis = (on: boolean) =>
      app.db.$transaction(async (tx) => {
        const current = await tx.consentRecord.findFirstOrThrow({ where: { interviewId: interview.id, current: true }, select: consentSelect });
        if (current.scopeAnalysis !== on) await addConsentVersion(null, null, tx, interview.id, { ...withoutScopes(current, []), scopeAnalysis: on });
      });
    try {
      const { context, page, problems } = await asResearcher();
      // The author is writing when the consent stops covering analysis: the save is refused, the words stay.
      await typeAtMemoEnd(page, memo.id, " Neuer Gedanke beim Lesen.");
      await setAnalysis(false);
      await page.getByRole("button", { name: "Änderungen speichern" }).click();
      await page.getByRole("alert").filter({ hasText: "Nicht gespeichert: Die Einwilligung zum Interview INT-2025-0003" }).waitFor();
      await expect(page.getByRole("textbox", { name: "Text" }).textContent()).resolves.toBe("Schweigen als Schutz. Neuer Gedanke beim Lesen.");
      expect(await page.getByRole("button", { name: "Memo löschen" }).count()).toBe(0);
      expect((await app.db.memo.findUniqueOrThrow({ where: { id: memo.id }, select: { contentText: true } })).contentText).toBe("Schweigen als Schutz.");
      const hidden = "1 Memo ist ausgeblendet: Die Einwilligung deckt die Auswertung nicht ab.";
      await page.goto("/memos");
      await page.getByText(hidden).waitFor();
      expect(await page.getByRole("link", { name: "Stille nach der Flucht" }).count()).toBe(0);
      await page.goto(`/interviews/${interview.id}/memos`);
      await page.getByText(hidden).waitFor();
      expect(await page.getByText("Ohne Einwilligung in die Auswertung können keine Memos angelegt werden.").count()).toBe(1);

      for (const path of [`/memos/${memo.id}`, `/memos/${memo.id}/edit`]) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(403);
        await page.getByRole("heading", { level: 1, name: /^Memo ausgeblendet/ }).waitFor();
        expect(await page.getByRole("alert").innerText()).toContain("Die Einwilligung zum Interview INT-2025-0003 deckt die Auswertung nicht mehr ab.");
        // Nothing of the memo in the page, its title or its data for hydration.
        expect(await page.content(), path).not.toMatch(/Stille nach der Flucht|Schweigen als Schutz/);
        expect(await seriousAxeViolations(page)).toEqual([]);
      }
      // The refusals' 403 are the only console errors (Chromium reports the status of the document).
      expect(problems.filter((p) => !p.includes("status of 403"))).toEqual([]);

      // Consent to analysis again: the memo is back, unchanged.
      await setAnalysis(true);
      await page.goto(`/memos/${memo.id}`);
      await page.getByRole("heading", { level: 1, name: "Stille nach der Flucht" }).waitFor();
      await page.goto("/memos");
      expect(await page.getByRole("link", { name: "Stille nach der Flucht" }).count()).toBe(1);
      expect(await page.getByText(hidden).count()).toBe(0);
      await context.close();
    } finally {
      await setAnalysis(true);
      await app.db.memo.deleteMany({ where: { id: memo.id } });
    }
  });
});

describe("memos on a case none of whose interviews' consent covers analysis any more", () => {
  it("are hidden like an interview's memos, and their pages name the case instead of an interview", async () => {
    const kase = await app.db.case.findFirstOrThrow({ where: { interviews: { some: { code: "INT-2025-0003" } } }, select: { id: true, pseudonym: true, interviews: { select: { id: true } } } });
    const researcher = await app.db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
    const memo = await app.db.memo.create({
      data: { type: "case", title: "Fallverlauf Zuversicht", contentJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Zuversicht trotz Absagen." }] }] }), contentHtml: "<p>Zuversicht trotz Absagen.</p>", contentText: "Zuversicht trotz Absagen.", caseId: kase.id, authorId: researcher.id },
      select: { id: true },
    });
    // The case's interviews that allow analysis now: without it, then back (the others stay as they are).
    const analysed = await app.db.consentRecord.findMany({ where: { interviewId: { in: kase.interviews.map((i) => i.id) }, current: true, scopeAnalysis: true }, select: { interviewId: true } });
    expect(analysed.length).toBeGreaterThan(0);
    const setAnalysis = (on: boolean) =>
      app.db.$transaction(async (tx) => {
        for (const { interviewId: id } of analysed) {
          const current = await tx.consentRecord.findFirstOrThrow({ where: { interviewId: id, current: true }, select: consentSelect });
          if (current.scopeAnalysis !== on) await addConsentVersion(null, null, tx, id, { ...withoutScopes(current, []), scopeAnalysis: on });
        }
      });
    try {
      const { context, page, problems } = await asResearcher();
      await typeAtMemoEnd(page, memo.id, " Noch ein Gedanke.");
      await setAnalysis(false);
      await page.getByRole("button", { name: "Änderungen speichern" }).click();
      await page.getByRole("alert").filter({ hasText: `Nicht gespeichert: Keines der Interviews zum Fall ${kase.pseudonym} hat inzwischen noch eine Einwilligung` }).waitFor();
      await expect(page.getByRole("textbox", { name: "Text" }).textContent()).resolves.toBe("Zuversicht trotz Absagen. Noch ein Gedanke.");

      await page.goto("/memos?target=case");
      await page.getByText(/Memos? (ist|sind) ausgeblendet: Die Einwilligung deckt die Auswertung nicht ab\./).waitFor();
      expect(await page.getByRole("link", { name: "Fallverlauf Zuversicht" }).count()).toBe(0);
      const res = await page.goto(`/memos/${memo.id}`);
      expect(res?.status()).toBe(403);
      await page.getByRole("heading", { level: 1, name: /^Memo ausgeblendet/ }).waitFor();
      expect(await page.getByRole("alert").innerText()).toContain(`Keines der Interviews zum Fall ${kase.pseudonym} hat noch eine Einwilligung, die die Auswertung abdeckt.`);
      expect(await page.content()).not.toMatch(/Fallverlauf Zuversicht|Zuversicht trotz/);
      expect(problems.filter((p) => !p.includes("status of 403"))).toEqual([]);

      await setAnalysis(true);
      await page.goto(`/memos/${memo.id}`);
      await page.getByRole("heading", { level: 1, name: "Fallverlauf Zuversicht" }).waitFor();
      await context.close();
    } finally {
      await setAnalysis(true);
      await app.db.memo.deleteMany({ where: { id: memo.id } });
    }
  });
});

describe("two people editing one note", () => {
  // Two integration managers of the same municipality have the note open; the first saves. The second's save is
  // refused (it was based on the older version), but their text must not be lost: it stays in the editor, the
  // newer text can be read beside it, and saving again keeps both (theirs as the next version, the other in the
  // history). A note deleted meanwhile: the text stays and can be created as a new note.
  it("a refused save keeps the text in the editor and saves it deliberately as the next version", async () => {
    const noteId = (await app.db.biographyNote.create({
      data: { caseId, type: "event", noteDate: new Date("2025-03-01T00:00:00Z"), title: "Gemeinsame Notiz", contentJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Ausgangstext." }] }] }), contentHtml: "<p>Ausgangstext.</p>", contentText: "Ausgangstext.", version: 1, versions: { create: { version: 1, type: "event", noteDate: new Date("2025-03-01T00:00:00Z"), title: "Gemeinsame Notiz", contentJson: "{}", contentHtml: "<p>Ausgangstext.</p>" } } },
      select: { id: true },
    })).id;
    const open = async () => {
      const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
      const page = await context.newPage();
      await loginInBrowser(page, "im.loerrach", "Demo-IM-2025!", `/cases/${caseId}/notes/${noteId}`);
      await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
      return { context, page, problems: watchPage(page) };
    };
    const first = await open();
    const second = await open();
    const type = async (page: Page, text: string) => {
      await page.getByRole("textbox", { name: "Text" }).click();
      await page.keyboard.press("Control+End");
      await page.keyboard.type(text);
    };
    await type(first.page, " Von der ersten Person.");
    await first.page.getByRole("button", { name: "Änderungen speichern" }).click();
    await first.page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();

    await type(second.page, " Lange Eingabe der zweiten Person.");
    await second.page.getByRole("button", { name: "Änderungen speichern" }).click();
    const alert = second.page.getByRole("alert").filter({ hasText: "inzwischen von jemand anderem gespeichert (jetzt Version 2)" });
    await alert.waitFor();
    const editor = second.page.getByRole("textbox", { name: "Text" });
    await expect.poll(() => editor.textContent(), POLL).toBe("Ausgangstext. Lange Eingabe der zweiten Person.");
    // Still unsaved after the refusal: leaving asks (staying keeps the text).
    const asked: string[] = [];
    second.page.once("dialog", (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await second.page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Fälle" }).click();
    await expect.poll(() => asked.length).toBe(1);
    await expect.poll(() => editor.textContent(), POLL).toBe("Ausgangstext. Lange Eingabe der zweiten Person.");
    await alert.getByText("Neuere Fassung (Version 2) ansehen").click();
    await alert.getByText("Ausgangstext. Von der ersten Person.").waitFor();
    expect(await seriousAxeViolations(second.page)).toEqual([]);

    await second.page.getByRole("button", { name: "Meine Fassung als Version 3 speichern" }).click();
    await second.page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();
    const versions = await app.db.biographyNoteVersion.findMany({ where: { noteId }, orderBy: { version: "asc" }, select: { version: true, contentHtml: true } });
    expect(versions.map((v) => [v.version, v.contentHtml])).toEqual([
      [1, "<p>Ausgangstext.</p>"],
      [2, "<p>Ausgangstext. Von der ersten Person.</p>"],
      [3, "<p>Ausgangstext. Lange Eingabe der zweiten Person.</p>"],
    ]);

    // Deleted meanwhile: the first person deletes, the second (still on version 3) types on and saves.
    await type(second.page, " Noch ein Satz.");
    await first.page.reload();
    await first.page.getByLabel("Rechtsgrundlage der Löschung (Pflichtangabe)").selectOption({ label: "Unrichtige Angabe, falsch erfasst (Art. 16 DSGVO)" });
    await first.page.getByRole("button", { name: "Notiz löschen" }).click();
    await first.page.waitForURL(/\/notes\?deleted=1$/);
    await second.page.getByRole("button", { name: "Änderungen speichern" }).click();
    await second.page.getByRole("alert").filter({ hasText: "Diese Notiz gibt es nicht mehr" }).waitFor();
    await expect.poll(() => editor.textContent(), POLL).toBe("Ausgangstext. Lange Eingabe der zweiten Person. Noch ein Satz.");
    await second.page.getByRole("button", { name: "Als neue Notiz anlegen" }).click();
    // The page may already stand on the old note's "?saved=1" from an earlier save: wait for the new note's address.
    await second.page.waitForURL((url) => /\/notes\/[^/]+$/.test(url.pathname) && url.search === "?saved=1" && !url.pathname.endsWith(`/${noteId}`));
    const created = await app.db.biographyNote.findFirstOrThrow({ where: { caseId, title: "Gemeinsame Notiz" }, select: { id: true, version: true, contentText: true } });
    expect(created.id).not.toBe(noteId);
    expect([created.version, created.contentText]).toEqual([1, "Ausgangstext. Lange Eingabe der zweiten Person. Noch ein Satz."]);
    // The failed save's 409 and 404 are the only console messages (Chromium logs every 4xx response).
    expect([...first.problems, ...second.problems].filter((p) => !/status of (409|404)/.test(p))).toEqual([]);
    await first.context.close();
    await second.context.close();
  });

  it("memos too: the author's refused save (saved meanwhile in the author's other window) stays in the editor and replaces the newer text only when saved again", async () => {
    const interview = await app.db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0001" }, select: { id: true } });
    const author = await app.db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
    const memoId = (await app.db.memo.create({
      data: { type: "reflection", title: "Zwei Fenster", interviewId: interview.id, authorId: author.id, contentJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Erste Fassung." }] }] }), contentHtml: "<p>Erste Fassung.</p>", contentText: "Erste Fassung." },
      select: { id: true },
    })).id;
    const open = async (username: string, password: string) => {
      const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
      const page = await context.newPage();
      await loginInBrowser(page, username, password, `/memos/${memoId}/edit`);
      await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
      await page.getByRole("textbox", { name: "Text" }).click();
      await page.keyboard.press("Control+End");
      return { context, page, problems: watchPage(page) };
    };
    // Only the author changes a memo: the other window is the author's own, in a second browser context.
    const other = await open("forschung", "Demo-Forschung-2025!");
    const mine = await open("forschung", "Demo-Forschung-2025!");
    await other.page.keyboard.type(" Aus dem anderen Fenster.");
    await other.page.getByRole("button", { name: "Änderungen speichern" }).click();
    await other.page.waitForURL(/\/memos\/[^/]+$/);
    await mine.page.keyboard.type(" Meine Ergänzung.");
    await mine.page.getByRole("button", { name: "Änderungen speichern" }).click();
    const alert = mine.page.getByRole("alert").filter({ hasText: "Das Memo wurde inzwischen gespeichert" });
    await alert.waitFor();
    await expect.poll(() => mine.page.getByRole("textbox", { name: "Text" }).textContent(), POLL).toBe("Erste Fassung. Meine Ergänzung.");
    expect((await app.db.memo.findUniqueOrThrow({ where: { id: memoId }, select: { contentText: true } })).contentText).toBe("Erste Fassung. Aus dem anderen Fenster.");
    await alert.getByText("Neuere Fassung ansehen").click();
    await alert.getByText("Erste Fassung. Aus dem anderen Fenster.").waitFor();
    expect(await seriousAxeViolations(mine.page)).toEqual([]);
    await mine.page.getByRole("button", { name: "Meine Fassung speichern" }).click();
    await mine.page.waitForURL(/\/memos\/[^/]+$/);
    expect((await app.db.memo.findUniqueOrThrow({ where: { id: memoId }, select: { contentText: true } })).contentText).toBe("Erste Fassung. Meine Ergänzung.");
    expect([...other.problems, ...mine.problems].filter((p) => !/status of 409/.test(p))).toEqual([]);
    await other.context.close();
    await mine.context.close();
  });
});

describe("deleting a note for good", () => {
  it("asks for the legal ground: without one nothing is deleted and the note typed stays; with one the log names it", async () => {
    const noteId = (await app.db.biographyNote.create({
      data: { caseId, type: "other", noteDate: new Date("2025-03-02T00:00:00Z"), title: "Falsch zugeordnet", contentJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Gehört zu einem anderen Fall." }] }] }), contentHtml: "<p>Gehört zu einem anderen Fall.</p>", contentText: "Gehört zu einem anderen Fall.", version: 1, versions: { create: { version: 1, type: "other", noteDate: new Date("2025-03-02T00:00:00Z"), title: "Falsch zugeordnet", contentJson: "{}", contentHtml: "<p>Gehört zu einem anderen Fall.</p>" } } },
      select: { id: true },
    })).id;
    const { page, problems } = await signedInPage(browser, app.origin, "im.loerrach", demoPassword("im.loerrach"), `/cases/${caseId}/notes/${noteId}`);
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
    const danger = page.locator("section.memo-danger");
    const note = danger.getByLabel("Anmerkung (freiwillig)");
    await note.fill("falscher Fall");
    await danger.getByRole("button", { name: "Notiz löschen" }).click();
    await danger.getByText("Bitte eine Auswahl treffen.").waitFor();
    await expect(note.inputValue()).resolves.toBe("falscher Fall");
    expect(await app.db.biographyNote.count({ where: { id: noteId } })).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await danger.getByLabel("Rechtsgrundlage der Löschung (Pflichtangabe)").selectOption({ label: "Unrichtige Angabe, falsch erfasst (Art. 16 DSGVO)" });
    await danger.getByRole("button", { name: "Notiz löschen" }).click();
    await page.waitForURL(/\/notes\?deleted=1$/);
    expect(await app.db.biographyNote.count({ where: { id: noteId } })).toBe(0);
    const entry = await app.db.auditLog.findFirstOrThrow({ where: { action: "note.delete", detail: { contains: noteId } }, select: { detail: true } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ noteId, ground: "inaccurate", note: "falscher Fall" });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("a long note and the idle limit", () => {
  // Writing a note makes no request until it is saved; with a 30-minute idle limit the session used to end under
  // the text, and the save led to the login page without it. The page's clock is Playwright's (minutes pass at
  // once); the server's idle time is set in the database.
  it("typing keeps the session alive; if it ended anyway, the page warns, and after a new login in another tab the text is saved", async () => {
    const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.clock.install();
    await loginInBrowser(page, "im.loerrach", "Demo-IM-2025!");
    const session = await app.db.session.findFirstOrThrow({ where: { user: { username: "im.loerrach" } }, orderBy: { createdAt: "desc" }, select: { id: true } });
    const idleMs = async () => Date.now() - (await app.db.session.findUniqueOrThrow({ where: { id: session.id }, select: { lastSeenAt: true } })).lastSeenAt.getTime();
    await page.goto(`/cases/${caseId}/notes/new`);
    await page.getByRole("toolbar", { name: "Formatierung" }).waitFor();
    await page.getByLabel("Art").selectOption("course");
    await page.getByLabel("Titel").fill("Langer Bericht");
    // Twenty of the thirty minutes pass while the person writes.
    await app.db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(Date.now() - 20 * 60_000) } });
    const editor = page.getByRole("textbox", { name: "Text" });
    await editor.click();
    await page.keyboard.type("Ein langer Bericht");
    const touched = page.waitForRequest((r) => new URL(r.url()).pathname === "/session/keepalive");
    await page.clock.fastForward("05:30");
    await touched;
    await expect.poll(idleMs, POLL).toBeLessThan(60_000);

    // Without input nothing is sent: an unattended page does not keep its session.
    let sent = 0;
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/session/keepalive") sent++;
    });
    await page.clock.fastForward("11:00");
    expect(sent).toBe(0);

    // Ended meanwhile (logged out in another window): the next input brings the warning, the text stays.
    await app.db.session.delete({ where: { id: session.id } });
    await page.keyboard.type(" geht weiter.");
    await page.clock.fastForward("05:30");
    await page.getByRole("alert").filter({ hasText: "Ihre Sitzung ist abgelaufen" }).waitFor();
    expect(await editor.textContent()).toBe("Ein langer Bericht geht weiter.");
    expect(await seriousAxeViolations(page)).toEqual([]);
    // "Carry on" before logging in again: not yet. Then a login in another tab, "carry on", and the save keeps the text.
    const banner = page.getByRole("alert").filter({ hasText: "Ihre Sitzung ist abgelaufen" });
    await banner.getByRole("button", { name: "Ich bin wieder angemeldet: weiterarbeiten" }).click();
    await banner.getByText("Noch keine neue Anmeldung gefunden.").waitFor();
    const other = await context.newPage();
    await loginInBrowser(other, "im.loerrach", "Demo-IM-2025!");
    await other.close();
    await banner.getByRole("button", { name: "Ich bin wieder angemeldet: weiterarbeiten" }).click();
    await banner.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Notiz anlegen" }).click();
    await page.waitForURL(/\/notes\/[^/]+\?saved=1$/);
    expect((await app.db.biographyNote.findFirstOrThrow({ where: { caseId, title: "Langer Bericht" }, select: { contentText: true } })).contentText).toBe("Ein langer Bericht geht weiter.");

    // Away for 31 minutes without input (so nothing kept the session), then straight to "save": the page asks the
    // server first and shows the warning instead of following the save to the login page. (The first jump still
    // sends the touch for the clicks before it; the second passes without input.)
    const lastTouch = page.waitForResponse((r) => new URL(r.url()).pathname === "/session/keepalive");
    await page.clock.fastForward("06:00");
    await lastTouch;
    await page.clock.fastForward("31:00");
    await app.db.session.deleteMany({ where: { user: { username: "im.loerrach" } } });
    await page.getByLabel("Titel").fill("Langer Bericht, ergänzt");
    await page.getByRole("button", { name: "Änderungen speichern" }).click();
    await page.getByRole("alert").filter({ hasText: "Ihre Sitzung ist abgelaufen" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/cases\/[^/]+\/notes\/[^/]+$/);
    expect(await page.getByLabel("Titel").inputValue()).toBe("Langer Bericht, ergänzt");
    // The ended session's 401s are the only console messages.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await context.close();
  });
});
