// Reads of personal data are audited: opening a case (register or research side), an interview and a transcript
// each leave one entry per person, record and ten minutes, however often the page is revalidated meanwhile.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, insertCase, municipalityId, signedInUser, type TestUser } from "../cases/test-support.ts";
import * as caseLayout from "../routes/cases.$caseId.tsx";
import * as interviewLayout from "../routes/interviews.$interviewId.tsx";
import * as transcriptPage from "../routes/interviews.$interviewId.transcript._index.tsx";
import * as versionsPage from "../routes/interviews.$interviewId.transcript.versions.tsx";
import * as consentPage from "../routes/interviews.$interviewId.consent.tsx";
import * as codingsList from "../routes/interviews.$interviewId.codings.tsx";
import * as memoPage from "../routes/memos.$memoId._index.tsx";
import { VIEW_WINDOW_MS } from "./audit.server.ts";
import { auditPage, latestAuditId, parseAuditFilter } from "../admin/audit-query.server.ts";
import { loader as auditLogPage } from "../routes/admin.audit._index.tsx";

let im: TestUser;
let researcher: TestUser;
let caseId: string;
let interviewId: string;
let transcriptId: string;
let versionIds: string[];
let memoId: string;

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  im = await signedInUser("im.views", ["integration_manager"], [loerrach]);
  researcher = await signedInUser("research.views", ["researcher"]);
  caseId = (await insertCase("LOE-2024-0801", loerrach)).id;
  interviewId = (await db.interview.create({ data: { code: "INT-2024-0801", caseId, date: new Date("2024-05-02T00:00:00Z"), placeType: "office", languages: '["de"]', status: "transcribed" } })).id;
  await db.consentRecord.create({
    data: { interviewId, version: 1, givenBy: "person", givenAt: new Date("2024-05-02T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "1.0", scopeRecording: true, scopeTranscription: true, scopeAnalysis: true },
  });
  transcriptId = (
    await db.transcript.create({
      data: { interviewId, version: 1, source: "import", language: "de", paragraphs: { create: [{ position: 0, speaker: "B", startMs: 0, endMs: 4000, text: "Ich habe letztes Jahr B1 bestanden." }] } },
    })
  ).id;
  const paragraphs = (text: string) => JSON.stringify([{ position: 0, speaker: "B", startMs: 0, endMs: 4000, text }]);
  versionIds = [
    (await db.transcriptVersion.create({ data: { transcriptId, version: 1, kind: "import", paragraphs: paragraphs("Ich, Amira Haddad, habe letztes Jahr B1 bestanden.") } })).id,
    (await db.transcriptVersion.create({ data: { transcriptId, version: 2, kind: "save", paragraphs: paragraphs("Ich habe letztes Jahr B1 bestanden.") } })).id,
  ];
  // A memo on the interview: readable only with its analysis consent (readableMemo), as memos are written.
  memoId = (await db.memo.create({ data: { type: "case", title: "Sprachkurs", contentJson: "{}", contentHtml: "<p>Kurs</p>", contentText: "Kurs", interviewId, authorId: researcher.user.id } })).id;
});

const views = (userId: string, action: string, entityId: string) => db.auditLog.findMany({ where: { userId, action, entityId }, select: { entity: true, detail: true, at: true } });

describe("reads of personal data are audited", () => {
  it("logs a case opened by its integration manager and by a researcher who knows it from an interview, once per window", async () => {
    for (let i = 0; i < 3; i++) await caseLayout.loader({ request: getRequest(`/cases/${caseId}`, im), params: { caseId }, ...ctx });
    await caseLayout.loader({ request: getRequest(`/cases/${caseId}`, researcher), params: { caseId }, ...ctx });
    const byIm = await views(im.user.id, "case.view", caseId);
    expect(byIm.map((v) => [v.entity, JSON.parse(v.detail!)])).toEqual([["case", { access: "own" }]]);
    expect((await views(researcher.user.id, "case.view", caseId)).map((v) => JSON.parse(v.detail!))).toEqual([{ access: "research" }]);
  });

  it("logs an interview and its transcript opened by a researcher", async () => {
    await interviewLayout.loader({ request: getRequest(`/interviews/${interviewId}`, researcher), params: { interviewId }, ...ctx });
    for (let i = 0; i < 2; i++) await transcriptPage.loader({ request: getRequest(`/interviews/${interviewId}/transcript`, researcher), params: { interviewId }, ...ctx });
    expect(await views(researcher.user.id, "interview.view", interviewId)).toHaveLength(1);
    const transcript = await views(researcher.user.id, "transcript.view", transcriptId);
    expect(transcript.map((v) => [v.entity, JSON.parse(v.detail!)])).toEqual([["transcript", { interviewId }]]);
  });

  it("logs the same read again once the window has passed", async () => {
    vi.useFakeTimers({ now: Date.now() + VIEW_WINDOW_MS + 60_000, toFake: ["Date"] });
    try {
      await transcriptPage.loader({ request: getRequest(`/interviews/${interviewId}/transcript`, researcher), params: { interviewId }, ...ctx });
    } finally {
      vi.useRealTimers();
    }
    expect(await views(researcher.user.id, "transcript.view", transcriptId)).toHaveLength(2);
  });

  it("logs the consent records, the coding panel's list, a memo and each earlier transcript version that was shown", async () => {
    const request = (path: string) => getRequest(path, researcher);
    for (let i = 0; i < 2; i++) {
      await consentPage.loader({ request: request(`/interviews/${interviewId}/consent`), params: { interviewId }, ...ctx });
      await codingsList.loader({ request: request(`/interviews/${interviewId}/codings`), params: { interviewId }, ...ctx });
      await memoPage.loader({ request: request(`/memos/${memoId}`), params: { memoId }, ...ctx });
    }
    // The list of versions alone shows no text; each version opened is a read of its own.
    await versionsPage.loader({ request: request(`/interviews/${interviewId}/transcript/versions`), params: { interviewId }, ...ctx });
    for (const shown of [1, 2, 1]) await versionsPage.loader({ request: request(`/interviews/${interviewId}/transcript/versions?show=${shown}`), params: { interviewId }, ...ctx });
    expect((await views(researcher.user.id, "consent.view", interviewId)).map((v) => [v.entity, JSON.parse(v.detail!)])).toEqual([["interview", { versions: 1 }]]);
    expect((await views(researcher.user.id, "coding.retrieve", interviewId)).map((v) => v.entity)).toEqual(["interview"]);
    expect((await views(researcher.user.id, "memo.view", memoId)).map((v) => [v.entity, JSON.parse(v.detail!)])).toEqual([["memo", { target: `interviewId=${interviewId}` }]]);
    for (const [i, id] of versionIds.entries()) {
      expect((await views(researcher.user.id, "transcript.version.view", id)).map((v) => JSON.parse(v.detail!))).toEqual([{ interviewId, version: i + 1 }]);
    }
  });

  it("finds every read and change of one person in the log by the case's pseudonym, and nothing of another case", async () => {
    const other = (await insertCase("LOE-2024-0802", await municipalityId("08336050"))).id;
    await caseLayout.loader({ request: getRequest(`/cases/${other}`, im), params: { caseId: other }, ...ctx });
    // A transcript erased by a withdrawal is gone from the database; its entries still name the interview.
    await db.auditLog.create({ data: { userId: researcher.user.id, username: researcher.user.username, action: "transcript.save", entity: "transcript", entityId: "erased-transcript", detail: JSON.stringify({ interviewId }) } });
    const byCase = async (pseudonym: string) => {
      const { filter } = parseAuditFilter(new URLSearchParams({ case: pseudonym }));
      return (await auditPage(filter, 1, await latestAuditId())).rows.map((r) => `${r.username}:${r.action}`).sort();
    };
    const expected = [
      "im.views:case.view",
      "research.views:case.view",
      "research.views:coding.retrieve",
      "research.views:consent.view",
      "research.views:interview.view",
      "research.views:memo.view",
      "research.views:transcript.save",
      "research.views:transcript.version.view",
      "research.views:transcript.version.view",
      "research.views:transcript.view",
      "research.views:transcript.view",
    ];
    expect(await byCase("loe-2024-0801")).toEqual(expected);
    expect(await byCase("LOE-2024-0802")).toEqual(["im.views:case.view"]);
    // An unknown pseudonym shows nothing and says so; it does not fall back to the whole log.
    const admin = await signedInUser("admin.views", ["admin"]);
    const page = await (await auditLogPage({ request: getRequest("/admin/audit?case=LOE-1999-0000", admin), params: {}, ...ctx })).json();
    expect(page.total).toBe(0);
    expect(page.errors).toEqual([`admin:audit.unknownCase|${JSON.stringify({ pseudonym: "LOE-1999-0000" })}`]);
  });
});
