// The index follows every change, through the app's own write paths: a transcript edit (saveTranscript), a new
// coding (codingsChanged), a deleted memo (deleteMemo), a consent change (query-time join) and a whole withdrawal
// (withdrawInterview with every registered eraser): the next search reflects each at once.
import "../../app/withdrawal/test-storage-env.ts";
import { db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import type { SessionUser } from "../../app/auth/session.server.ts";
import { saveTranscript, loadTranscript } from "../../app/transcripts/transcripts.server.ts";
import { deleteMemo } from "../../app/memos/memos.server.ts";
import { withdrawInterview } from "../../app/withdrawal/withdraw.server.ts";
import { search } from "../../search/search.server.ts";
import { indexTranscript } from "../../search/hooks.server.ts";
import { transcriptIndexState } from "../../search/documents.server.ts";
import { dialectOf } from "../../search/raw-sql.server.ts";
import { buildFixture, codeParagraph, VIS, type Fixture } from "./fixture.ts";
import type { Visibility } from "../../search/query/types.ts";

const fixture: Fixture = await buildFixture(db);
const researcher: SessionUser = { id: fixture.users.researcher, username: "forschung-test", displayName: "Rosa", locale: "de", roles: ["researcher", "admin"], municipalityIds: [], sessionId: "s", csrfToken: "c" };
const grant: Grant = { user: researcher, access: "any" };

async function found(q: string, visibility: Visibility = VIS.researcher) {
  const r = await search({ q, visibility, pageSize: 50 }, db);
  if (!r.ok) throw new Error(r.hint);
  return r.hits.map((h) => `${h.kind}:${h.sourceId}`);
}

describe("the index follows the data", () => {
  it("re-indexing unchanged text writes nothing (only changes are written)", async () => {
    const before = await db.searchEntry.findMany({ where: { interviewId: fixture.interviews.B }, select: { rowid: true, updatedAt: true }, orderBy: { rowid: "asc" } });
    await db.$transaction((tx) => indexTranscript(tx, fixture.interviews.B));
    const after = await db.searchEntry.findMany({ where: { interviewId: fixture.interviews.B }, select: { rowid: true, updatedAt: true }, orderBy: { rowid: "asc" } });
    expect(after).toEqual(before);
  });

  it("a transcript edit: the new word is found, the old one no more", async () => {
    expect(await found("Diplom")).toEqual([`paragraph:${fixture.paragraphs.P1}`]);
    const t = (await loadTranscript(grant, fixture.interviews.A))!;
    const paragraphs = t.paragraphs.map((p, i) => (i === 0 ? { ...p, text: p.text.replace("Diploms", "Meisterbriefs") } : p));
    const saved = await saveTranscript(null, grant, fixture.interviews.A, t.version, paragraphs);
    expect(saved.ok).toBe(true);
    expect(await found("Diplom")).toEqual([]);
    expect(await found("Meisterbrief")).toEqual([`paragraph:${fixture.paragraphs.P1}`]);
  });

  it("a new coding: the passage is found with the code filter", async () => {
    const r1 = await search({ q: "Ausbildung", visibility: VIS.researcher, filters: { codeIds: [fixture.codes.arbeit] } }, db);
    expect(r1.ok && r1.hits).toEqual([]);
    await codeParagraph(db, fixture.interviews.A, fixture.transcripts.A, 1, fixture.codes.arbeit);
    const r2 = await search({ q: "Ausbildung", visibility: VIS.researcher, filters: { codeIds: [fixture.codes.arbeit] } }, db);
    expect(r2.ok && r2.hits.map((h) => h.sourceId)).toEqual([fixture.paragraphs.P2]);
  });

  it("refreshing only the codes (codingsChanged) leaves the entries a full re-index would write", async () => {
    const state = await db.$transaction((tx) => transcriptIndexState(tx, fixture.interviews.A));
    const stored = new Map(state.stored!.map((e) => [e.sourceId, e]));
    expect(state.docs.some((d) => d.codeIds !== "[]")).toBe(true);
    for (const doc of state.docs) {
      expect({ sourceId: doc.sourceId, codeIds: stored.get(doc.sourceId)?.codeIds, dimensions: stored.get(doc.sourceId)?.dimensions }).toEqual({
        sourceId: doc.sourceId,
        codeIds: doc.codeIds,
        dimensions: doc.dimensions,
      });
    }
  });

  it("a deleted memo is not found any more", async () => {
    expect(await found("Fallrekonstruktion")).toEqual([`memo:${fixture.memos.M3}`]);
    await deleteMemo(null, grant, fixture.memos.M3);
    expect(await found("Fallrekonstruktion")).toEqual([]);
    expect(await db.searchEntry.count({ where: { sourceId: fixture.memos.M3 } })).toBe(0);
  });

  it("a consent without the analysis scope hides the interview at once (no re-index needed)", async () => {
    expect(await found("Elektrotechnik")).toEqual([`paragraph:${fixture.paragraphs.P6}`]);
    await db.consentRecord.updateMany({ where: { interviewId: fixture.interviews.B, current: true }, data: { scopeAnalysis: false } });
    expect(await found("Elektrotechnik")).toEqual([]);
    await db.consentRecord.updateMany({ where: { interviewId: fixture.interviews.B, current: true }, data: { scopeAnalysis: true } });
    expect(await found("Elektrotechnik")).toEqual([`paragraph:${fixture.paragraphs.P6}`]);
  });

  it("a whole withdrawal leaves no index entry of the interview (FTS5 index included)", async () => {
    expect(await db.searchEntry.count({ where: { interviewId: fixture.interviews.A } })).toBeGreaterThan(0);
    const result = await withdrawInterview(null, researcher, fixture.interviews.A, { scope: "whole" });
    expect(result.withdrawal.status).toBe("done");
    expect(result.withdrawal.erased["search-index"]?.searchEntries).toBeGreaterThan(0);
    expect(await db.searchEntry.count({ where: { interviewId: fixture.interviews.A } })).toBe(0);
    expect((await found("Ausbildung OR Meisterbrief OR Apothekerin", VIS.admin)).sort()).toEqual([`note:${fixture.notes.N1}`, `note:${fixture.notes.N2}`].sort());
    if (dialectOf(db) === "sqlite") {
      // The FTS5 index itself holds no row that SearchEntry does not (an integrity check of the external content).
      await db.$executeRawUnsafe(`INSERT INTO "SearchEntryFts" ("SearchEntryFts", rank) VALUES ('integrity-check', 1)`);
      // Nor does the filter table: no row of the interview, and exactly one per SearchEntry row.
      const [left] = await db.$queryRawUnsafe<{ mine: bigint; all: bigint; entries: bigint }[]>(
        `SELECT (SELECT count(*) FROM "SearchEntryFilters" WHERE "interviewId" = ?) AS mine, (SELECT count(*) FROM "SearchEntryFilters") AS "all", (SELECT count(*) FROM "SearchEntry") AS entries`,
        fixture.interviews.A,
      );
      expect(Number(left!.mine)).toBe(0);
      expect(Number(left!.all)).toBe(Number(left!.entries));
    }
  });
});
