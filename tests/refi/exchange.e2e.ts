// The exchange page in Debian's Chromium against the real server: no serious axe findings, the export downloads a
// .qdpx, a codebook import through the form shows its report, and a broken project file shows a refusal.
// Runs with the browser config (one Chromium at a time): see the include pattern in vitest.browser.config.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, loginInBrowser, seriousAxeViolations, watchPage } from "../e2e/support/browser.ts";
import fs from "node:fs";
import { G, miniProject, zipOf } from "./zips.ts";
import { unzipAll } from "./support.ts";
import { planted } from "../support/redaction.ts";

let app: AppServer;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 5 } });
  browser = await launchBrowser();
  page = await (await browser.newContext({ baseURL: app.origin, locale: "de-DE", acceptDownloads: true })).newPage();
  problems = watchPage(page);
  await loginInBrowser(page, "forschung", demoPassword("forschung"));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The project form's case and consent declaration, then "Projekt importieren". */
async function declareAndImport(section: Locator) {
  await section.getByLabel("Fall (Pseudonym)").fill("LOE-2016-0001");
  await section.getByLabel("Erteilt von").selectOption("person");
  await section.getByLabel("Form", { exact: true }).selectOption("written");
  await section.getByLabel("Version des Informationsblatts").fill("Infoblatt 2025");
  await section.getByLabel("Ich bestätige, dass diese Einwilligung dokumentiert vorliegt.").check();
  await section.getByRole("button", { name: "Projekt importieren" }).click();
}

describe("exchange page", () => {
  it("is reachable from the navigation and has no serious accessibility findings", async () => {
    await page.getByRole("link", { name: "Austausch" }).first().click();
    await page.waitForURL("**/exchange");
    // The URL changes before the new page has rendered: wait for its heading.
    await page.getByRole("heading", { level: 1, name: /REFI-QDA/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("downloads the project as .qdpx, identifying details replaced unless the box is unticked", async () => {
    const secrets = [...new Set(planted("int-01").map((p) => p.text))];
    const exportOnce = async () => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Projekt exportieren (.qdpx)" }).click()]);
      expect(download.suggestedFilename()).toMatch(/^lebenswege-\d{4}-\d{2}-\d{2}\.qdpx$/);
      const texts = [...(await unzipAll(fs.readFileSync((await download.path())!))).entries()].filter(([name]) => name.endsWith(".txt")).map(([, b]) => b.toString("utf8")).join("\n");
      const entry = await app.db.auditLog.findFirst({ where: { action: "refi.export" }, orderBy: { id: "desc" } });
      return { texts, identifying: JSON.parse(entry!.detail!).identifying as string };
    };
    const box = page.getByLabel("Identitätsangaben ersetzen");
    expect(await box.isChecked()).toBe(true);
    const replaced = await exportOnce();
    expect(replaced.identifying).toBe("replaced");
    expect(secrets.filter((s) => replaced.texts.includes(s))).toEqual([]);
    await box.uncheck();
    const kept = await exportOnce();
    expect(kept.identifying).toBe("kept");
    expect(secrets.filter((s) => kept.texts.includes(s))).toEqual(secrets);
  });

  it("imports a codebook through the form and shows the report", async () => {
    const qdc = `<?xml version="1.0" encoding="UTF-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="${G(1)}" name="Aus dem Browser" isCodable="true" color="#336699"/></Codes></CodeBook>`;
    const section = page.getByRole("region", { name: "Codebuch importieren" });
    await section.getByLabel("Datei").setInputFiles({ name: "buch.qdc", mimeType: "application/xml", buffer: Buffer.from(qdc) });
    await section.getByRole("button", { name: "Codebuch importieren" }).click();
    const report = page.getByRole("status").filter({ hasText: "Codebuch importiert" });
    await report.waitFor();
    expect(await report.textContent()).toContain("1 Code neu angelegt");
    expect(await app.db.code.count({ where: { name: "Aus dem Browser", colour: "#336699" } })).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("shows a refusal for a file that is not a project, and asks for the consent declaration first", async () => {
    const section = page.getByRole("region", { name: "Projekt importieren" });
    await section.getByLabel("Datei").setInputFiles({ name: "kaputt.qdpx", mimeType: "application/zip", buffer: Buffer.from("kein zip") });
    await section.getByRole("button", { name: "Projekt importieren" }).click();
    // The browser checks the form first: the case and the consent declaration are missing.
    await section.getByText("Bitte bestätigen Sie, dass die Einwilligung dokumentiert vorliegt.").waitFor();
    await declareAndImport(section);
    const alert = page.getByRole("alert").filter({ hasText: "Die Datei wurde abgelehnt" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("kein Zip-Archiv");
    expect(problems.filter((p) => !p.includes("422"))).toEqual([]);
  });

  it("asks before importing the same project into the same case twice, keeping the form and the chosen file", async () => {
    const section = page.getByRole("region", { name: "Projekt importieren" });
    const file = { name: "mini.qdpx", mimeType: "application/zip", buffer: await zipOf(miniProject({ text: "B: Zweimal importiert? Lieber nicht. #00:00:05-0#\n" }).files) };
    const fill = async () => {
      await section.getByLabel("Datei").setInputFiles(file);
      await declareAndImport(section);
    };
    const kase = await app.db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2016-0001" }, select: { id: true } });
    const interviews = () => app.db.interview.count({ where: { caseId: kase.id } });
    await fill();
    await page.getByRole("status").filter({ hasText: "1 neues Interview" }).waitFor();
    const afterFirst = await interviews();
    const first = await app.db.interview.findFirstOrThrow({ where: { caseId: kase.id }, orderBy: { createdAt: "desc" }, select: { code: true } });

    await fill();
    const alert = page.getByRole("alert").filter({ hasText: "Diese Textquelle gibt es in dem Fall schon" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`„Mini-Quelle“: gleicher Text wie ${first.code}`);
    expect(await interviews()).toBe(afterFirst);
    // Nothing typed is lost: the case and the file are still there; ticking the new box imports on purpose.
    expect(await section.getByLabel("Fall (Pseudonym)").inputValue()).toBe("LOE-2016-0001");
    expect(await section.getByLabel("Datei").evaluate((el) => (el as HTMLInputElement).files?.[0]?.name)).toBe("mini.qdpx");
    await section.getByLabel("Trotzdem als neue Interviews importieren").check();
    await section.getByRole("button", { name: "Projekt importieren" }).click();
    await page.getByRole("status").filter({ hasText: "1 neues Interview" }).waitFor();
    expect(await interviews()).toBe(afterFirst + 1);
    expect(problems.filter((p) => !p.includes("409") && !p.includes("422"))).toEqual([]);
  });
});
