// The commissioner reads a released narrative in Debian's Chromium: from the navigation to the list, the
// anonymized text with its quotes and indicator changes, the PDF download; no pseudonym, interview code or
// planted identity string on the way, and no serious accessibility finding. A researcher sees the redaction page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { seedDemoNarratives } from "../../prisma/seed/demo-narratives.ts";
import { launchBrowser, loginInBrowser, seriousAxeViolations, watchPage } from "./support/browser.ts";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer();
  await seedDemoNarratives(app.db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function pageAs(username: string, to?: string) {
  const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE", acceptDownloads: true });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, username, demoPassword(username), to);
  return { page, problems };
}

describe("released narratives", () => {
  it("the commissioner reads one and downloads it as PDF, without anything identifying", async () => {
    const { page, problems } = await pageAs("beauftragte");
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Narrative" }).click();
    await page.getByRole("heading", { level: 1, name: "Anonymisierte Narrative" }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Vom Ankommen zur Anerkennung" }).click();
    await page.getByRole("heading", { level: 2, name: "Vom Ankommen zur Anerkennung" }).waitFor();
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("[Gemeinde im Landkreis]");
    expect(text).toContain("[Arbeitgeber]");
    expect(await page.locator("blockquote").count()).toBeGreaterThanOrEqual(3);
    for (const planted of ["Fröhnd", "Gerspacher", "Storchenbrunnen", "Wehrle", "Samer", "Karim", "Wiesenufer", "1. April 2023", "Rasha", "LOE-2016-0001", "INT-2025-0001"]) {
      expect(text.includes(planted), planted).toBe(false);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^narrativ-[\w-]+\.pdf$/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("in the English UI the narrative's German text says it is German (WCAG 3.1.2), the page around it English", async () => {
    const { page, problems } = await pageAs("beauftragte", "/narratives");
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.getByRole("link", { name: "Vom Ankommen zur Anerkennung" }).click();
    const article = page.locator("article.narrative-reading");
    await article.getByRole("heading", { level: 2, name: "Vom Ankommen zur Anerkennung" }).waitFor();
    expect(await article.getAttribute("lang")).toBe("de");
    // A quote inside inherits it; the UI strings outside the text do not.
    expect(await article.locator("blockquote").first().evaluate((q) => q.closest("[lang]")?.getAttribute("lang"))).toBe("de");
    expect(await page.getByRole("link", { name: "PDF" }).evaluate((a) => a.closest("[lang]")?.getAttribute("lang"))).toBe("en");
    await page.getByRole("button", { name: "Deutsch" }).click(); // the account keeps its language: back for the other tests
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("a researcher sees the proposals of the draft and the marked preview", async () => {
    const { page, problems } = await pageAs("forschung", "/narratives");
    await page.getByRole("link", { name: "Erste Notizen zum Interview" }).click();
    await page.getByRole("link", { name: "Anonymisierung" }).click();
    await page.getByRole("heading", { level: 2, name: "Anonymisierungsvorschläge" }).waitFor();
    const table = page.getByRole("table");
    await expect(table.textContent()).resolves.toContain("Identitätsdaten");
    expect(await page.locator("mark.redaction-pending").count()).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Alle offenen Vorschläge annehmen" }).click();
    await page.getByRole("status").filter({ hasText: "Entscheidung gespeichert." }).waitFor();
    // The revalidated page marks every proposal accepted.
    await page.locator('tr[data-status="pending"]').first().waitFor({ state: "detached" });
    expect(await page.locator('tr[data-status="accepted"]').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator("mark.redaction-pending").count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Composing and the overview with its final check pass axe too.
    await page.getByRole("link", { name: "Verfassen" }).click();
    await page.getByRole("heading", { level: 2, name: "Bausteine in zeitlicher Reihenfolge" }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // An added text block leaves the field empty (its text stayed there and invited a second add).
    const blocks = page.locator(".narrative-blocks > li");
    const count = await blocks.count();
    await page.locator("#new-text").fill("Ein Absatz, der nur einmal hinzukommt.");
    await page.getByRole("button", { name: "Text hinzufügen" }).click();
    await page.getByRole("status").filter({ hasText: "Hinzugefügt." }).waitFor();
    await expect.poll(() => blocks.count()).toBe(count + 1);
    await expect.poll(() => page.locator("#new-text").inputValue()).toBe("");
    await page.getByRole("link", { name: "Übersicht" }).click();
    await page.getByRole("heading", { level: 3, name: "Abschließende Prüfung" }).waitFor();
    await expect(page.locator(".problems").textContent()).resolves.toContain("Keine offenen Vorschläge");
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
