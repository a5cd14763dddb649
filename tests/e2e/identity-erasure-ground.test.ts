// Emptying a field of a case's identity record erases it (ADR 0012), in Debian's Chromium against the real server:
// the save is refused without a legal ground (the message at the field, every entry and the note as typed), and done
// with one, the audit entry naming the emptied field and the ground. Replacing a value asks for none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { demoPassword, startAppServer, type AppServer } from "../support/app-server.ts";
import { launchBrowser, seriousAxeViolations, signedInPage } from "./support/browser.ts";

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

describe("emptying an identity field", () => {
  it("asks for the legal ground: without one nothing is saved and the entries stay; with one the log names it", async () => {
    const { page, problems } = await signedInPage(browser, app.origin, "im.loerrach", demoPassword("im.loerrach"), `/cases/${caseId}/identity?edit=1`);
    const form = page.locator("form#identity");
    const address = form.getByLabel("Anschrift", { exact: true });
    const save = form.getByRole("button", { name: "Speichern" });
    // A replaced (or new) value is a correction: saved without a ground.
    await address.fill("Testweg 1, 79539 Lörrach");
    await save.click();
    await page.getByRole("status").filter({ hasText: "Gespeichert" }).waitFor();
    const updates = () => app.db.auditLog.count({ where: { action: "identity.update", entityId: caseId } });
    const before = await updates();

    await page.goto(`/cases/${caseId}/identity?edit=1`);
    await address.fill("");
    await form.getByLabel("Telefon", { exact: true }).fill("07621 123 456");
    const note = form.getByLabel("Anmerkung (freiwillig)");
    await note.fill("Umzug ins Ausland");
    await save.click();
    await form.getByText("Bitte eine Auswahl treffen.").waitFor();
    expect(await address.inputValue()).toBe("");
    expect(await form.getByLabel("Telefon", { exact: true }).inputValue()).toBe("07621 123 456");
    expect(await note.inputValue()).toBe("Umzug ins Ausland");
    expect(await updates()).toBe(before);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await form.getByLabel("Rechtsgrundlage der Löschung (Pflichtangabe, wenn Sie etwas löschen)").selectOption({ label: "Für den Zweck nicht mehr notwendig (Art. 17 Abs. 1 lit. a DSGVO)" });
    await save.click();
    await page.waitForURL(/\/identity\?saved=1/);
    await expect(page.locator("dl.facts").textContent()).resolves.not.toContain("Testweg");
    const entry = await app.db.auditLog.findFirstOrThrow({ where: { action: "identity.update", entityId: caseId }, orderBy: { id: "desc" }, select: { detail: true } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ fieldsCleared: ["address"], ground: "no_longer_necessary", note: "Umzug ins Ausland" });
    expect(JSON.parse(entry.detail!).fieldsSet).toContain("phone");
    // Only the server knows which fields are stored, so the refusal is its 400 (the one message the browser logs).
    expect(problems).toEqual(["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
    await page.context().close();
  });
});
