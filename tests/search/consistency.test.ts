// The index follows every change, through the app's own write paths: a transcript edit (saveTranscript), a new
// coding (codingsChanged), a deleted memo (deleteMemo), a consent change (query-time join) and a whole withdrawal
// (withdrawInterview with every registered eraser): the next search reflects each at once.
import "../../app/withdrawal/test-storage-env.ts";
import { db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import type { SessionUser } from "../../app/auth/session.server.ts";
import { saveTranscript, loadTranscript } from "../../app/transcripts/transcripts.server.ts";
import { deleteMemo } from "../../app/memos/memos.server.ts";
import { updateCase } from "../../app/cases/cases.server.ts";
import { withdrawInterview } from "../../app/withdrawal/withdraw.server.ts";
import { engineFor, search } from "../../search/search.server.ts";
import { applyCodes, removeCoding, updateCoding } from "../../app/coding/codings.server.ts";
import { currentText } from "../../app/coding/follow.server.ts";
import { indexTranscript } from "../../search/hooks.server.ts";
import { transcriptIndexState } from "../../search/documents.server.ts";
import { dialectOf } from "../../search/raw-sql.server.ts";
import { rebuildEntries } from "../../search/reindex.server.ts";
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

  it("applying, resizing and removing codings refreshes just the passages under them, as a full re-index would", async () => {
    // A fixed pseudo-random walk of coding clicks on interview B; after each, every passage's codes must equal
    // what re-indexing the whole transcript computes (the scoped refresh must miss no passage it touches).
    let seed = 7;
    const rand = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
    };
    const transcript = await db.transcript.findUniqueOrThrow({ where: { id: fixture.transcripts.B }, select: { version: true } });
    const points = [...(await currentText(db, fixture.transcripts.B))];
    const length = points.length;
    const boundary = points.indexOf("\n"); // end of the first paragraph: the first step codes across it
    const codeIds = [fixture.codes.arbeit, fixture.codes.anerkennung];
    const mine: string[] = [];
    for (let step = 0; step < 40; step++) {
      const action = mine.length ? Math.max(0, rand(4) - 1) : 0; // apply twice as often as resize or remove
      const start = step === 0 ? boundary - 10 : rand(length - 1);
      const end = step === 0 ? boundary + 20 : Math.min(length, start + 1 + rand(120));
      if (action === 0) {
        const r = await applyCodes(null, grant, fixture.interviews.B, { transcriptVersion: transcript.version, start, end, codeIds: [step === 0 ? fixture.codes.anerkennung : codeIds[rand(2)]!] });
        if (r.ok) mine.push(...r.codings.map((c) => c.id));
      } else if (action === 1) {
        await updateCoding(null, grant, mine[rand(mine.length)]!, { transcriptVersion: transcript.version, start, end });
      } else {
        await removeCoding(null, grant, mine.splice(rand(mine.length), 1)[0]!);
      }
      const state = await db.$transaction((tx) => transcriptIndexState(tx, fixture.interviews.B));
      const stored = new Map(state.stored!.map((e) => [e.sourceId, `${e.codeIds} ${e.dimensions}`]));
      expect(state.docs.map((d) => [step, d.sourceId, stored.get(d.sourceId)])).toEqual(state.docs.map((d) => [step, d.sourceId, `${d.codeIds} ${d.dimensions}`]));
    }
    expect(mine.length).toBeGreaterThan(0);
  });

  it("a case moved to another municipality takes its notes, passages and memos along (who may find them, the filters)", async () => {
    const { m1, m2 } = fixture.municipalities;
    const inM = async (m: string) => (await search({ q: "Jobcenter", visibility: { research: false, codebook: false, narratives: false, counselling: [m] }, pageSize: 50 }, db)) as { ok: true; hits: { sourceId: string }[] };
    const byFilter = async (m: string) => (await search({ q: "Elektrotechnik", visibility: VIS.researcher, filters: { municipalityIds: [m] } }, db)) as { ok: true; hits: { sourceId: string }[] };
    expect((await inM(m2)).hits.map((h) => h.sourceId)).toEqual([fixture.notes.N2]);
    expect((await byFilter(m2)).hits.map((h) => h.sourceId)).toEqual([fixture.paragraphs.P6]);
    const move = (municipalityId: string) => updateCase(null, grant, fixture.cases.c2, { municipalityId, group: "eu_migrant", imStart: new Date("2020-01-01") });
    await move(m1);
    expect((await inM(m1)).hits.map((h) => h.sourceId)).toEqual([fixture.notes.N2]);
    expect((await inM(m2)).hits).toEqual([]);
    expect((await byFilter(m1)).hits.map((h) => h.sourceId)).toEqual([fixture.paragraphs.P6]);
    expect((await byFilter(m2)).hits).toEqual([]);
    await move(m2);
    expect((await inM(m2)).hits.map((h) => h.sourceId)).toEqual([fixture.notes.N2]);
  });

  it("a deleted memo is not found any more", async () => {
    expect(await found("Fallrekonstruktion")).toEqual([`memo:${fixture.memos.M3}`]);
    await deleteMemo(null, grant, fixture.memos.M3, { ground: "no_longer_necessary" });
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
    // The word list that word parts (*brief) are looked up in holds the interview's words until the withdrawal.
    const vocabulary = engineFor(db).wordsWithPart!.bind(engineFor(db));
    expect(await vocabulary({ own: "meisterbrief", inCompound: null }, "any", 10)).toEqual(["meisterbrief"]);
    const result = await withdrawInterview(null, researcher, fixture.interviews.A, { scope: "whole" });
    expect(result.withdrawal.status).toBe("done");
    expect(result.withdrawal.erased["search-index"]?.searchEntries).toBeGreaterThan(0);
    expect(await db.searchEntry.count({ where: { interviewId: fixture.interviews.A } })).toBe(0);
    expect((await found("Ausbildung OR Meisterbrief OR Apothekerin", VIS.admin)).sort()).toEqual([`note:${fixture.notes.N1}`, `note:${fixture.notes.N2}`].sort());
    expect(await vocabulary({ own: "meisterbrief", inCompound: null }, "any", 10)).toEqual([]);
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
    } else {
      // PostgreSQL's stored vectors (the words of the text): exactly one per remaining entry.
      const [left] = await db.$queryRawUnsafe<{ vectors: bigint; entries: bigint; orphans: bigint }[]>(
        `SELECT (SELECT count(*) FROM "SearchEntryVector") AS vectors, (SELECT count(*) FROM "SearchEntry") AS entries,
          (SELECT count(*) FROM "SearchEntryVector" v WHERE NOT EXISTS (SELECT 1 FROM "SearchEntry" e WHERE e."rowid" = v."rowid")) AS orphans`,
      );
      expect(Number(left!.vectors)).toBe(Number(left!.entries));
      expect(Number(left!.orphans)).toBe(0);
    }
  });

  it("npm run search:reindex repairs an index that lost its words (FTS5's index, PostgreSQL's stored vectors)", async () => {
    const before = await found("Fallrekonstruktion OR Elektrotechnik", VIS.admin);
    expect(before.length).toBeGreaterThan(0);
    if (dialectOf(db) === "sqlite") await db.$executeRawUnsafe(`INSERT INTO "SearchEntryFts" ("SearchEntryFts") VALUES ('delete-all')`);
    else await db.$executeRawUnsafe(`DELETE FROM "SearchEntryVector"`);
    expect(await found("Fallrekonstruktion OR Elektrotechnik", VIS.admin)).toEqual([]);
    await rebuildEntries(db);
    expect((await found("Fallrekonstruktion OR Elektrotechnik", VIS.admin)).sort()).toEqual(before.sort());
  });
});
