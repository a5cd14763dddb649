// Issue 6's "Done when", story <-> number part, in Chromium against the real server and database: a researcher
// links a coded passage ("Im Juni 2024 habe ich B1 bestanden") to the register as a proposal; the case's
// integration manager sees it on the case's timeline, with the contradiction to the register (A2 then), next to
// their biography note, plays the passage, and confirms it: a verified snapshot, the contradiction is gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { fixturesDir } from "../../prisma/seed/demo-interviews.ts";
import { launchBrowser, loginInBrowser, seriousAxeViolations, watchPage } from "./support/browser.ts";

let app: AppServer;
let browser: Browser;
let caseId: string;
let codingId: string;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 30 } });
  browser = await launchBrowser();
  // INT-2025-0002 (im.weil's case): the coding that covers the fixture's B1 passage.
  const interview = await app.db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0002" }, select: { id: true, caseId: true } });
  caseId = interview.caseId;
  const code = await app.db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true } });
  const covering = await app.db.coding.findFirst({ where: { interviewId: interview.id, codeId: code.id, start: { lte: 2338 }, end: { gte: 2372 } }, select: { id: true } });
  codingId = covering?.id ?? (await createCoding(interview.id, code.id));
  // The register says A2 then (recorded before June 2024), and the manager keeps a biography note.
  const dtniv = await app.db.indicatorDefinition.findUniqueOrThrow({ where: { code: "S.DTNIV" }, select: { id: true } });
  await app.db.snapshot.create({ data: { caseId, indicatorId: dtniv.id, state: "known", value: '"A2"', observedAt: new Date("2024-05-20T00:00:00Z"), source: "im_akte" } });
  await app.db.biographyNote.create({
    data: { caseId, type: "event", noteDate: new Date("2024-07-02T00:00:00Z"), title: "Sprachprüfung im zweiten Anlauf", contentJson: "{}", contentHtml: "<p>Hat erzählt, dass es geklappt hat.</p>", contentText: "Hat erzählt, dass es geklappt hat." },
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function createCoding(interviewId: string, codeId: string): Promise<string> {
  const transcript = await app.db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { id: true } });
  const quote = "Im Juni 2024 habe ich B1 bestanden";
  const row = await app.db.coding.create({ data: { transcriptId: transcript.id, interviewId, codeId, start: 2338, end: 2372, quote }, select: { id: true } });
  return row.id;
}

async function pageAs(username: string, to?: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: app.origin, locale: "de-DE" });
  const page = await context.newPage();
  const problems = watchPage(page);
  await loginInBrowser(page, username, demoPassword(username), to);
  return { page, problems };
}

describe.runIf(fixturesDir() !== null)("story <-> number", () => {
  it("a researcher proposes, the integration manager confirms it on the timeline next to their note", async () => {
    // The researcher: the passage, the register around the interview, a pre-filled proposal.
    const { page, problems } = await pageAs("forschung", `/codings/${codingId}/links`);
    await page.getByRole("heading", { level: 1, name: "Passage mit Indikatorwerten verknüpfen" }).waitFor();
    await expect(page.locator("blockquote").first().textContent()).resolves.toContain("B1 bestanden");
    await expect(page.getByLabel("Indikator wählen").inputValue()).resolves.toBe("S.DTNIV");
    await expect(page.getByRole("table").getByRole("cell", { name: "A2", exact: true }).count()).resolves.toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel("Wert", { exact: true }).selectOption("B1");
    await page.getByLabel("Gilt seit").fill("2024-06");
    await page.getByRole("button", { name: "Vorschlagen" }).click();
    await page.getByText("Der Vorschlag ist gespeichert").waitFor();
    await expect(page.getByText("Vorschlag offen").count()).resolves.toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();

    // The integration manager of the case's municipality: from the case to its timeline.
    const im = await pageAs("im.weil", `/cases/${caseId}`);
    await im.page.getByText("Interview und Register").waitFor();
    await im.page.getByRole("link", { name: "Zeitleiste", exact: true }).click();
    await im.page.getByRole("heading", { name: "Zeitleiste", level: 2 }).waitFor();
    const timeline = im.page.getByRole("list", { name: /Zeitleiste von/ });
    const proposal = timeline.getByRole("listitem").filter({ hasText: "Im Juni 2024 habe ich B1 bestanden" }).filter({ hasText: "Vorschlag offen" });
    await expect(proposal.count()).resolves.toBe(1);
    await expect(proposal.getByText("Widerspruch zum Register:").count()).resolves.toBe(1);
    // Their note is on the same list, right after the passage (June -> July 2024).
    const items = await timeline.getByRole("listitem").allTextContents();
    const passageAt = items.findIndex((t) => t.includes("Im Juni 2024 habe ich B1 bestanden") && t.includes("Vorschlag offen"));
    const noteAt = items.findIndex((t) => t.includes("Sprachprüfung im zweiten Anlauf"));
    expect(passageAt).toBeGreaterThanOrEqual(0);
    expect(noteAt).toBeGreaterThan(passageAt);
    // Play: only the passage, through the timeline's own route (no recording permission needed).
    const src = await proposal.locator("audio").getAttribute("src");
    const clip = await im.page.request.get(src!);
    expect(clip.status()).toBe(200);
    expect(clip.headers()["content-type"]).toBe("audio/mpeg");
    expect(await seriousAxeViolations(im.page)).toEqual([]);

    await proposal.getByRole("button", { name: "Vorschlag zu Deutschniveau bestätigen" }).click();
    await im.page.getByText("Bestätigt: Der Wert ist als geprüfter Wert").waitFor();
    const confirmed = timeline.getByRole("listitem").filter({ hasText: "Im Juni 2024 habe ich B1 bestanden" }).filter({ hasText: "bestätigt" });
    await expect(confirmed.count()).resolves.toBeGreaterThan(0);
    await expect(im.page.getByText("Widerspruch zum Register:").count()).resolves.toBe(0);
    // The register now holds the verified value, self-report in the interview.
    const link = await app.db.passageLink.findFirstOrThrow({ where: { codingId, status: "confirmed" }, select: { snapshot: { select: { value: true, verified: true, source: true, observedAt: true } } } });
    expect(link.snapshot).toMatchObject({ value: '"B1"', verified: true, source: "selbstauskunft" });
    expect(link.snapshot!.observedAt.toISOString()).toBe("2024-06-01T00:00:00.000Z");

    // Filtered by the social dimension, neither the passage nor the German level show; printing works.
    await im.page.getByLabel("Dimension").selectOption("SOZ");
    await im.page.getByRole("button", { name: "Anzeigen" }).click();
    await im.page.waitForURL(/dimension=SOZ/);
    await im.page.getByText(/^\d+ von \d+ Einträgen$/).waitFor();
    await expect(timeline.getByText("Im Juni 2024 habe ich B1 bestanden").count()).resolves.toBe(0);
    expect(im.problems).toEqual([]);
    await im.page.context().close();
  });

  it("another municipality's integration manager does not find the timeline", async () => {
    const { page } = await pageAs("im.loerrach");
    const res = await page.goto(`/cases/${caseId}/timeline`);
    expect(res?.status()).toBe(404);
    await page.context().close();
  });
});
