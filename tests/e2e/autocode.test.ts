// "Alle Treffer codieren" in a real browser over the demo district (the fixture interviews): a researcher codes all
// hits of a query with a new code, sees the preview's count before confirming, and finds exactly those passages on
// the segments page under that code; back on /search after that, it takes the batch back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, seriousAxeViolations, signedInPage } from "./support/browser.ts";
import { rebuildEntries } from "../../search/reindex.server.ts";

let app: AppServer;
let browser: Browser;
const CODE = "Wohnen automatisch";

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 20 } });
  await rebuildEntries(app.db); // whatever the seed wrote without telling search
  await app.db.code.create({ data: { name: CODE, colour: "#2266aa", position: 999 } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const signedIn = (username: string, to?: string) => signedInPage(browser, app.origin, username, demoPassword(username), to);

describe("code all hits in the browser", () => {
  it("researcher: previews, codes all hits of a query, finds them on the segments page with that code, and undoes the batch after a reload", async () => {
    const { page, problems } = await signedIn("forschung", "/search?q=Wohnungen");
    const panel = page.getByRole("region", { name: "Alle Treffer codieren" });
    await panel.getByLabel("Code", { exact: true }).selectOption({ label: CODE });
    // One group of radios: the arrow keys move between the units.
    await panel.getByRole("radio", { name: "Der ganze Absatz" }).check();
    await panel.getByRole("radio", { name: "Der ganze Absatz" }).press("ArrowUp");
    expect(await panel.getByRole("radio", { name: "Der Satz um jeden Treffer" }).isChecked()).toBe(true);
    await panel.getByRole("radio", { name: "Nur die Trefferwörter" }).check();
    const status = panel.getByRole("status");

    // A preview, then a new search: the preview and its confirm are gone (it counted the other search).
    await page.getByRole("searchbox", { name: "Suchbegriff" }).fill("Anerkennung");
    await panel.getByRole("button", { name: "Vorschau" }).click();
    await expect.poll(() => status.textContent()).toMatch(/codiert/);
    await page.getByRole("searchbox", { name: "Suchbegriff" }).fill("Wohnungen");
    await page.getByRole("searchbox", { name: "Suchbegriff" }).press("Enter");
    await page.waitForURL(/q=Wohnungen/);
    await expect.poll(() => panel.getByRole("button", { name: "Jetzt codieren" }).count()).toBe(0);
    expect(await status.textContent()).toBe("");

    await panel.getByRole("button", { name: "Vorschau" }).click();
    await expect.poll(() => status.textContent()).toMatch(/Es werden \d+ Transkript-Stellen in \d+ Interviews? codiert \((\d+) Codierungen\)/);
    const planned = Number(/\((\d+) Codierungen\)/.exec((await status.textContent())!)![1]);
    expect(planned).toBeGreaterThan(0);
    expect(await app.db.coding.count({ where: { code: { name: CODE } } })).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const reloaded = page.waitForResponse((r) => r.request().method() === "GET" && r.url().includes("_data=routes%2Fsearch"));
    await panel.getByRole("button", { name: "Jetzt codieren" }).click();
    await expect.poll(() => status.textContent()).toMatch(new RegExp(`^${planned} Codierungen an`));
    // The button is gone: focus is on the result, the undo next.
    expect(await page.evaluate(() => document.activeElement?.closest("[role=status]") !== null)).toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Rückgängig");
    expect(await app.db.coding.count({ where: { code: { name: CODE } } })).toBe(planned);
    await expect(panel.getByRole("button", { name: "Rückgängig" }).count()).resolves.toBe(1);
    // One undo per batch on the page, also once the page's data is loaded again after the action: the page-level
    // offer waits until the panel's result is gone.
    await reloaded;
    await expect.poll(() => page.locator(".search-hit-list").getByText(CODE).count()).toBeGreaterThan(0);
    await expect(page.getByRole("button", { name: /rückgängig/i }).count()).resolves.toBe(1);

    await page.goto("/segments");
    await page.getByRole("checkbox", { name: new RegExp(CODE) }).check();
    await page.getByRole("button", { name: "Segmente suchen" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Passagen gefunden" }).textContent()).toBe(`${planned} codierte Passagen gefunden, mit ${planned} Codierungen`);
    const marks = await page.locator(".segment-list > li mark").allInnerTexts();
    expect(marks.length).toBe(planned);
    expect(marks.every((m) => /^Wohnung(en)?$/.test(m))).toBe(true);

    // Back on /search (the result message is gone): the last batch can still be taken back.
    await page.goto("/search");
    await page.getByRole("button", { name: "Letzte Autocodierung rückgängig machen" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "wieder entfernt" }).textContent()).toBe(`${planned} Codierungen wieder entfernt.`);
    expect(await app.db.coding.count({ where: { code: { name: CODE } } })).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
