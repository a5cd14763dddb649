// Memos through their pages (loaders and actions) against the real test database: create on each kind of target,
// consent gates, who may change what, the list's filters, audit entries, stored rich text sanitized, and what a
// withdrawal erases.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, insertCase, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import * as listPage from "../routes/memos._index.tsx";
import * as newPage from "../routes/memos.new.tsx";
import * as memoPage from "../routes/memos.$memoId._index.tsx";
import * as editPage from "../routes/memos.$memoId.edit.tsx";
import * as interviewMemosPage from "../routes/interviews.$interviewId.memos.tsx";
import { registerEraser } from "../withdrawal/erasers.server.ts";
import { withdrawInterview } from "../withdrawal/withdraw.server.ts";
import { memoEraser } from "./eraser.server.ts";

let author: TestUser;
let colleague: TestUser;
let admin: TestUser;
let adminResearcher: TestUser;
let im: TestUser;
let caseId: string;
let interviewId: string;
let noAnalysisInterviewId: string;
let codeId: string;
let codingId: string;

const doc = (text: string) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

async function interviewOn(caseId: string, code: string, scopes: { scopeAnalysis?: boolean; scopeLinking?: boolean }) {
  const at = new Date("2025-03-01T10:00:00Z");
  return db.interview.create({
    data: {
      code,
      caseId,
      date: at,
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      consents: { create: { version: 1, givenBy: "person", givenAt: at, form: "written", language: "de", infoSheetVersion: "2025-01", ...scopes } },
    },
    select: { id: true },
  });
}

async function codingOn(interviewId: string, codeId: string) {
  const transcript = await db.transcript.create({ data: { interviewId, source: "manual" }, select: { id: true } });
  return db.coding.create({ data: { transcriptId: transcript.id, interviewId, codeId, start: 0, end: 11, quote: "Ich bestand" }, select: { id: true } });
}

type Fields = Record<string, string>;
const create = (who: TestUser, query: string, fields: Fields) => newPage.action({ request: postRequest(`/memos/new${query}`, who, { intent: "save", ...fields }), params: {}, ...ctx });
const edit = (who: TestUser, memoId: string, fields: Fields) => editPage.action({ request: postRequest(`/memos/${memoId}/edit`, who, fields), params: { memoId }, ...ctx });
const idOf = (res: Response) => res.headers.get("location")!.split("/").pop()!;
const list = async (who: TestUser, query = "") => (await (await listPage.loader({ request: getRequest(`/memos${query}`, who), params: {}, ...ctx })).json()) as { rows: { id: string; title: string; target: { kind: string } }[]; total: number };

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  author = await signedInUser("memo.author", ["researcher"]);
  colleague = await signedInUser("memo.colleague", ["researcher"]);
  admin = await signedInUser("memo.admin", ["admin"]);
  adminResearcher = await signedInUser("memo.admin.forschung", ["admin", "researcher"]);
  im = await signedInUser("memo.im", ["integration_manager"], [loerrach]);
  caseId = (await insertCase("LOE-2020-0501", loerrach)).id;
  interviewId = (await interviewOn(caseId, "INT-T-0001", { scopeAnalysis: true })).id;
  noAnalysisInterviewId = (await interviewOn((await insertCase("LOE-2020-0502", loerrach)).id, "INT-T-0002", {})).id;
  codeId = (await db.code.create({ data: { key: "T.SPR", name: "Sprache", colour: "#336699" }, select: { id: true } })).id;
  codingId = (await codingOn(interviewId, codeId)).id;
});

describe("memos", () => {
  it("are created on an interview, a coding, a code, a case and the project, sanitized and audited", async () => {
    const made: Record<string, string> = {};
    for (const [kind, query] of [
      ["interview", `?interviewId=${interviewId}`],
      ["coding", `?codingId=${codingId}`],
      ["code", `?codeId=${codeId}`],
      ["case", `?caseId=${caseId}`],
      ["project", ""],
    ] as const) {
      const res = await create(author, query, { title: `Memo ${kind}`, type: "theory", content: doc(`Text ${kind}`) });
      expect(res.status, kind).toBe(302);
      made[kind] = idOf(res);
    }
    const coding = await db.memo.findUniqueOrThrow({ where: { id: made.coding! }, select: { codingId: true, interviewId: true } });
    expect(coding).toEqual({ codingId, interviewId }); // shows on the interview's tab and goes with its withdrawal
    const all = await list(author);
    expect(Object.fromEntries(all.rows.map((r) => [r.title, r.target.kind]))).toMatchObject({ "Memo interview": "interview", "Memo coding": "coding", "Memo code": "code", "Memo case": "case", "Memo project": "project" });
    const logged = await db.auditLog.findMany({ where: { action: "memo.create", userId: author.user.id }, select: { entityId: true, detail: true } });
    expect(logged.map((l) => l.entityId).sort()).toEqual(Object.values(made).sort());
    expect(logged.every((l) => !l.detail!.includes("Text"))).toBe(true); // no content in the audit log
  });

  it("keeps hostile rich text out of what is stored and shown", async () => {
    const hostile = JSON.stringify({
      type: "doc",
      content: [
        { type: "paragraph", attrs: { onclick: "alert(1)" }, content: [{ type: "text", text: "<script>alert(1)</script>", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] },
        { type: "image", attrs: { src: "x", onerror: "alert(1)" } },
      ],
    });
    const res = await create(author, "", { title: "Feindlich", type: "other", content: hostile });
    const id = idOf(res);
    const stored = await db.memo.findUniqueOrThrow({ where: { id }, select: { contentHtml: true, contentJson: true } });
    expect(stored.contentHtml).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(stored.contentJson).not.toMatch(/javascript|onclick|onerror|image/);
    // Stored HTML that did not come through the sanitizer (an old row, an import) is cleaned again when shown.
    await db.memo.update({ where: { id }, data: { contentHtml: `<p onmouseover="alert(1)">x</p><img src=x onerror=alert(1)>` } });
    const page = await (await memoPage.loader({ request: getRequest(`/memos/${id}`, colleague), params: { memoId: id }, ...ctx })).json();
    expect(page.memo.contentHtml).toBe("<p>x</p>");
  });

  it("without JavaScript the plain text field is saved as paragraphs", async () => {
    const res = await create(author, "", { title: "Ohne JS", type: "method", contentText: "Zeile eins\n\nZeile <zwei>" });
    const stored = await db.memo.findUniqueOrThrow({ where: { id: idOf(res) }, select: { contentHtml: true, contentText: true } });
    expect(stored).toEqual({ contentHtml: "<p>Zeile eins</p><p>Zeile &lt;zwei&gt;</p>", contentText: "Zeile eins\nZeile <zwei>" });
  });

  it("refuses bad input with field errors", async () => {
    const res = await create(author, "", { title: "", type: "nonsense", content: "{broken" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.result.error).toMatchObject({ title: ["validation.required"], type: ["validation.choose"] });
    expect(body.contentErrors).toEqual(["editor.invalid"]);
  });

  it("needs the analysis consent on interviews and codings; a case without it does not exist for research", async () => {
    expect(await statusOf(() => create(author, `?interviewId=${noAnalysisInterviewId}`, { title: "x", type: "other", content: doc("x") }))).toBe(403);
    const page = await (await newPage.loader({ request: getRequest(`/memos/new?interviewId=${noAnalysisInterviewId}`, author), params: {}, ...ctx })).json();
    expect(page.consentMissing).toBe(true);
    const noAnalysisCase = await db.interview.findUniqueOrThrow({ where: { id: noAnalysisInterviewId }, select: { caseId: true } });
    expect(await statusOf(() => create(author, `?caseId=${noAnalysisCase.caseId}`, { title: "x", type: "other", content: doc("x") }))).toBe(404);
    for (const q of ["?interviewId=nope", "?codingId=nope", "?codeId=nope", "?caseId=nope"]) {
      expect(await statusOf(() => newPage.loader({ request: getRequest(`/memos/new${q}`, author), params: {}, ...ctx })), q).toBe(404);
    }
    expect(await db.memo.count({ where: { title: "x" } })).toBe(0);
  });

  it("may be changed and deleted by the author only; others read, an admin not at all", async () => {
    const id = idOf(await create(author, `?interviewId=${interviewId}`, { title: "Eigenes Memo", type: "reflection", content: doc("erste Fassung") }));
    // A colleague reads it but may neither open the edit page nor change or delete it.
    expect((await (await memoPage.loader({ request: getRequest(`/memos/${id}`, colleague), params: { memoId: id }, ...ctx })).json()).canChange).toBe(false);
    expect(await statusOf(() => editPage.loader({ request: getRequest(`/memos/${id}/edit`, colleague), params: { memoId: id }, ...ctx }))).toBe(403);
    expect(await statusOf(() => edit(colleague, id, { intent: "save", title: "Übernommen", type: "other", content: doc("x") }))).toBe(403);
    expect(await statusOf(() => edit(colleague, id, { intent: "delete", ground: "no_longer_necessary" }))).toBe(403);
    // Integration managers have no memo permission at all.
    expect(await statusOf(() => memoPage.loader({ request: getRequest(`/memos/${id}`, im), params: { memoId: id }, ...ctx }))).toBe(403);
    expect(await statusOf(() => listPage.loader({ request: getRequest(`/memos`, im), params: {}, ...ctx }))).toBe(403);

    expect((await edit(author, id, { intent: "save", title: "Eigenes Memo", type: "theory", content: doc("zweite Fassung") })).status).toBe(302);
    expect(await db.memo.findUniqueOrThrow({ where: { id }, select: { type: true, contentText: true } })).toEqual({ type: "theory", contentText: "zweite Fassung" });
    const updated = await db.auditLog.findFirstOrThrow({ where: { action: "memo.update", entityId: id }, select: { detail: true, userId: true } });
    expect(updated.userId).toBe(author.user.id);
    expect(JSON.parse(updated.detail!)).toEqual({ changed: ["type", "content"] });

    // Admins administer, they do not read research content (ADR 0003); as researchers too they are colleagues here.
    expect(await statusOf(() => memoPage.loader({ request: getRequest(`/memos/${id}`, admin), params: { memoId: id }, ...ctx }))).toBe(403);
    expect(await statusOf(() => edit(admin, id, { intent: "delete", ground: "no_longer_necessary" }))).toBe(403);
    expect(await statusOf(() => edit(adminResearcher, id, { intent: "delete", ground: "no_longer_necessary" }))).toBe(403);
    // Deleting for good needs the legal ground: without one nothing is deleted, the message stands at the field, the
    // note typed comes back and the editor's state is not answered (its text stays as typed).
    for (const ground of ["", "weil ich es sage"]) {
      const refused = await edit(author, id, { intent: "delete", ground, note: "Dublette" });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { deleteResult: { error: Record<string, string[]>; initialValue: Record<string, string> }; result: unknown; unsaved: unknown };
      expect(body.deleteResult.error).toEqual({ ground: ["validation.choose"] });
      expect(body.deleteResult.initialValue.note).toBe("Dublette");
      expect([body.result, body.unsaved]).toEqual([null, null]);
    }
    expect(await db.memo.findUniqueOrThrow({ where: { id }, select: { contentText: true } })).toEqual({ contentText: "zweite Fassung" });
    expect(await db.auditLog.count({ where: { action: "memo.delete", entityId: id } })).toBe(0);
    expect((await edit(author, id, { intent: "delete", ground: "no_longer_necessary", note: "Dublette" })).status).toBe(302);
    expect(await db.memo.count({ where: { id } })).toBe(0);
    const deleted = await db.auditLog.findFirstOrThrow({ where: { action: "memo.delete", entityId: id, userId: author.user.id }, select: { detail: true } });
    expect(JSON.parse(deleted.detail!)).toEqual({ type: "theory", ground: "no_longer_necessary", note: "Dublette" });
    expect(await statusOf(() => memoPage.loader({ request: getRequest(`/memos/${id}`, author), params: { memoId: id }, ...ctx }))).toBe(404);
    expect(await statusOf(() => edit(author, id, { intent: "delete", ground: "no_longer_necessary" }))).toBe(404);
  });

  it("a save based on an older state is refused and returns the text; a memo deleted meanwhile too, with its target for a new memo", async () => {
    const id = idOf(await create(author, `?interviewId=${interviewId}`, { title: "Zwei Fenster", type: "reflection", content: doc("erste Fassung") }));
    const loaded = async () => String((await (await editPage.loader({ request: getRequest(`/memos/${id}/edit`, author), params: { memoId: id }, ...ctx })).json()).memo.updatedAt);
    const base = await loaded();
    expect((await edit(author, id, { intent: "save", title: "Zwei Fenster", type: "reflection", content: doc("aus Fenster A"), base })).status).toBe(302);
    // Window B still has the first state: refused, nothing overwritten, its text comes back.
    const stale = await edit(author, id, { intent: "save", title: "Zwei Fenster B", type: "theory", content: doc("aus Fenster B"), base });
    expect(stale.status).toBe(409);
    const refused = (await stale.json()).unsaved!;
    expect([refused.reason, refused.title, refused.type, refused.contentText]).toEqual(["conflict", "Zwei Fenster B", "theory", "aus Fenster B"]);
    expect(await db.memo.findUniqueOrThrow({ where: { id }, select: { contentText: true } })).toEqual({ contentText: "aus Fenster A" });
    // Saving again on the newer state (the page shows it) is a deliberate overwrite.
    expect((await edit(author, id, { intent: "save", title: "Zwei Fenster B", type: "theory", content: doc("aus Fenster B"), base: await loaded() })).status).toBe(302);
    expect(await db.memo.findUniqueOrThrow({ where: { id }, select: { contentText: true } })).toEqual({ contentText: "aus Fenster B" });

    const page = (await (await editPage.loader({ request: getRequest(`/memos/${id}/edit`, author), params: { memoId: id }, ...ctx })).json()).memo;
    expect(page.targetQuery).toBe(`interviewId=${interviewId}`);
    expect((await edit(author, id, { intent: "delete", ground: "no_longer_necessary" })).status).toBe(302);
    const late = await edit(author, id, { intent: "save", title: "Zwei Fenster B", type: "theory", content: doc("noch getippt"), base: String(page.updatedAt) });
    expect(late.status).toBe(404);
    expect((await late.json()).unsaved!.contentText).toBe("noch getippt");
    const again = await create(author, `?${page.targetQuery}`, { title: "Zwei Fenster B", type: "theory", content: doc("noch getippt") });
    expect(await db.memo.findUniqueOrThrow({ where: { id: idOf(again) }, select: { interviewId: true, contentText: true } })).toEqual({ interviewId, contentText: "noch getippt" });
  });

  it("are listed filtered by type, target kind, author and text", async () => {
    await create(colleague, `?codeId=${codeId}`, { title: "Kollegin über Sprache", type: "code", content: doc("Prüfungen als WENDEPUNKTE") });
    await create(colleague, "", { title: "Projektregel", type: "method", content: doc("Codierregel für Sprachstände") });
    const titles = async (q: string) => (await list(author, q)).rows.map((r) => r.title).sort();
    expect(await titles(`?author=${colleague.user.id}`)).toEqual(["Kollegin über Sprache", "Projektregel"]);
    expect(await titles(`?author=${colleague.user.id}&type=method`)).toEqual(["Projektregel"]);
    expect(await titles(`?author=${colleague.user.id}&target=code`)).toEqual(["Kollegin über Sprache"]);
    expect(await titles(`?q=wendepunkte`)).toEqual(["Kollegin über Sprache"]); // any case, title or text
    expect(await titles(`?q=PROJEKTREGEL`)).toEqual(["Projektregel"]);
    expect(await titles(`?target=project&q=Codierregel`)).toEqual(["Projektregel"]);
    expect(await titles(`?type=bogus&target=bogus&q=Projektregel`)).toEqual(["Projektregel"]); // unknown values are ignored
    // The interview's tab: memos on the interview and on its codings, nothing else.
    const tab = await (await interviewMemosPage.loader({ request: getRequest(`/interviews/${interviewId}/memos`, author), params: { interviewId }, ...ctx })).json();
    expect(new Set(tab.rows.map((r: { target: { kind: string } }) => r.target.kind))).toEqual(new Set(["interview", "coding"]));
    expect(await statusOf(() => interviewMemosPage.loader({ request: getRequest(`/interviews/nope/memos`, author), params: { interviewId: "nope" }, ...ctx }))).toBe(404);
  });
});

describe("memos and withdrawal", () => {
  it("a whole withdrawal erases the interview's and its codings' memos, and the case's memos when no analysed interview is left", async () => {
    registerEraser(memoEraser); // as app/withdrawal/register.server.ts does
    const loerrach = await municipalityId("08336050");
    const caseA = (await insertCase("LOE-2020-0601", loerrach)).id;
    const first = (await interviewOn(caseA, "INT-W-0001", { scopeAnalysis: true })).id;
    const second = (await interviewOn(caseA, "INT-W-0002", { scopeAnalysis: true })).id;
    const coding = (await codingOn(first, codeId)).id;
    const memo = async (query: string, title: string) => idOf(await create(author, query, { title, type: "case", content: doc(title) }));
    const onInterview = await memo(`?interviewId=${first}`, "W Interview");
    const onCoding = await memo(`?codingId=${coding}`, "W Codierung");
    const onCase = await memo(`?caseId=${caseA}`, "W Fall");
    const onCode = await memo(`?codeId=${codeId}`, "W Code");
    const onSecond = await memo(`?interviewId=${second}`, "W zweites Interview");
    const exists = async (id: string) => (await db.memo.count({ where: { id } })) === 1;

    await withdrawInterview(null, author.user, first, { scope: "whole" });
    expect([await exists(onInterview), await exists(onCoding)]).toEqual([false, false]);
    // The second interview still has analysis consent: the case memo stays, as do code memos and its own memos.
    expect([await exists(onCase), await exists(onCode), await exists(onSecond)]).toEqual([true, true, true]);

    await withdrawInterview(null, author.user, second, { scope: "whole" });
    expect([await exists(onCase), await exists(onSecond), await exists(onCode)]).toEqual([false, false, true]);
    const done = await db.withdrawal.findFirstOrThrow({ where: { interviewId: second }, select: { erased: true } });
    expect(JSON.parse(done.erased!).memos).toEqual({ memos: 2, caseMemos: 1 });
  });

  it("withdrawing the codings (analysis) erases coding and interview memos; withdrawing the recording does not", async () => {
    const loerrach = await municipalityId("08336050");
    const caseB = (await insertCase("LOE-2020-0602", loerrach)).id;
    const iv = (await interviewOn(caseB, "INT-W-0003", { scopeAnalysis: true })).id;
    const coding = (await codingOn(iv, codeId)).id;
    const onInterview = idOf(await create(author, `?interviewId=${iv}`, { title: "P Interview", type: "case", content: doc("x") }));
    const onCoding = idOf(await create(author, `?codingId=${coding}`, { title: "P Codierung", type: "case", content: doc("x") }));
    const ctxOf = (parts: string[]) => ({ interviewId: iv, caseId: caseB, parts: new Set(parts) as never });
    expect(await memoEraser.preview(ctxOf(["recording"]))).toEqual({});
    expect(await memoEraser.preview(ctxOf(["codings"]))).toEqual({ memos: 2, caseMemos: 0 });
    await withdrawInterview(null, author.user, iv, { scope: "partial", parts: ["recording"] });
    expect(await db.memo.count({ where: { id: { in: [onInterview, onCoding] } } })).toBe(2);
    await withdrawInterview(null, author.user, iv, { scope: "partial", parts: ["codings"] });
    expect(await db.memo.count({ where: { id: { in: [onInterview, onCoding] } } })).toBe(0);
  });
});
