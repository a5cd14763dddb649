// Debian's Chromium driven by playwright-core (Playwright's own browser download does not work offline).
import fs from "node:fs";
import { expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { demoPassword } from "../../support/app-server.ts";

// Debian's chromium-headless-shell: Chromium's own engine without the desktop browser around it, what Playwright
// itself runs headless. The browser files took 384 s with it against 483 s with the full browser, whose headless mode
// drew every frame as a window would (Chromium's CPU time 262 s against 460 s; ADR 0026). The full browser if the
// shell is not installed.
const HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";
const CHROMIUM = process.env.CHROMIUM_PATH ?? (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  // Locators and actions wait at most 15 s (navigations 30 s): vitest's expect.poll awaits its callback without a
  // limit, so a locator waiting Playwright's default 30 s inside a poll would turn a failure into a test timeout
  // that names no step.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...options: Parameters<Browser["newContext"]>) => {
    const context = await newContext(...options);
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    if (options[0]?.baseURL) originOf.set(context, options[0].baseURL);
    return context;
  };
  return browser;
}

export async function newContext(browser: Browser, baseURL: string, locale = "de-DE"): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale });
}

// Playwright does not tell a context's baseURL; sessions are kept per app server (cookies do not tell ports apart).
const originOf = new WeakMap<BrowserContext, string>();
// A user's session (the cookies its sign-in set), signed in through the form once per test file and app server and
// reused by the file's later sign-ins of that user (a new context, a second window): a sign-in through the form and
// the wait on the start page took about 1.4 s and a password hash, 59 times in one browser run. The form itself is
// what foundation.test.ts and first-login.test.ts test. A session that ended meanwhile (logged out, deleted by a test)
// sends the page to the login form, where the user signs in again.
const sessions = new Map<string, Cookie[]>();

/**
 * Signs in as a person would and opens `to`: through the login form (which then leads to `to`, as after following a
 * link while signed out), or with the session this file signed in before (above). With `to` left out, the page ends on
 * the start page with every request of it done, as after signing in from the login page.
 */
export async function loginInBrowser(page: Page, username: string, password: string, to?: string) {
  const origin = originOf.get(page.context());
  const key = `${origin} ${username}`;
  const session = origin ? sessions.get(key) : undefined;
  if (session) {
    await page.context().addCookies(session);
    await page.goto(to ?? "/");
    if (new URL(page.url()).pathname.startsWith("/login")) sessions.delete(key);
  } else {
    await page.goto(to ? `/login?redirectTo=${encodeURIComponent(to)}` : "/login");
    // The login page sends a signed-in browser on: the test would go on as whoever is signed in.
    if (!new URL(page.url()).pathname.startsWith("/login")) throw new Error(`Cannot sign ${username} in: this browser context is signed in already`);
  }
  if (new URL(page.url()).pathname.startsWith("/login")) {
    await page.getByLabel(/Benutzername|User name/).fill(username);
    await page.getByLabel(/^Passwort$|^Password$/).fill(password);
    await page.getByRole("button", { name: /^Anmelden$|^Log in$/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    // Every cookie the sign-in set: the session's and the language's (the user's language, whatever the browser's).
    if (origin) sessions.set(key, await page.context().cookies());
  }
  if (!to) await page.waitForLoadState("networkidle");
}

/** A new browser context signed in as `username` (on `to`, see loginInBrowser), with its page's console errors collected. */
export async function signedInPage(browser: Browser, baseURL: string, username: string, password: string, to?: string): Promise<{ page: Page; problems: string[] }> {
  const context = await newContext(browser, baseURL);
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, username, password, to);
  return { page, problems };
}

export type AxeFinding = { id: string; impact: string | null | undefined; help: string; targets: string[] };

// axe reports only violations: by default it also collects every passing and inapplicable node, which on a large page
// (the statistics table, a long transcript) is about a fifth of its time, and the tests read none of it.
const violationsOnly = { resultTypes: ["violations" as const] };

/** Serious and critical WCAG 2.1 A/AA violations on the current page. */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).options(violationsOnly).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

/** Violations of the named axe rules, whatever their impact (e.g. landmark-unique and aria-allowed-role are moderate). */
export async function axeViolationsOf(page: Page, rules: string[]): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withRules(rules).options(violationsOnly).analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

/** Collects console errors and failed requests of a page, so a test can assert the page ran clean. */
export function watchPage(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

// The transcript editor, as the editor tests read it.
export const editorTurns = (page: Page) => page.locator(".ProseMirror .turn");
/** A demo user's transcript page in a browser context of its own (a window and a session of its own), editor ready. */
export async function openTranscriptWindow(browser: Browser, origin: string, interviewId: string, username = "forschung"): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: origin, locale: "de-DE" });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, username, demoPassword(username), `/interviews/${interviewId}/transcript`);
  await editorTurns(page).first().waitFor();
  return { context, page, problems };
}
/**
 * Double-clicks a whole word of turn `n` (as a person selects a word to overwrite it) and waits until it is selected.
 * Decorations (codings, unsure words, the playing word) split a turn's text into several nodes: the word is searched
 * node by node, standing alone (not inside a longer word).
 */
export async function doubleClickWord(page: Page, n: number, word: string) {
  const turn = editorTurns(page).nth(n);
  await turn.scrollIntoViewIfNeeded();
  const point = await turn.locator(".turn-text").evaluate((el, w) => {
    const alone = new RegExp(`(?<![\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "u");
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text: Node | null;
    while ((text = walker.nextNode()) && !alone.test(text.textContent!));
    if (!text) throw new Error(`"${w}" is not in the turn`);
    const at = text.textContent!.search(alone);
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + w.length);
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, word);
  await page.mouse.dblclick(point.x, point.y);
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString().trim())).toBe(word);
}
/**
 * Waits until the editor says every change is saved. Up to 30 s: typing that just stopped may leave a save on its way,
 * the autosave's wait and one more save (each a request and a write), which passed 15 s on a slow CI machine.
 */
export const allSaved = (page: Page) => page.locator(".save-status", { hasText: "Alle Änderungen gespeichert." }).waitFor({ timeout: 30_000 });
/** Focus is in the editor and its selection lies within the window (a jump to a passage landed there). */
export async function selectionInEditorInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    if (!document.activeElement?.closest(".ProseMirror")) return false;
    const r = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
}
/**
 * Puts the caret behind the last character of turn `n`, as a person clicks there and presses End, and waits until it
 * is there before anything is typed. The click goes behind the text's last line (End alone reaches only the end of a
 * line, and long turns wrap); ProseMirror takes over a click's selection a moment after the click, and an End pressed
 * before that was undone by it on a busy machine (the typed words landed in the middle of the turn).
 */
export async function caretAtEndOfTurn(page: Page, n: number) {
  const text = editorTurns(page).nth(n).locator(".turn-text");
  await text.scrollIntoViewIfNeeded();
  const point = await text.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = range.getClientRects();
    const last = rects[rects.length - 1]!;
    return { x: last.right - 1, y: last.top + last.height / 2 };
  });
  await page.mouse.click(point.x, point.y);
  const atEnd = () =>
    text.evaluate((el) => {
      const selection = window.getSelection();
      if (!selection?.isCollapsed || !selection.focusNode || !el.contains(selection.focusNode)) return false;
      const rest = document.createRange();
      rest.selectNodeContents(el);
      rest.setStart(selection.focusNode, selection.focusOffset);
      return rest.toString().length === 0;
    });
  await expect
    .poll(async () => {
      if (await atEnd()) return true;
      await page.keyboard.press("End");
      return atEnd();
    })
    .toBe(true);
}

/** Whether the transcript editor's own selection (Tiptap's state, not only the page's) is empty; null before the editor is there. */
export function editorSelectionEmpty(page: Page): Promise<boolean | null> {
  return page.evaluate(() => {
    const el = document.querySelector(".ProseMirror") as (HTMLElement & { editor?: { state: { selection: { empty: boolean } } } }) | null;
    return el?.editor ? el.editor.state.selection.empty : null;
  });
}

/**
 * ArrowLeft (ArrowRight) on a selected word, until the caret stands before (behind) it in the editor's own state and
 * stays there. ProseMirror may apply a double-click's selection after the key (seen on a busy machine: Enter then
 * replaced the word, a paste replaced it).
 */
export async function collapseSelection(page: Page, key: "ArrowLeft" | "ArrowRight") {
  const collapsed = async () => (await editorSelectionEmpty(page)) === true && (await page.evaluate(() => Boolean(window.getSelection()?.isCollapsed)));
  await expect
    .poll(async () => {
      if (!(await collapsed())) await page.keyboard.press(key);
      await page.waitForTimeout(150);
      if (!(await collapsed())) return false;
      await page.waitForTimeout(150); // and still so a moment later
      return collapsed();
    })
    .toBe(true);
}
