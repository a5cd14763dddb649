// The English UI in Chromium against the real server and database, at a laptop's 1280x800 and a phone's 390x844:
// what a QA pass found hidden, run together or pushed off the screen where the English texts are longer or the page
// was only looked at in German.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { fixturesDir } from "../../prisma/seed/demo-interviews.ts";
import { seedDemoLinks } from "../../prisma/seed/demo-links.ts";
import { launchBrowser, loginInBrowser, watchPage } from "./support/browser.ts";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 30 } });
  await seedDemoLinks(app.db); // the demo's proposals from interview passages, as `npm start` seeds them
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function englishPageAs(username: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: app.origin, locale: "en-GB", viewport });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, username, demoPassword(username));
  await page.getByRole("button", { name: "English" }).click();
  await page.waitForLoadState("networkidle");
  return { page, problems };
}

/** A case of im.loerrach's municipality Lörrach with at least one indicator never recorded. */
async function loerrachCaseWithMissingIndicator(): Promise<string> {
  const indicators = await app.db.indicatorDefinition.count({ where: { active: true } });
  const cases = await app.db.case.findMany({ where: { municipality: { name: "Lörrach" }, status: "active" }, select: { id: true, snapshots: { distinct: ["indicatorId"], select: { indicatorId: true } } } });
  const found = cases.find((c) => c.snapshots.length < indicators);
  if (!found) throw new Error("no case in Lörrach with an indicator never recorded");
  return found.id;
}

describe("the indicators of a case in English", () => {
  it("shows each status, also 'missing (never recorded)', inside its column, clear of the History and Record links", async () => {
    const caseId = await loerrachCaseWithMissingIndicator();
    const { page, problems } = await englishPageAs("im.loerrach");
    await page.goto(`/cases/${caseId}/snapshots`);
    await page.getByRole("heading", { name: "Indicators", level: 2 }).waitFor();
    const missing = page.locator(".snapshot-table .badge", { hasText: "missing (never recorded)" });
    expect(await missing.count()).toBeGreaterThan(0);
    const rows = await page.locator(".snapshot-table tbody tr").evaluateAll((trs) =>
      trs.map((tr) => {
        const badge = tr.querySelector(".badge")!.getBoundingClientRect();
        const cell = tr.querySelector(".badge")!.closest("td")!.getBoundingClientRect();
        const links = [...tr.querySelectorAll(".row-actions a")].map((a) => a.getBoundingClientRect());
        return {
          row: tr.querySelector("th")!.textContent,
          badgeInsideCell: badge.left >= cell.left - 0.5 && badge.right <= cell.right + 0.5,
          clearOfLinks: links.every((l) => badge.right <= l.left || badge.bottom <= l.top || badge.top >= l.bottom),
        };
      }),
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((r) => !r.badgeInsideCell || !r.clearOfLinks)).toEqual([]);
    // The History link of a never recorded indicator is clickable where it is shown, not covered by the status.
    await page.locator(".snapshot-table tbody tr").filter({ has: page.locator(".badge", { hasText: "missing (never recorded)" }) }).first().getByRole("link", { name: /^History of / }).click();
    await page.waitForURL((u) => /\/snapshots\/[^/]+$/.test(u.pathname));
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe("the rich-text toolbar in English", () => {
  it("shows English quotation marks on its quote button, not German ones", async () => {
    const kase = await app.db.case.findFirstOrThrow({ where: { municipality: { name: "Lörrach" }, status: "active" }, select: { id: true } });
    const { page, problems } = await englishPageAs("im.loerrach");
    await page.goto(`/cases/${kase.id}/notes/new`);
    const toolbar = page.getByRole("toolbar", { name: "Formatting" });
    await toolbar.waitFor(); // hydrated: the editor replaced the plain textarea
    await expect(toolbar.getByRole("button", { name: "Quote" }).textContent()).resolves.toBe("\u201c\u201d");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe.runIf(fixturesDir() !== null)("the timeline's open proposals in English", () => {
  it("lists the links to the proposals separated, not run together into one word", async () => {
    // The demo interview's case with several open proposals, in im.loerrach's municipalities.
    const grouped = await app.db.passageLink.groupBy({ by: ["caseId"], where: { status: "proposed", case: { municipality: { name: { in: ["Lörrach", "Fröhnd", "Schopfheim"] } } } }, _count: { _all: true } });
    const several = grouped.find((g) => g._count._all >= 2);
    if (!several) throw new Error("no case of im.loerrach with two open proposals");
    const { page, problems } = await englishPageAs("im.loerrach");
    await page.goto(`/cases/${several.caseId}/timeline`);
    const summary = page.locator(".proposals-summary");
    const links = summary.getByRole("link");
    await expect(links.count()).resolves.toBe(several._count._all);
    const names = await links.allTextContents();
    expect(names[0]).toMatch(/^Proposal 1: /);
    // Read as a sentence: "… await your decision: Proposal 1: Housing, Proposal 2: German level"
    const text = (await summary.textContent())!.replace(/\s+/g, " ");
    expect(text).toContain(names.join(", "));
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe.runIf(fixturesDir() !== null)("deciding a proposal on the timeline", () => {
  it("puts focus on the decided passage, whose buttons are gone, instead of dropping it to the page", async () => {
    const proposal = await app.db.passageLink.findFirstOrThrow({ where: { status: "proposed", case: { municipality: { name: { in: ["Lörrach", "Fröhnd", "Schopfheim"] } } } }, select: { id: true, caseId: true } });
    const { page, problems } = await englishPageAs("im.loerrach");
    await page.goto(`/cases/${proposal.caseId}/timeline`);
    const entry = page.locator(`#passage-${proposal.id}`);
    await entry.getByRole("button", { name: /^Confirm / }).click();
    await page.getByText("Confirmed: the value is recorded in the register as verified").waitFor();
    await entry.getByText("confirmed", { exact: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`passage-${proposal.id}`);
    // and Tab goes on from there, into the entries after it, not from the top of the page
    await page.keyboard.press("Tab");
    const next = await page.evaluate((id) => {
      const entry = document.getElementById(id)!;
      return Boolean(entry.compareDocumentPosition(document.activeElement!) & Node.DOCUMENT_POSITION_FOLLOWING) || entry.contains(document.activeElement);
    }, `passage-${proposal.id}`);
    expect(next).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

const PHONE = { width: 390, height: 844 };
const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("a phone-sized screen in English", () => {
  it("shows an indicator's history with its code, staleness and monitoring code on the screen, without scrolling sideways", async () => {
    const kase = await app.db.case.findFirstOrThrow({ where: { municipality: { name: "Lörrach" }, status: "active" }, select: { id: true } });
    const { page, problems } = await englishPageAs("im.loerrach", PHONE);
    await page.goto(`/cases/${kase.id}/snapshots/S.DTNIV`);
    await page.getByRole("heading", { name: "History: German level" }).waitFor();
    // "Integration monitoring of the federal states" is the longest label; its value stays beside it on the screen.
    const facts = page.locator("dl.facts");
    await expect(facts.locator("dt").allTextContents()).resolves.toContain("Integration monitoring of the federal states");
    const rights = await facts.locator("dd").evaluateAll((dds) => dds.map((dd) => dd.getBoundingClientRect().right));
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    await expect(sidewaysScroll(page)).resolves.toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it.runIf(fixturesDir() !== null)("shows search results with 'code all hits' without scrolling sideways", async () => {
    const { page, problems } = await englishPageAs("forschung", PHONE);
    await page.goto("/search?q=Schule");
    const autocode = page.getByRole("region", { name: "Code all hits" });
    await autocode.waitFor();
    // The code picker names whole codes ("STR.BIL Education: school, training, university"): it fits the screen.
    const picker = autocode.getByLabel("Code", { exact: true });
    const box = (await picker.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await expect(sidewaysScroll(page)).resolves.toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
