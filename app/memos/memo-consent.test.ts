// Memos follow the interview's current analysis consent on every memo path (ADR 0018): once a consent version
// lacks analysis, the list, the interview's memo tab and the Word export leave the interview's and its codings'
// memos out and say how many and why; the memo page and the edit page answer 403 naming the interview and nothing
// of the memo; saving, deleting and new memos there are refused; project memos stay. A version granting analysis
// again shows everything again (nothing was deleted), and a withdrawal still erases hidden memos. Through the
// routes' loaders and actions against the real test database (SQLite, or PostgreSQL with TEST_DATABASE=postgres).
import { beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, grantFor, insertCase, municipalityId, postRequest, statusOf, signedInUser, type TestUser } from "../cases/test-support.ts";
import { givenConsent } from "../../tests/support/consent.ts";
import { addConsentVersion, consentSelect, recordConsent, withoutScopes } from "../interviews/consent.server.ts";
import { createI18n } from "../i18n/config.ts";
import * as listPage from "../routes/memos._index.tsx";
import * as newPage from "../routes/memos.new.tsx";
import * as memoPage from "../routes/memos.$memoId._index.tsx";
import * as editPage from "../routes/memos.$memoId.edit.tsx";
import * as interviewMemosPage from "../routes/interviews.$interviewId.memos.tsx";
import * as exportRoute from "../routes/memos[.docx].tsx";
import { registerEraser } from "../withdrawal/erasers.server.ts";
import { withdrawInterview } from "../withdrawal/withdraw.server.ts";
import { memoEraser } from "./eraser.server.ts";

let author: TestUser;
let colleague: TestUser;
let codeId: string;

const doc = (text: string) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

async function analysedInterview(pseudonym: string, code: string) {
  const caseId = (await insertCase(pseudonym, await municipalityId("08336050"))).id;
  const at = new Date("2025-03-01T10:00:00Z");
  const interview = await db.interview.create({
    data: { code, caseId, date: at, placeType: "office", languages: '["de"]', status: "transcribed", consents: givenConsent(at, { analysis: true }) },
    select: { id: true },
  });
  const transcript = await db.transcript.create({ data: { interviewId: interview.id, source: "manual" }, select: { id: true } });
  const coding = await db.coding.create({ data: { transcriptId: transcript.id, interviewId: interview.id, codeId, start: 0, end: 11, quote: "Ich bestand" }, select: { id: true } });
  return { interviewId: interview.id, codingId: coding.id };
}

/** A consent version without analysis, as a partial withdrawal writes it before its erasers have run (pending). */
async function dropAnalysis(interviewId: string) {
  await db.$transaction(async (tx) => {
    const current = await tx.consentRecord.findFirstOrThrow({ where: { interviewId, current: true }, select: consentSelect });
    await addConsentVersion(null, author.user, tx, interviewId, withoutScopes(current, ["analysis"]), "withdrawal");
  });
}

/** The person consents to analysis again: a new version through the consent's own save. */
async function grantAnalysis(interviewId: string) {
  const current = await db.consentRecord.findFirstOrThrow({ where: { interviewId, current: true }, select: consentSelect });
  const saved = await recordConsent(null, grantFor(author.user, "write", "interview"), interviewId, { ...withoutScopes(current, []), scopeAnalysis: true });
  expect(saved).toMatchObject({ version: current.version + 1 });
}

type Fields = Record<string, string>;
const create = (who: TestUser, query: string, fields: Fields) => newPage.action({ request: postRequest(`/memos/new${query}`, who, { intent: "save", ...fields }), params: {}, ...ctx });
const idOf = (res: Response) => res.headers.get("location")!.split("/").pop()!;
const edit = (who: TestUser, memoId: string, fields: Fields) => editPage.action({ request: postRequest(`/memos/${memoId}/edit`, who, fields), params: { memoId }, ...ctx });
type ListData = { rows: { id: string; title: string; excerpt: string }[]; total: number; hidden: number; authors?: { id: string; name: string }[] };
const list = async (who: TestUser, query = "") => (await (await listPage.loader({ request: getRequest(`/memos${query}`, who), params: {}, ...ctx })).json()) as ListData;
const tab = async (who: TestUser, interviewId: string) => (await (await interviewMemosPage.loader({ request: getRequest(`/interviews/${interviewId}/memos`, who), params: { interviewId }, ...ctx })).json()) as ListData;
const page = (who: TestUser, memoId: string) => memoPage.loader({ request: getRequest(`/memos/${memoId}`, who), params: { memoId }, ...ctx });
const editForm = (who: TestUser, memoId: string) => editPage.loader({ request: getRequest(`/memos/${memoId}/edit`, who), params: { memoId }, ...ctx });
const docxText = async (who: TestUser, query = "?redact=0") => {
  const res = await exportRoute.loader({ request: getRequest(`/memos.docx${query}`, who), params: {}, ...ctx });
  expect(res.status).toBe(200);
  return (await mammoth.extractRawText({ buffer: Buffer.from(await res.arrayBuffer()) })).value;
};

/** The thrown refusal of a loader or action: its status and body. */
async function refusal(run: () => Promise<unknown>): Promise<{ status: number; body: string }> {
  try {
    await run();
  } catch (e) {
    if (e instanceof Response) return { status: e.status, body: await e.text() };
    throw e;
  }
  throw new Error("not refused");
}

const HIDDEN_SENTENCE = "2 Memos sind ausgeblendet: Die Einwilligung deckt die Auswertung nicht ab.";

beforeAll(async () => {
  await ensureReference();
  author = await signedInUser("memo.consent.author", ["researcher"]);
  colleague = await signedInUser("memo.consent.colleague", ["researcher"]);
  codeId = (await db.code.create({ data: { key: "T.KON", name: "Konsens", colour: "#336699" }, select: { id: true } })).id;
});

describe("memos follow the interview's analysis consent", () => {
  it("are hidden on the list, the interview's tab, the page, the edit page and the Word export while the consent lacks analysis, and come back with it", async () => {
    const { interviewId, codingId } = await analysedInterview("LOE-2020-0801", "INT-T-0801");
    const onInterview = idOf(await create(author, `?interviewId=${interviewId}`, { title: "Wendepunkt Anerkennung", type: "theory", content: doc("Vertraulicher Gedanke zur Anerkennung") }));
    const onCoding = idOf(await create(author, `?codingId=${codingId}`, { title: "Ausdauer im Kurs", type: "case", content: doc("Vertraulicher Gedanke zur Ausdauer") }));
    const project = idOf(await create(author, "", { title: "Projektregel Konsens", type: "method", content: doc("Gilt für alle Interviews") }));
    const titles = (data: ListData) => data.rows.map((r) => r.title).sort();

    // With analysis consent: everything is there.
    expect(titles(await list(colleague))).toEqual(["Ausdauer im Kurs", "Projektregel Konsens", "Wendepunkt Anerkennung"]);
    expect((await list(colleague)).hidden).toBe(0);
    expect((await tab(colleague, interviewId)).rows.map((r) => r.id).sort()).toEqual([onInterview, onCoding].sort());
    expect(await statusOf(() => page(colleague, onInterview))).toBe(200);
    expect(await docxText(colleague)).toContain("Vertraulicher Gedanke zur Anerkennung");

    await dropAnalysis(interviewId);

    // The list: only the project memo, and one sentence saying how many are hidden and why.
    const hiddenList = await list(colleague);
    expect(hiddenList.rows.map((r) => r.id)).toEqual([project]);
    expect([hiddenList.total, hiddenList.hidden]).toEqual([1, 2]);
    expect(createI18n("de").t("memos:list.hidden", { count: hiddenList.hidden })).toBe(HIDDEN_SENTENCE);
    expect(createI18n("en").t("memos:list.hidden", { count: 1 })).toBe("1 memo is hidden: the consent does not cover analysis.");
    expect(JSON.stringify(hiddenList)).not.toMatch(/Vertraulich|Wendepunkt|Ausdauer/);
    // The filters count what they would show: project memos hide nothing; the text is not searched in hidden memos.
    expect((await list(colleague, "?target=project")).hidden).toBe(0);
    expect((await list(colleague, "?target=coding")).hidden).toBe(1);
    expect(await list(colleague, "?q=Vertraulicher")).toMatchObject({ rows: [], total: 0, hidden: 2 });
    const ofTab = await tab(colleague, interviewId);
    expect([ofTab.rows, ofTab.total, ofTab.hidden]).toEqual([[], 0, 2]);

    // The memo's page and edit page: 403 naming the interview, nothing of the memo; no read is logged.
    const views = () => db.auditLog.count({ where: { action: "memo.view", entityId: { in: [onInterview, onCoding] } } });
    const viewsBefore = await views();
    for (const id of [onInterview, onCoding]) {
      for (const [who, run] of [
        ["colleague, page", () => page(colleague, id)],
        ["author, page", () => page(author, id)],
        ["author, edit page", () => editForm(author, id)],
      ] as const) {
        const refused = await refusal(run);
        expect(refused.status, who).toBe(403);
        expect(JSON.parse(refused.body), who).toEqual({ error: "memo-analysis-consent", interviewCode: "INT-T-0801", casePseudonym: null });
      }
    }
    expect(await views()).toBe(viewsBefore);

    // Saving and deleting are refused the same way; nothing changes.
    // A save is refused, and the words the author typed go back to their page, nothing of the stored memo.
    const saved = (await edit(author, onInterview, { intent: "save", title: "Überschrieben", type: "other", content: doc("Mein neuer Gedanke") })) as Response;
    const savedBody = (await saved.json()) as { unsaved: { reason: string; interviewCode: string; title: string; contentText: string } };
    expect([saved.status, savedBody.unsaved.reason, savedBody.unsaved.interviewCode, savedBody.unsaved.title]).toEqual([403, "hidden", "INT-T-0801", "Überschrieben"]);
    expect(savedBody.unsaved.contentText).toContain("Mein neuer Gedanke");
    expect(JSON.stringify(savedBody)).not.toMatch(/Vertraulich|Wendepunkt|Ausdauer/);
    const del = await refusal(() => edit(author, onCoding, { intent: "delete", ground: "no_longer_necessary" }));
    expect([del.status, JSON.parse(del.body).interviewCode]).toEqual([403, "INT-T-0801"]);
    expect(await db.memo.findMany({ where: { id: { in: [onInterview, onCoding] } }, select: { title: true }, orderBy: { title: "asc" } })).toEqual([{ title: "Ausdauer im Kurs" }, { title: "Wendepunkt Anerkennung" }]);
    expect(await db.auditLog.count({ where: { action: { in: ["memo.update", "memo.delete"] }, entityId: { in: [onInterview, onCoding] } } })).toBe(0);

    // No new memo on the interview or its coding: the form says why, a post is refused.
    for (const query of [`?interviewId=${interviewId}`, `?codingId=${codingId}`]) {
      expect((await (await newPage.loader({ request: getRequest(`/memos/new${query}`, author), params: {}, ...ctx })).json()).consentMissing, query).toBe(true);
      expect(await statusOf(() => create(author, query, { title: "Trotzdem", type: "other", content: doc("x") })), query).toBe(403);
    }
    expect(await db.memo.count({ where: { title: "Trotzdem" } })).toBe(0);

    // The Word export: without the hidden memos, saying how many and why; the project memo stays.
    const exported = await docxText(colleague);
    expect(exported).not.toMatch(/Vertraulicher|Wendepunkt Anerkennung|Ausdauer im Kurs/);
    expect(exported).toContain("Projektregel Konsens");
    expect(exported).toContain("1 Memo.");
    expect(exported).toContain(HIDDEN_SENTENCE);
    const logged = await db.auditLog.findFirstOrThrow({ where: { action: "memo.export", userId: colleague.user.id }, orderBy: { id: "desc" }, select: { detail: true } });
    expect(JSON.parse(logged.detail!)).toMatchObject({ rows: 1, hidden: 2 });

    // Analysis granted again: the same memos, readable and changeable as before.
    await grantAnalysis(interviewId);
    const back = await list(colleague);
    expect(titles(back)).toEqual(["Ausdauer im Kurs", "Projektregel Konsens", "Wendepunkt Anerkennung"]);
    expect(back.hidden).toBe(0);
    expect((await tab(colleague, interviewId)).rows.map((r) => r.id).sort()).toEqual([onInterview, onCoding].sort());
    expect((await (await page(colleague, onCoding)).json()).memo.title).toBe("Ausdauer im Kurs");
    expect(await docxText(colleague)).toContain("Vertraulicher Gedanke zur Anerkennung");
    expect(await statusOf(() => editForm(author, onInterview))).toBe(200);
    expect((await edit(author, onInterview, { intent: "save", title: "Wendepunkt Anerkennung", type: "theory", content: doc("Wieder auswertbar") })).status).toBe(302);
    expect(await db.memo.findUniqueOrThrow({ where: { id: onInterview }, select: { contentText: true } })).toEqual({ contentText: "Wieder auswertbar" });
  });

  it("a withdrawn interview's memos are hidden too, and its withdrawal still erases them, though the memo's own delete is refused", async () => {
    registerEraser(memoEraser); // as app/withdrawal/register.server.ts does
    const { interviewId, codingId } = await analysedInterview("LOE-2020-0802", "INT-T-0802");
    const onInterview = idOf(await create(author, `?interviewId=${interviewId}`, { title: "Vor dem Widerruf", type: "reflection", content: doc("x") }));
    const onCoding = idOf(await create(author, `?codingId=${codingId}`, { title: "Codierung vor dem Widerruf", type: "reflection", content: doc("x") }));
    await db.interview.update({ where: { id: interviewId }, data: { status: "withdrawn" } }); // as a pending whole withdrawal leaves it
    expect((await refusal(() => page(author, onInterview))).status).toBe(403);
    expect((await tab(author, interviewId)).hidden).toBe(2);
    expect(await statusOf(() => edit(author, onInterview, { intent: "delete", ground: "no_longer_necessary" }))).toBe(403);
    await db.interview.update({ where: { id: interviewId }, data: { status: "transcribed" } });

    await dropAnalysis(interviewId);
    expect(await statusOf(() => edit(author, onCoding, { intent: "delete", ground: "no_longer_necessary" }))).toBe(403);
    await withdrawInterview(null, author.user, interviewId, { scope: "whole" });
    expect(await db.memo.count({ where: { id: { in: [onInterview, onCoding] } } })).toBe(0);
    expect(await statusOf(() => page(author, onInterview))).toBe(404);
  });
});

describe("case memos follow the analysis consent of the case's interviews", () => {
  it("a case memo is hidden once the case's only interview loses analysis, and comes back with a consent granting it", async () => {
    const { interviewId } = await analysedInterview("LOE-2020-0803", "INT-T-0803");
    const caseId = (await db.interview.findUniqueOrThrow({ where: { id: interviewId }, select: { caseId: true } })).caseId;
    const onCase = idOf(await create(author, `?caseId=${caseId}`, { title: "Fallverlauf Vertrauen", type: "case", content: doc("Vertraulicher Gedanke zum Fall") }));
    const ids = async (query = "?target=case") => (await list(colleague, query)).rows.map((r) => r.id);
    expect(await ids()).toContain(onCase);
    expect(await statusOf(() => page(colleague, onCase))).toBe(200);

    await dropAnalysis(interviewId);

    // The list leaves it out and counts it; its text is neither shown nor searched.
    const hiddenList = await list(colleague, "?target=case");
    expect(hiddenList.rows.map((r) => r.id)).not.toContain(onCase);
    expect(hiddenList.hidden).toBe(1);
    expect(JSON.stringify(await list(colleague))).not.toMatch(/Fallverlauf Vertrauen|zum Fall/);
    // Page and edit page: 403 naming the case's pseudonym (there is no interview to name), nothing of the memo.
    for (const run of [() => page(colleague, onCase), () => page(author, onCase), () => editForm(author, onCase)]) {
      const refused = await refusal(run);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ error: "memo-analysis-consent", interviewCode: null, casePseudonym: "LOE-2020-0803" });
    }
    expect(createI18n("de").t("memos:hiddenMemo.textCase", { case: "LOE-2020-0803" })).toMatch(/^Keines der Interviews zum Fall LOE-2020-0803 hat noch eine Einwilligung/);
    expect(createI18n("en").t("memos:hiddenMemo.textCase", { case: "LOE-2020-0803" })).toMatch(/^None of the interviews of case LOE-2020-0803 still has a consent/);
    // A save is refused; the typed words go back to the author's page with the case named.
    const saved = (await edit(author, onCase, { intent: "save", title: "Überschrieben", type: "other", content: doc("Mein neuer Fallgedanke") })) as Response;
    const savedBody = (await saved.json()) as { unsaved: { reason: string; interviewCode: string | null; casePseudonym: string | null; contentText: string } };
    expect([saved.status, savedBody.unsaved.reason, savedBody.unsaved.interviewCode, savedBody.unsaved.casePseudonym]).toEqual([403, "hidden", null, "LOE-2020-0803"]);
    expect(savedBody.unsaved.contentText).toContain("Mein neuer Fallgedanke");
    expect(await statusOf(() => edit(author, onCase, { intent: "delete", ground: "no_longer_necessary" }))).toBe(403);
    expect(await db.memo.findUniqueOrThrow({ where: { id: onCase }, select: { title: true } })).toEqual({ title: "Fallverlauf Vertrauen" });
    // The Word export leaves it out.
    expect(await docxText(colleague, "?redact=0&target=case")).not.toContain("Vertraulicher Gedanke zum Fall");

    await grantAnalysis(interviewId);
    expect(await ids()).toContain(onCase);
    expect((await list(colleague, "?target=case")).hidden).toBe(0);
    expect((await (await page(colleague, onCase)).json()).memo.title).toBe("Fallverlauf Vertrauen");
    expect(await docxText(colleague, "?redact=0&target=case")).toContain("Vertraulicher Gedanke zum Fall");
  });

  it("a case without any interview keeps its memo readable; a withdrawn only interview hides it", async () => {
    const kase = await insertCase("LOE-2020-0804", await municipalityId("08336050"));
    // Written while preparing the first interview (not through the new-memo page, which asks for an analysed interview).
    const memo = await db.memo.create({ data: { caseId: kase.id, type: "case", title: "Vorbereitung Erstgespräch", contentJson: doc("Fragen vorbereiten"), contentHtml: "<p>Fragen vorbereiten</p>", contentText: "Fragen vorbereiten", authorId: author.user.id }, select: { id: true } });
    expect((await list(colleague, "?target=case")).rows.map((r) => r.id)).toContain(memo.id);
    expect((await (await page(colleague, memo.id)).json()).memo.title).toBe("Vorbereitung Erstgespräch");

    // The first interview exists now, withdrawn (as a pending whole withdrawal leaves it): no interview allows analysis.
    await db.interview.create({ data: { code: "INT-T-0804", caseId: kase.id, date: new Date("2025-03-01T10:00:00Z"), placeType: "office", languages: '["de"]', status: "withdrawn", consents: givenConsent(new Date("2025-03-01T10:00:00Z"), { analysis: true }) } });
    expect((await list(colleague, "?target=case")).rows.map((r) => r.id)).not.toContain(memo.id);
    expect((await refusal(() => page(colleague, memo.id))).status).toBe(403);
  });

  it("the author filter lists only authors of memos the reader may read", async () => {
    const caseAuthor = await signedInUser("memo.consent.caseauthor", ["researcher"]);
    const { interviewId } = await analysedInterview("LOE-2020-0805", "INT-T-0805");
    const caseId = (await db.interview.findUniqueOrThrow({ where: { id: interviewId }, select: { caseId: true } })).caseId;
    await create(caseAuthor, `?caseId=${caseId}`, { title: "Nur ein Fallmemo", type: "case", content: doc("x") });
    const authors = async () => ((await list(colleague)).authors ?? []).map((a) => a.id);
    expect(await authors()).toContain(caseAuthor.user.id);
    await dropAnalysis(interviewId);
    // Their only memo is hidden: they are not offered (nor is the other author, whose memos stay readable, missing).
    expect(await authors()).not.toContain(caseAuthor.user.id);
    expect(await authors()).toContain(author.user.id);
    await grantAnalysis(interviewId);
    expect(await authors()).toContain(caseAuthor.user.id);
  });
});
