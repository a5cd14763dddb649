// The integration manager who arranges a follow-up sees on the case's interviews tab whether research may approach
// the person again (ADR 0018): in Chromium against the real server and database, before and after a researcher
// records a consent version without recontact, in German and once in English.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startAppServer, demoPassword, type AppServer } from "../support/app-server.ts";
import { launchBrowser, seriousAxeViolations, signedInPage } from "./support/browser.ts";
import { formatDate } from "../../app/cases/format.ts";

let app: AppServer;
let browser: Browser;
let caseId: string;
let interviewId: string;

beforeAll(async () => {
  app = await startAppServer({ seed: { cases: 10 } });
  browser = await launchBrowser();
  // LOE-2019-0001 (Lörrach): the demo interview INT-2025-0003, whose consent of 15.04.2025 allows recontact.
  const interview = await app.db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0003" }, select: { id: true, caseId: true } });
  ({ id: interviewId, caseId } = interview);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const signedIn = (username: string, to?: string) => signedInPage(browser, app.origin, username, demoPassword(username), to);

describe("recontact on the case's interviews tab", () => {
  it("the integration manager sees it allowed, and not allowed with the day once a researcher records a version without it", async () => {
    const im = await signedIn("im.loerrach", `/cases/${caseId}`);
    await im.page.getByRole("link", { name: "Interviews", exact: true }).click();
    await im.page.getByRole("heading", { level: 2, name: "Interviews zu diesem Fall" }).waitFor();
    const line = im.page.getByRole("note").filter({ hasText: "Wiederkontakt für die Forschung" });
    await expect.poll(() => line.textContent()).toContain("Wiederkontakt für die Forschung: erlaubt (entschieden am 15.04.2025)");
    expect(await seriousAxeViolations(im.page)).toEqual([]);

    // The researcher records the person's new decision on the consent form: everything as before but recontact.
    const researcher = await signedIn("forschung", `/interviews/${interviewId}/consent`);
    await researcher.page.getByLabel("Erteilt am").fill("2025-09-15");
    await researcher.page.getByLabel("Erneute Kontaktaufnahme", { exact: true }).uncheck();
    await researcher.page.getByRole("button", { name: "Als neue Version speichern" }).click();
    await researcher.page.getByText(/als Version 2 gespeichert/).waitFor();
    expect(researcher.problems).toEqual([]);
    await researcher.page.context().close();

    await im.page.reload();
    await expect.poll(() => line.textContent()).toContain(`Wiederkontakt für die Forschung: nicht erlaubt (entschieden am ${formatDate("2025-09-15", "de")})`);
    // Nothing else of the consent: not the scopes, not the interview it was recorded on.
    expect(await line.textContent()).not.toMatch(/Transkription|Einwilligung zu INT-|Version/);

    // In English: the same line, the day as English dates read.
    await im.page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => im.page.evaluate(() => document.documentElement.lang)).toBe("en");
    const english = im.page.getByRole("note").filter({ hasText: "Recontact for research" });
    await expect.poll(() => english.textContent()).toContain(`Recontact for research: not allowed (decided on ${formatDate("2025-09-15", "en")})`);
    await im.page.getByRole("button", { name: "Deutsch" }).click(); // the account keeps its language: back for other tests
    await expect.poll(() => im.page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(im.problems).toEqual([]);
    await im.page.context().close();
  });
});
