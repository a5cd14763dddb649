// Versioned consent: every change is a new version, the history stays readable (who recorded which version
// and when), exactly one version is current, and the audit log names the version and scopes, never people.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { createInterview } from "./interviews.server.ts";
import { recordConsent, type ConsentValues } from "./consent.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { CONSENT_SCOPES, scopeColumn, type ConsentScope } from "../consent/scopes.ts";
import { ctx, ensureReference, getRequest, grantFor, insertCase, jsonOf, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import * as consentPage from "../routes/interviews.$interviewId.consent.tsx";
import fs from "node:fs";
import { journalPath, readJournal } from "../withdrawal/journal.server.ts";
import { replayConsentRevocations } from "../withdrawal/replay.server.ts";

let researcher: TestUser;
let colleague: TestUser;
let im: TestUser;
let grant: Grant;
let caseId: string;

const values = (scopes: ConsentScope[], extra: Partial<ConsentValues> = {}): ConsentValues => ({
  givenBy: "person",
  givenAt: new Date("2025-03-01T00:00:00Z"),
  takenById: researcher.user.id,
  form: "written",
  language: "ar",
  infoSheetVersion: "Infoblatt 2.0",
  copyHandedOver: true,
  interpreterPresent: true,
  interpreterConfidentiality: true,
  ...(Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), scopes.includes(s)])) as Record<ReturnType<typeof scopeColumn>, boolean>),
  ...extra,
});

/** A consent form as the browser posts it: checkboxes present only when ticked. */
const formOf = (scopes: ConsentScope[], extra: Record<string, string> = {}) => ({
  givenBy: "guardian",
  givenAt: "2025-03-02",
  takenById: researcher.user.id,
  form: "oral_recorded",
  language: "ti",
  infoSheetVersion: "Infoblatt 2.1",
  copyHandedOver: "on",
  ...Object.fromEntries(scopes.map((s) => [scopeColumn(s), "on"])),
  ...extra,
});

async function newInterview() {
  return (await createInterview(null, grant, caseId, { date: new Date("2025-03-01T00:00:00Z"), placeType: "office", languages: ["ar"], interviewerId: researcher.user.id })).id;
}

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  researcher = await signedInUser("forschung.consent", ["researcher"]);
  colleague = await signedInUser("forschung.kollegin", ["researcher"]);
  im = await signedInUser("im.consent", ["integration_manager"], [loerrach]);
  grant = grantFor(researcher.user, "write", "interview");
  caseId = (await insertCase("LOE-2021-0050", loerrach)).id;
});

describe("consent versions", () => {
  it("a change adds a version: the history keeps every one and the current flag moves to the newest", async () => {
    const id = await newInterview();
    await recordConsent(null, grant, id, values(["recording", "transcription", "analysis", "quotation"]));
    await recordConsent(null, grantFor(colleague.user, "write", "interview"), id, values(["recording", "transcription", "analysis"]));
    await recordConsent(null, grant, id, values(["recording", "transcription", "analysis", "archiving"]));
    const rows = await db.consentRecord.findMany({ where: { interviewId: id }, orderBy: { version: "asc" }, select: { version: true, current: true, scopeQuotation: true, scopeArchiving: true, createdById: true } });
    expect(rows.map((r) => [r.version, r.current])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(rows[0]!.scopeQuotation).toBe(true); // the old version is unchanged
    expect(rows[1]!.createdById).toBe(colleague.user.id);
    expect(await mayProcess(id, "quotation")).toMatchObject({ ok: false, missing: "quotation" });
    expect(await mayProcess(id, "archiving")).toEqual({ ok: true });
  });

  it("the same entries again make no new version, and say which version stands", async () => {
    const id = await newInterview();
    expect(await recordConsent(null, grant, id, values(["recording", "transcription"]))).toMatchObject({ version: 1 });
    expect(await recordConsent(null, grant, id, values(["recording", "transcription"]))).toEqual({ unchanged: 1 });
    expect(await recordConsent(null, grant, id, values(["recording", "transcription"], { language: "fa" }))).toMatchObject({ version: 2 });
    expect(await db.consentRecord.count({ where: { interviewId: id } })).toBe(2);
    expect(await db.auditLog.count({ where: { action: "consent.record", entityId: id } })).toBe(2);
  });

  it("versions recorded at the same moment get distinct numbers, and exactly one is current", async () => {
    const id = await newInterview();
    await Promise.all(Array.from({ length: 8 }, (_, i) => recordConsent(null, grant, id, values(["recording"], { infoSheetVersion: `Blatt ${i}` }))));
    const rows = await db.consentRecord.findMany({ where: { interviewId: id }, select: { version: true, current: true } });
    expect(rows.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.filter((r) => r.current).map((r) => r.version)).toEqual([8]);
  });

  it("each recording is audited with its version and the granted scopes, no names or free text", async () => {
    const id = await newInterview();
    await recordConsent(null, grant, id, values(["recording", "linking"], { infoSheetVersion: "Blatt-XYZ-Geheim" }));
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "consent.record", entityId: id }, select: { detail: true, userId: true } });
    expect(JSON.parse(entry.detail!)).toEqual({ version: 1, scopes: ["recording", "linking"], reason: "record" });
    expect(entry.detail).not.toContain("Blatt-XYZ");
    expect(entry.userId).toBe(researcher.user.id);
  });

  it("a withdrawn interview takes no new consent (409)", async () => {
    const id = await newInterview();
    await db.interview.update({ where: { id }, data: { status: "withdrawn" } });
    expect(await statusOf(() => recordConsent(null, grant, id, values(["recording"])))).toBe(409);
  });
});

describe("the consent page", () => {
  it("records a new version from the form, every field and every scope as ticked", async () => {
    const id = await newInterview();
    const res = await consentPage.action({ request: postRequest(`/interviews/${id}/consent`, researcher, formOf(["recording", "specialCategories", "recontact"])), params: { interviewId: id }, ...ctx });
    expect(res.status).toBe(200);
    expect((await res.json()).version).toBe(1);
    const row = await db.consentRecord.findFirstOrThrow({ where: { interviewId: id, current: true } });
    expect(row).toMatchObject({
      givenBy: "guardian",
      form: "oral_recorded",
      language: "ti",
      infoSheetVersion: "Infoblatt 2.1",
      copyHandedOver: true,
      interpreterPresent: false,
      interpreterConfidentiality: false,
      takenById: researcher.user.id,
      createdById: researcher.user.id,
      scopeRecording: true,
      scopeTranscription: false,
      scopeExternalTranscription: false,
      scopeAnalysis: false,
      scopeLinking: false,
      scopeQuotation: false,
      scopeArchiving: false,
      scopeSpecialCategories: true,
      scopeRecontact: true,
    });
    expect(row.givenAt.toISOString()).toBe("2025-03-02T00:00:00.000Z");
  });

  it("refuses a form filled from an older version when another was recorded meanwhile (a revoked scope stays revoked)", async () => {
    const id = await newInterview();
    const post = (who: TestUser, fields: Record<string, string>) => consentPage.action({ request: postRequest(`/interviews/${id}/consent`, who, fields), params: { interviewId: id }, ...ctx });
    await recordConsent(null, grant, id, values(["recording", "transcription", "analysis", "quotation"]));
    // Both open the page at version 1; the colleague records the withdrawal of quotation first.
    expect((await post(colleague, { ...formOf(["recording", "transcription", "analysis"]), basedOn: "1" })).status).toBe(200);
    const stale = await post(researcher, { ...formOf(["recording", "transcription", "analysis", "quotation"], { infoSheetVersion: "Infoblatt 3.0" }), basedOn: "1" });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ version: null, newer: 2, basedOn: 1 });
    expect(await db.consentRecord.count({ where: { interviewId: id } })).toBe(2);
    expect(await mayProcess(id, "quotation")).toMatchObject({ ok: false, reason: "scope-missing" });
    // Saving again after seeing version 2 is a deliberate decision, recorded as version 3.
    const again = await post(researcher, { ...formOf(["recording", "transcription", "analysis"], { infoSheetVersion: "Infoblatt 3.0" }), basedOn: "2" });
    expect(await again.json()).toMatchObject({ version: 3 });
  });

  it("keeps the base of a form refused for its input, so the next save is still checked against it", async () => {
    const id = await newInterview();
    const res = await consentPage.action({ request: postRequest(`/interviews/${id}/consent`, researcher, { ...formOf(["recording"]), givenBy: "", basedOn: "0" }), params: { interviewId: id }, ...ctx });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ basedOn: 0, newer: null });
  });

  it("shows the whole history, who recorded each version and when, and prefills the form with the current one", async () => {
    const id = await newInterview();
    await recordConsent(null, grant, id, values(["recording", "transcription", "quotation"]));
    await recordConsent(null, grantFor(colleague.user, "write", "interview"), id, values(["recording", "transcription"], { language: "fa" }));
    const data = await jsonOf(() => consentPage.loader({ request: getRequest(`/interviews/${id}/consent`, researcher), params: { interviewId: id }, ...ctx }));
    expect(data.history.map((v: { version: number; current: boolean; createdBy: string; scopes: string[] }) => [v.version, v.current, v.createdBy, v.scopes])).toEqual([
      [2, true, "forschung.kollegin", ["recording", "transcription"]],
      [1, false, "forschung.consent", ["recording", "transcription", "quotation"]],
    ]);
    expect(data.history[0].createdAt).toBeTruthy();
    expect(data.history[1].takenBy).toBe("forschung.consent");
    expect(data.defaults).toMatchObject({ language: "fa", scopeRecording: true, scopeTranscription: true, scopeQuotation: false, givenAt: "2025-03-01" });
    expect(data.canWrite).toBe(true);
  });

  it("warns when the earliest consent is dated after the interview, until a version with an earlier date is recorded", async () => {
    const id = await newInterview(); // held on 2025-03-01
    const page = () => jsonOf(() => consentPage.loader({ request: getRequest(`/interviews/${id}/consent`, researcher), params: { interviewId: id }, ...ctx }));
    await recordConsent(null, grant, id, values(["recording"], { givenAt: new Date("2025-03-01T00:00:00Z") }));
    expect((await page()).consentAfterInterview).toBeNull();
    // A later version (a scope added afterwards) is naturally later: no warning.
    await recordConsent(null, grant, id, values(["recording", "analysis"], { givenAt: new Date("2025-06-01T00:00:00Z") }));
    expect((await page()).consentAfterInterview).toBeNull();

    const late = await newInterview();
    await recordConsent(null, grant, late, values(["recording"], { givenAt: new Date("2025-03-12T00:00:00Z") }));
    const data = await jsonOf(() => consentPage.loader({ request: getRequest(`/interviews/${late}/consent`, researcher), params: { interviewId: late }, ...ctx }));
    expect(data.consentAfterInterview).toMatchObject({ givenAt: "2025-03-12" });
    expect(String(data.consentAfterInterview.interviewDate)).toMatch(/^2025-03-01/);
    // The typo corrected: a version dated on the interview day ends the warning.
    await recordConsent(null, grant, late, values(["recording"], { givenAt: new Date("2025-03-01T00:00:00Z"), language: "fa" }));
    expect((await jsonOf(() => consentPage.loader({ request: getRequest(`/interviews/${late}/consent`, researcher), params: { interviewId: late }, ...ctx }))).consentAfterInterview).toBeNull();
  });

  it("refuses invalid input next to the field, and saves nothing", async () => {
    const id = await newInterview();
    const post = (extra: Record<string, string>) => consentPage.action({ request: postRequest(`/interviews/${id}/consent`, researcher, formOf(["recording"], extra)), params: { interviewId: id }, ...ctx });
    const bad = await post({ givenAt: "2999-01-01", takenById: im.user.id, infoSheetVersion: "" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).result.error).toMatchObject({
      givenAt: ["validation.futureDate"],
      takenById: ["interviews:validation.researcher"],
      infoSheetVersion: ["validation.required"],
    });
    // A confidentiality agreement needs an interpreter.
    const noInterpreter = await post({ interpreterConfidentiality: "on" });
    expect(noInterpreter.status).toBe(400);
    expect((await noInterpreter.json()).result.error).toEqual({ interpreterConfidentiality: ["interviews:validation.confidentialityWithoutInterpreter"] });
    expect(await db.consentRecord.count({ where: { interviewId: id } })).toBe(0);
  });

  it("is closed to integration managers (403), and the form to users without write:interview", async () => {
    const id = await newInterview();
    expect(await statusOf(() => consentPage.loader({ request: getRequest(`/interviews/${id}/consent`, im), params: { interviewId: id }, ...ctx }))).toBe(403);
    expect(await statusOf(() => consentPage.action({ request: postRequest(`/interviews/${id}/consent`, im, formOf(["recording"])), params: { interviewId: id }, ...ctx }))).toBe(403);
  });
});

describe("taking consent back on the form", () => {
  it("refuses a scope whose data a withdrawal erases (here: analysis) and points to the withdrawal; nothing is saved", async () => {
    const id = await newInterview();
    await recordConsent(null, grant, id, values(["recording", "transcription", "analysis"]));
    const res = await consentPage.action({ request: postRequest(`/interviews/${id}/consent`, researcher, { ...formOf(["recording", "transcription"]), basedOn: "1" }), params: { interviewId: id }, ...ctx });
    expect(res.status).toBe(409);
    expect((await res.json()).needsWithdrawal).toEqual(["analysis"]);
    expect(await db.consentRecord.count({ where: { interviewId: id } })).toBe(1);
    expect(await mayProcess(id, "analysis")).toEqual({ ok: true });
  });

  it("takes back special categories: journaled (a restore repeats it), and the Art. 9 codings are erased", async () => {
    const id = await newInterview();
    await recordConsent(null, grant, id, values(["recording", "transcription", "analysis", "specialCategories"]));
    const transcript = await db.transcript.create({ data: { interviewId: id, source: "import", language: "de", version: 1, paragraphs: { create: [{ position: 0, speaker: "B", startMs: 0, endMs: 1000, text: "Ich bete jeden Tag und gehe zur Moschee." }] } }, select: { id: true } });
    const special = await db.code.create({ data: { name: "Religion (Test)", colour: "#777777", position: 99, specialCategory: true }, select: { id: true } });
    const plain = await db.code.create({ data: { name: "Alltag (Test)", colour: "#777777", position: 98 }, select: { id: true } });
    for (const codeId of [special.id, plain.id]) await db.coding.create({ data: { transcriptId: transcript.id, interviewId: id, codeId, start: 3, end: 12, quote: "bete jede" } });

    const taken = await recordConsent(null, grant, id, values(["recording", "transcription", "analysis"]));
    expect(taken).toMatchObject({ version: 2 });
    expect(await db.coding.findMany({ where: { interviewId: id }, select: { codeId: true } })).toEqual([{ codeId: plain.id }]);
    const journaled = readJournal(journalPath()).revocations.filter((r) => r.interviewId === id);
    expect(journaled.map((r) => r.scopes)).toEqual([["specialCategories"]]);
    expect(fs.readFileSync(journalPath(), "utf8")).not.toContain("Moschee");

    // A restore of a backup from before: the scope is granted again and the coding is back, until the replay.
    await db.consentRecord.updateMany({ where: { interviewId: id, current: true }, data: { scopeSpecialCategories: true } });
    await db.coding.create({ data: { transcriptId: transcript.id, interviewId: id, codeId: special.id, start: 3, end: 12, quote: "bete jede" } });
    expect(await replayConsentRevocations(journaled)).toEqual({ repeated: 1, alreadyDone: 0, interviewUnknown: 0 });
    expect(await mayProcess(id, "specialCategories")).toMatchObject({ ok: false });
    expect(await db.coding.count({ where: { interviewId: id, codeId: special.id } })).toBe(0);
    expect(await replayConsentRevocations(journaled)).toEqual({ repeated: 0, alreadyDone: 1, interviewUnknown: 0 });
  });
});
