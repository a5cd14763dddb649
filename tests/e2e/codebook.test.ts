// The codebook in Chromium: the researcher sees the seeded tree with colours, usage and the Art. 9 badge, adds a
// code, merges a used code into another and sees its codings move; moving a code under its own sub-code is
// refused with a clear message; no serious axe findings on the codebook pages.
import type { Browser, Page } from "playwright-core";
import mammoth from "mammoth";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, loginInBrowser, newContext, seriousAxeViolations, watchPage } from "./support/browser.ts";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 10 } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function researcherPage(to?: string): Promise<{ page: Page; problems: string[] }> {
  const page = await (await newContext(browser, app.origin)).newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, "forschung", demoPassword("forschung"), to);
  return { page, problems };
}

const codeId = async (key: string) => (await app.db.code.findUniqueOrThrow({ where: { key }, select: { id: true } })).id;
const usage = (key: string) => app.db.coding.count({ where: { code: { key } } });

it("shows the seeded codebook and passes axe", async () => {
  const { page, problems } = await researcherPage("/codebook");
  await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Codebuch");
  for (const name of ["Strukturelle Integration", "Kulturelle Integration", "Soziale Integration", "Identifikatorische Integration", "Querschnittscodes"]) {
    await expect(page.getByRole("link", { name, exact: true }).count()).resolves.toBe(1);
  }
  const ges = page.locator(`#code-${await codeId("X.GES")}`);
  await expect(ges.locator(".badge.code-special").textContent()).resolves.toBe("Art. 9 DSGVO");
  const wis = page.locator(`#code-${await codeId("KUL.WIS")}`);
  await expect(wis.locator(".code-usage").first().textContent()).resolves.toBe(`${await usage("KUL.WIS")} Codierungen`);
  expect(await seriousAxeViolations(page)).toEqual([]);
  // The whole tree as a Word document, for an appendix: every top-level code there.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Codebuch als Word-Dokument" }).click()]);
  const docx = (await mammoth.extractRawText({ path: (await download.path())! })).value;
  for (const name of ["Strukturelle Integration", "Kulturelle Integration", "Soziale Integration", "Identifikatorische Integration", "Querschnittscodes"]) expect(docx).toContain(name);
  expect(docx).toContain("Art. 9 DSGVO");
  // The session ended meanwhile (logged out in another tab): the link leads to the login page, which says so and
  // returns to the download; with the links' former `download` attribute Chromium saved the login page as a file.
  await page.context().clearCookies();
  await page.getByRole("link", { name: "Codebuch als Word-Dokument" }).click();
  await page.waitForURL(/\/login\?redirectTo=%2Fcodebook\.docx/);
  await page.getByLabel("Benutzername").fill("forschung");
  await page.getByLabel("Passwort", { exact: true }).fill(demoPassword("forschung"));
  const [again] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Anmelden" }).click()]);
  expect(again.suggestedFilename()).toMatch(/\.docx$/);
  await page.goto(`/codebook/${await codeId("STR.ANE")}`);
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("after a refused empty form, one click on the button adds the code once the name is typed", async () => {
  const { page, problems } = await researcherPage("/codebook");
  const button = page.getByRole("button", { name: "Code anlegen" });
  await button.click();
  await page.getByText("Bitte ausfüllen.").first().waitFor();
  // Typed, then one real click (mouse down and up at the button's place): the message goes while typing, so the
  // button no longer moves away under the pointer when the field loses focus.
  await page.getByLabel("Name", { exact: true }).pressSequentially("Nachbarschaftshilfe");
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForURL(/created=/);
  await expect(app.db.code.count({ where: { name: "Nachbarschaftshilfe" } })).resolves.toBe(1);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("adds a code, offers no own sub-code as new parent, and merges a code whose codings move along", async () => {
  const { page, problems } = await researcherPage("/codebook");
  await page.getByLabel("Name", { exact: true }).fill("Sprachcafé");
  await page.getByLabel("Übergeordneter Code").selectOption({ label: "\u2003KUL.SPR Deutscherwerb, Prüfungen" });
  await page.getByRole("button", { name: "Code anlegen" }).click();
  await page.waitForURL(/created=/);
  // The URL changes before the new page has rendered: wait for its message.
  await page.getByRole("status").filter({ hasText: "Der Code wurde angelegt." }).waitFor();
  const cafe = await app.db.code.findFirstOrThrow({ where: { name: "Sprachcafé" }, select: { id: true, parentId: true } });
  expect(cafe.parentId).toBe(await codeId("KUL.SPR"));

  // KUL.SPR cannot be moved under its own new sub-code (the server refuses it too, tests/coding/codebook.test.ts)
  await page.goto(`/codebook/${await codeId("KUL.SPR")}`);
  const parentOptions = await page.getByLabel("Übergeordneter Code").locator("option").allTextContents();
  expect(parentOptions.some((o) => o.includes("Sprachcafé"))).toBe(false); // not even offered

  // merge X.NET (support network) into SOZ.KON (contacts with locals)
  const before = { net: await usage("X.NET"), kon: await usage("SOZ.KON") };
  expect(before.net).toBeGreaterThan(0);
  await page.goto(`/codebook/${await codeId("X.NET")}`);
  await page.getByLabel("Zusammenführen mit").selectOption({ label: "\u2003SOZ.KON Kontakte zu Einheimischen" });
  // A merge cannot be undone: without the confirmation nothing moves, the choice stays and the page says why.
  await page.getByRole("button", { name: "Zusammenführen" }).click();
  await expect.poll(() => page.getByRole("alert").allTextContents()).toContain("Bitte bestätigen, dass der Code zusammengeführt werden soll.");
  expect(await usage("X.NET")).toBe(before.net);
  await expect(page.getByLabel("Zusammenführen mit").inputValue()).resolves.toBe(await codeId("SOZ.KON"));
  await page.getByLabel(/überführen und löschen; das lässt sich nicht rückgängig machen/).check();
  await page.getByRole("button", { name: "Zusammenführen" }).click();
  await page.waitForURL(new RegExp(`/codebook/${await codeId("SOZ.KON")}\\?done=merged`));
  // The URL changes before the new page has rendered (as after creating): poll for its heading.
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toContain("Kontakte zu Einheimischen");
  const after = await usage("SOZ.KON");
  expect(await app.db.code.count({ where: { key: "X.NET" } })).toBe(0);
  expect(after).toBeGreaterThan(before.kon);
  expect(after).toBeLessThanOrEqual(before.kon + before.net);
  await expect(page.locator(".code-facts").textContent()).resolves.toContain(`${after} Codierungen`);
  // The one refused post (no confirmation) answers 400, which the browser logs.
  expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  expect(problems.filter((p) => /status of 400/.test(p))).toHaveLength(1);
  await page.context().close();
});
