// Coded-segment retrieval and the commissioner's statistics in Debian's Chromium: a researcher chooses a code in
// the tree, gets its passages, plays one from its time, opens the code matrix; the commissioner reads the
// statistics and is refused retrieval. axe on each page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { axeViolationsOf, launchBrowser, loginInBrowser, seriousAxeViolations, watchPage, selectionInEditorInView } from "./support/browser.ts";
import { codeDemoInterviews, type LoadedCoding } from "../retrieval/fixture.ts";

let app: AppServer;
let browser: Browser;
let loaded: LoadedCoding[];

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 60 } });
  ({ loaded } = await codeDemoInterviews(app.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function pageAs(username: string, to?: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, username, demoPassword(username), to);
  return { page, problems };
}

describe("a researcher retrieves coded segments", () => {
  it("chooses a code, reads its passages in context and plays one from its time", async () => {
    const { page, problems } = await pageAs("forschung");
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Codierte Segmente" }).click();
    await page.waitForURL("**/segments");
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole("checkbox", { name: /X\.FLU/ }).check();
    await page.getByRole("checkbox", { name: "Untercodes einbeziehen" }).uncheck();
    await page.getByRole("button", { name: "Segmente suchen" }).click();
    const expected = loaded.filter((c) => c.code === "X.FLU" && c.analysable);
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Passagen gefunden" }).textContent()).toBe(`${expected.length} codierte Passagen gefunden, mit ${expected.length} Codierungen`);
    const items = page.locator(".segment-list > li");
    await expect.poll(() => items.count()).toBe(expected.length);
    for (const c of expected) await expect(page.locator("mark", { hasText: c.quote }).count()).resolves.toBe(1);

    // The downloads replace identifying details unless the box is unticked.
    const redact = page.getByRole("checkbox", { name: "Identitätsangaben ersetzen" });
    const csvLink = page.getByRole("link", { name: "Ergebnis als CSV herunterladen" });
    expect(await redact.isChecked()).toBe(true);
    expect(await csvLink.getAttribute("href")).not.toContain("redact");
    await redact.uncheck();
    await expect.poll(() => csvLink.getAttribute("href")).toMatch(/&redact=0$/);
    expect(await page.getByRole("link", { name: /Word-Dokument/ }).getAttribute("href")).toMatch(/&redact=0$/);
    await redact.check();

    // int-01's flight passage is in its second turn, which starts at 18.5 s
    const hit = items.filter({ hasText: "Schlauchboot" });
    await hit.getByRole("button", { name: /abspielen/ }).click();
    const audio = hit.locator("audio");
    await expect.poll(() => audio.count()).toBe(1);
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState >= 1 && a.currentTime >= 18)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The interview's link opens the transcript at the passage, its audio at the passage's time, the coded words
    // selected with the caret in the text (as MAXQDA and f4 open a retrieved segment), in view.
    const coded = (await hit.locator(".segment-text mark").innerText()).replace(/\s+/g, " ").trim();
    await hit.getByRole("link", { name: /^INT-/ }).press("Enter");
    await page.waitForURL(/\/interviews\/[^/]+\/transcript\?at=\d+&from=\d+&to=\d+$/);
    const at = Number(new URL(page.url()).searchParams.get("at"));
    expect(at).toBeGreaterThanOrEqual(18_000);
    await page.waitForFunction((ms) => {
      const a = document.querySelector("audio");
      return !!a && Math.abs(a.currentTime * 1000 - ms) < 50;
    }, at);
    await expect.poll(() => page.evaluate(() => window.getSelection()!.toString().replace(/\s+/g, " ").trim())).toBe(coded);
    expect(await selectionInEditorInView(page)).toBe(true);
    await page.goBack();
    await page.waitForURL("**/segments**");

    await page.getByRole("link", { name: "Codematrix und Überschneidungen" }).click();
    await page.waitForURL("**/segments/matrix");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Codematrix");
    await page.getByLabel("Spalten").selectOption("code");
    await page.getByRole("button", { name: "Anzeigen" }).click();
    await page.waitForURL(/level=code/);
    await expect(page.getByRole("img", { name: /Heatmap der Codehäufigkeiten/ }).count()).resolves.toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("a researcher in the English UI", () => {
  it("gets the passages marked as German (WCAG 3.1.2), the page around them English", async () => {
    const { page, problems } = await pageAs("forschung", "/segments");
    await page.getByRole("checkbox", { name: /X\.FLU/ }).check();
    await page.getByRole("button", { name: "Segmente suchen" }).click();
    const items = page.locator(".segment-list > li");
    await expect.poll(() => items.count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("en");
    await expect.poll(() => items.count()).toBeGreaterThan(0);
    // The demo interviews are German ones: the passage (its context and the coded words) says so.
    const passage = items.filter({ hasText: "Schlauchboot" }).locator("blockquote");
    expect(await passage.getAttribute("lang")).toBe("de");
    expect(await passage.locator("mark").evaluate((m) => m.closest("[lang]")?.getAttribute("lang"))).toBe("de");
    expect(await items.first().getByRole("link", { name: /^INT-/ }).evaluate((a) => a.closest("[lang]")?.getAttribute("lang"))).toBe("en");
    await page.getByRole("button", { name: "Deutsch" }).click(); // the account keeps its language: back for the other tests
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("the commissioner reads statistics, never segments", () => {
  it("sees suppressed tables with charts and gets the error page on /segments", async () => {
    const { page, problems } = await pageAs("beauftragte");
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Statistik" }).click();
    await page.waitForURL("**/statistics");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Statistik");
    await expect(page.getByRole("img", { name: /Balkendiagramm/ }).count()).resolves.toBe(4);
    await expect(page.getByText("gesperrt (weniger als 5 Personen", { exact: false }).count()).resolves.toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Moderate, but a screen reader's landmark list would show each table twice under one name.
    expect(await axeViolationsOf(page, ["landmark-unique", "aria-allowed-role"])).toEqual([]);
    await expect(page.getByRole("region", { name: /^Tabelle: / }).count()).resolves.toBe(4);
    await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Codierte Segmente" }).count()).resolves.toBe(0);
    const res = await page.goto("/segments");
    expect(res?.status()).toBe(403);
    expect(problems.filter((p) => !p.includes("403"))).toEqual([]);
    await page.context().close();
  });
});
