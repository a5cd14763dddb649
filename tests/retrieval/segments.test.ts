// Retrieval on the seeded fixture project returns exactly the expected segments. The expectations come from the
// fixture's reference codings (int-0N.codings.yaml) through a plain reference implementation here, not from the
// query under test. Runs on SQLite and on PostgreSQL (TEST_DATABASE=postgres).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { findCodedSegments } from "../../app/retrieval/segments.server.ts";
import { segmentsCsv } from "../../app/retrieval/export.server.ts";
import { parseCsv } from "../../app/statistics/test-support.ts";
import { EMPTY_FILTERS, type SegmentFilters } from "../../app/retrieval/filters.ts";
import { seedProject, type Project } from "./fixture.ts";
import { speakerRole } from "../../app/transcripts/speakers.ts";
import { speakerRoleOf, sql } from "../../app/retrieval/sql.server.ts";

let project: Project;
const grant: Grant = {
  access: "any",
  user: { id: "u", username: "forschung", displayName: "Forschung", locale: "de", roles: ["researcher"], municipalityIds: [], sessionId: "s", csrfToken: "t" },
};

beforeAll(async () => {
  project = await seedProject(db);
}, 120_000);

type Coding = Project["codings"][number];
const key = (interviewId: string, start: number, end: number) => `${interviewId}:${start}-${end}`;
const analysable = (c: Coding) => c.fixture !== "int-01-noconsent" && !(c.code === "X.GES" && c.fixture !== "int-02");
const spansOf = (codings: Coding[]) => [...new Set(codings.map((c) => key(c.interviewId, c.start, c.end)))].sort();
const overlaps = (a: Coding, b: Coding) => a.interviewId === b.interviewId && a.start < b.end && b.start < a.end;

async function retrieve(filters: Partial<SegmentFilters>) {
  const id = (k: string) => project.codes.get(k)!;
  const result = await findCodedSegments(grant, { ...EMPTY_FILTERS, ...filters, codeIds: (filters.codeIds ?? []).map(id) }, { pageSize: 1000 });
  expect(result.hits.length).toBe(result.total);
  return result;
}
const spans = async (filters: Partial<SegmentFilters>) => (await retrieve(filters)).hits.map((h) => key(h.interviewId, h.start, h.end)).sort();
const below = (prefix: string) => (c: Coding) => c.code === prefix || c.code.startsWith(`${prefix}.`) || c.code.startsWith(`${prefix}/`);

describe("coded-segment retrieval", () => {
  it("gives each segment its speaker's role, the one the editor stored for the label first (shown as 'B (interviewee)')", async () => {
    const { transcriptId } = project.interviews["int-03"]!;
    const before = (await retrieve({})).hits;
    expect(before.length).toBeGreaterThan(0);
    for (const h of before) expect(h.speakerRole).toBe(speakerRole(h.speaker));
    expect(new Set(before.map((h) => h.speakerRole))).toEqual(new Set(["interviewee", "interpreter"]));
    await db.transcript.update({ where: { id: transcriptId }, data: { speakerRoles: JSON.stringify({ D: "other" }) } });
    try {
      const after = (await retrieve({})).hits.filter((h) => h.transcriptId === transcriptId && h.speaker === "D");
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((h) => h.speakerRole === "other")).toBe(true);
    } finally {
      await db.transcript.update({ where: { id: transcriptId }, data: { speakerRoles: "{}" } });
    }
  });

  it("reads a role the editor gave a label before the label's letter, and the query's role is speakerRole's", async () => {
    // int-03's interpreter turns, labelled "D", marked as "other" in the editor: they leave the interpreter filter.
    const { transcriptId } = project.interviews["int-03"]!;
    const fromInt03 = (c: Coding) => c.fixture === "int-03" && c.speaker === "D" && analysable(c);
    expect(project.codings.some(fromInt03)).toBe(true);
    await db.transcript.update({ where: { id: transcriptId }, data: { speakerRoles: JSON.stringify({ D: "other" }) } });
    try {
      expect(await spans({ speaker: "interpreter" })).toEqual(spansOf(project.codings.filter((c) => c.speaker === "D" && analysable(c) && !fromInt03(c))));
      expect(await spans({ speaker: "other" })).toEqual(spansOf(project.codings.filter(fromInt03)));
      // An address from before the role filter (?speaker=D) finds the turns labelled D, whatever role they have now.
      expect(await spans({ speakerLabel: "D" })).toEqual(spansOf(project.codings.filter((c) => c.speaker === "D" && analysable(c))));
      expect(await spans({ speakerLabel: "I" })).toEqual([]);
    } finally {
      await db.transcript.update({ where: { id: transcriptId }, data: { speakerRoles: "{}" } });
    }

    // Every kind of label, with one role given in the editor, in a real transcript: the SQL agrees with speakerRole.
    const labels = ["", "I", "I2", "I12", "Ia", "IB", "i", "D", "D3", "Dx", "B", "B1", "P1", "Rosa", "Ina", "Dana", "Zoë", "I²", "Ḋ"];
    const roles = { Rosa: "interpreter", B1: "interviewer", "": "interviewee" } as const;
    const interview = await db.interview.create({ data: { code: "INT-T-0099", caseId: project.cases[0]!, date: new Date("2025-06-01T00:00:00Z"), placeType: "office", languages: '["de"]' } });
    const transcript = await db.transcript.create({
      data: { interviewId: interview.id, source: "import", language: "de", speakerRoles: JSON.stringify(roles), paragraphs: { create: labels.map((speaker, position) => ({ position, speaker, startMs: position * 1000, endMs: position * 1000 + 900, text: "Text" })) } },
    });
    try {
      const rows = await db.$queryRaw<{ speaker: string; role: string }[]>(sql`SELECT p."speaker", ${speakerRoleOf()} AS "role" FROM "TranscriptParagraph" p WHERE p."transcriptId" = ${transcript.id}`);
      expect(Object.fromEntries(rows.map((r) => [r.speaker, r.role]))).toEqual(Object.fromEntries(labels.map((l) => [l, speakerRole(l, roles)])));
    } finally {
      await db.interview.delete({ where: { id: interview.id } });
    }
  });

  it("finds the segments of one code, with text, context, speaker, time, codes and recording", async () => {
    const expected = spansOf(project.codings.filter((c) => c.code === "STR.ANE" && analysable(c)));
    expect(expected.length).toBeGreaterThan(1);
    expect(await spans({ codeIds: ["STR.ANE"], subcodes: false })).toEqual(expected);

    const { hits } = await retrieve({ codeIds: ["X.FLU"] });
    const first = hits.find((h) => h.interviewCode === "INT-T-0001")!;
    expect(first.text).toBe("Wir sind über den Libanon in die Türkei, dann mit dem Schlauchboot nach Lesbos und über die Balkanroute weiter.");
    expect(first.before).toMatch(/mein Mann Samer wurde zweimal an einem Checkpoint festgehalten\.$/);
    expect(first.after).toMatch(/^Am 22\. Oktober 2015/);
    expect(first.speaker).toBe("B");
    expect(first.casePseudonym).toBe("LOE-2025-9000");
    expect(first.recordingId).toBe(project.interviews["int-01"]!.recordingId);
    // the second turn of int-01 starts where the first one ends (#00:00:18-5#)
    expect(first.startMs).toBeGreaterThanOrEqual(18_500);
    expect(first.startMs).toBeLessThan(19_000);
    // the same words also carry X.BEH (coded by Ben): one segment, both codes, both authors
    expect(first.codes.map((c) => c.key)).toEqual(["X.FLU", "X.BEH"]);
    expect(first.authors.sort()).toEqual(["Anna Forscherin", "Ben Forscher"]);
  });

  it("OR: segments of either code", async () => {
    const expected = spansOf(project.codings.filter((c) => (c.code === "KUL.SPR" || c.code === "X.DIS") && analysable(c)));
    expect(await spans({ codeIds: ["KUL.SPR", "X.DIS"], subcodes: false, mode: "or" })).toEqual(expected);
  });

  it("AND: segments of the chosen codes that overlap a segment of every other chosen code", async () => {
    const all = project.codings.filter(analysable);
    const expectedAnd = (a: string, b: string) =>
      spansOf(all.filter((c) => (c.code === a && all.some((o) => o.code === b && overlaps(c, o))) || (c.code === b && all.some((o) => o.code === a && overlaps(c, o)))));
    // IDE.HER and IDE.ZOR overlap in int-03; X.FLU and X.BEH share one passage of int-01; KUL.SPR and STR.BIL never meet.
    for (const [a, b, found] of [
      ["IDE.HER", "IDE.ZOR", 2],
      ["X.FLU", "X.BEH", 1],
      ["KUL.SPR", "STR.BIL", 0],
    ] as const) {
      const got = await spans({ codeIds: [a, b], subcodes: false, mode: "and" });
      expect(got).toEqual(expectedAnd(a, b));
      expect(got.length).toBe(found);
      const or = await spans({ codeIds: [a, b], subcodes: false, mode: "or" });
      expect(or.length).toBeGreaterThan(got.length);
    }
    // with sub-codes: a segment of any IDE code that overlaps an X code (none in the fixtures) vs IDE and IDE.HER
    expect(await spans({ codeIds: ["IDE", "X"], mode: "and" })).toEqual([]);
    expect(await spans({ codeIds: ["IDE", "IDE.ZOR"], mode: "and" })).toEqual(
      spansOf(all.filter((c) => (below("IDE")(c) && all.some((o) => o.code === "IDE.ZOR" && overlaps(c, o))))),
    );
  });

  it("a parent code includes its sub-codes (also ones made in the app), unless told not to", async () => {
    const kul = spansOf(project.codings.filter((c) => below("KUL")(c) && analysable(c)));
    expect(await spans({ codeIds: ["KUL"] })).toEqual(kul);
    expect(await spans({ codeIds: ["KUL"], subcodes: false })).toEqual([]); // nothing is coded with the root itself
    const spr = spansOf(project.codings.filter((c) => below("KUL.SPR")(c) && analysable(c)));
    const sprOnly = spansOf(project.codings.filter((c) => c.code === "KUL.SPR" && analysable(c)));
    expect(spr.length).toBe(sprOnly.length + 1);
    expect(await spans({ codeIds: ["KUL.SPR"] })).toEqual(spr);
    expect(await spans({ codeIds: ["KUL.SPR"], subcodes: false })).toEqual(sprOnly);
  });

  it("filters by municipality and case group", async () => {
    const weil = spansOf(project.codings.filter((c) => c.fixture === "int-02" && analysable(c)));
    expect(await spans({ municipalityIds: [project.municipalities.weil] })).toEqual(weil);
    const others = spansOf(project.codings.filter((c) => c.fixture === "int-03" && analysable(c)));
    expect(await spans({ groups: ["other_migrant"] })).toEqual(others);
  });

  it("filters by an indicator value as it was at the interview's date, not the current one", async () => {
    // Case 0 had B1 at its interview (2025-03-11) and C1 from 2025-06; case 1 B1 since 2024-06.
    const atInterview = spansOf(project.codings.filter((c) => (c.fixture === "int-01" || c.fixture === "int-02") && analysable(c)));
    expect(await spans({ indicators: [{ code: "S.DTNIV", value: "B1" }] })).toEqual(atInterview);
    expect(await spans({ indicators: [{ code: "S.DTNIV", value: "C1" }] })).toEqual([]);
    // a later snapshot of case 1 (after its interview) changes nothing
    await db.snapshot.create({
      data: { caseId: project.cases[1]!, indicatorId: project.indicators.get("S.DTNIV")!, state: "known", value: '"B2"', observedAt: new Date("2025-09-01T00:00:00Z"), source: "im_akte" },
    });
    expect(await spans({ indicators: [{ code: "S.DTNIV", value: "B1" }] })).toEqual(atInterview);
    // an explicit "unknown" observed before the interview hides the older known value
    await db.snapshot.create({
      data: { caseId: project.cases[1]!, indicatorId: project.indicators.get("S.DTNIV")!, state: "unknown", value: null, observedAt: new Date("2025-01-01T00:00:00Z"), source: "im_akte" },
    });
    expect(await spans({ indicators: [{ code: "S.DTNIV", value: "B1" }] })).toEqual(spansOf(project.codings.filter((c) => c.fixture === "int-01" && analysable(c))));
    // sex and age band at the interview: case 1 was 22 (born 2003), case 0 was 39
    expect(await spans({ indicators: [{ code: "P.GESCHL", value: "m" }] })).toEqual(spansOf(project.codings.filter((c) => c.fixture === "int-02" && analysable(c))));
    expect(await spans({ ageBand: "18-29" })).toEqual(spansOf(project.codings.filter((c) => c.fixture === "int-02" && analysable(c))));
    expect(await spans({ ageBand: "30-44", municipalityIds: [project.municipalities.loerrach] })).toEqual(spansOf(project.codings.filter((c) => c.fixture === "int-01" && analysable(c))));
  });

  it("filters by the speaker's role (as search does), author and interview", async () => {
    const interpreter = spansOf(project.codings.filter((c) => c.speaker === "D" && analysable(c)));
    expect(interpreter.length).toBe(13);
    expect(await spans({ speaker: "interpreter" })).toEqual(interpreter);
    const { hits } = await retrieve({ speaker: "interpreter" });
    expect(hits.every((h) => h.speaker === "D")).toBe(true);
    expect(await spans({ speaker: "interviewer" })).toEqual([]);
    const interviewees = spansOf(project.codings.filter((c) => speakerRole(c.speaker) === "interviewee" && analysable(c)));
    expect(interviewees.length).toBeGreaterThan(13);
    expect(await spans({ speaker: "interviewee" })).toEqual(interviewees);

    const ben = spansOf(project.codings.filter((c) => c.author === "ben" && analysable(c)));
    expect(await spans({ authorId: project.authors.ben })).toEqual(ben);
    expect(await spans({ authorId: project.authors.ben, codeIds: ["X.BEH"], subcodes: false })).toEqual(spansOf(project.codings.filter((c) => c.author === "ben" && c.code === "X.BEH" && analysable(c))));

    expect(await spans({ interview: "INT-T-0003" })).toEqual(spansOf(project.codings.filter((c) => c.fixture === "int-03" && analysable(c))));
    expect(await spans({ interview: "INT-NOPE" })).toEqual([]);
  });

  it("never returns an interview without analysis consent, a withdrawn one, orphaned codings, or Art. 9 codes without that scope", async () => {
    const noConsent = project.interviews["int-01-noconsent"]!;
    const everything = await retrieve({});
    expect(everything.total).toBe(spansOf(project.codings.filter(analysable)).length);
    expect(everything.hits.some((h) => h.interviewId === noConsent.id)).toBe(false);
    expect(await spans({ interview: noConsent.code })).toEqual([]);
    // X.GES is coded in int-02 (consent with the Art. 9 scope) only
    const ges = await retrieve({ codeIds: ["X.GES"] });
    expect(ges.hits.every((h) => h.interviewCode === "INT-T-0002")).toBe(true);
    expect(ges.total).toBeGreaterThan(0);

    // A new consent version without analysis takes int-03 out at once.
    const int03 = project.interviews["int-03"]!;
    await db.consentRecord.updateMany({ where: { interviewId: int03.id }, data: { current: false } });
    const v2 = await db.consentRecord.create({
      data: { interviewId: int03.id, version: 2, givenBy: "person", givenAt: new Date(), form: "written", language: "de", infoSheetVersion: "2025-01", scopeAnalysis: false },
    });
    expect(await spans({ interview: "INT-T-0003" })).toEqual([]);
    await db.consentRecord.delete({ where: { id: v2.id } });
    await db.consentRecord.updateMany({ where: { interviewId: int03.id }, data: { current: true } });
    expect((await spans({ interview: "INT-T-0003" })).length).toBeGreaterThan(0);
    // withdrawn
    await db.interview.update({ where: { id: int03.id }, data: { status: "withdrawn" } });
    expect(await spans({ interview: "INT-T-0003" })).toEqual([]);
    await db.interview.update({ where: { id: int03.id }, data: { status: "transcribed" } });
  });

  it("pages through the result in a stable order with an exact total", async () => {
    const all = await findCodedSegments(grant, { ...EMPTY_FILTERS }, { pageSize: 1000 });
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 7); page++) {
      const r = await findCodedSegments(grant, { ...EMPTY_FILTERS, page }, { pageSize: 7 });
      expect(r.total).toBe(all.total);
      seen.push(...r.hits.map((h) => key(h.interviewId, h.start, h.end)));
    }
    expect(seen).toEqual(all.hits.map((h) => key(h.interviewId, h.start, h.end)));
    const beyond = await findCodedSegments(grant, { ...EMPTY_FILTERS, page: 999 }, { pageSize: 7 });
    expect(beyond.hits).toEqual([]);
    expect(beyond.total).toBe(all.total);
  });

  it("shows the codings' comments with the segment, in the CSV too", async () => {
    const first = (await retrieve({ codeIds: ["STR.ANE"] })).hits[0]!;
    const coding = await db.coding.findFirstOrThrow({ where: { interviewId: first.interviewId, start: first.start, end: first.end, code: { key: "STR.ANE" } }, select: { id: true } });
    await db.coding.update({ where: { id: coding.id }, data: { comment: "Teilanerkennung, vgl. Memo" } });
    const { hits } = await retrieve({ codeIds: ["STR.ANE"] });
    const hit = hits.find((h) => h.interviewId === first.interviewId && h.start === first.start && h.end === first.end)!;
    expect(hit.comments).toEqual(["Teilanerkennung, vgl. Memo"]);
    expect(hits.filter((h) => h !== hit).every((h) => !h.comments.includes("Teilanerkennung, vgl. Memo"))).toBe(true);
    const csv = segmentsCsv(hits, ((k: string) => k) as never, "de");
    expect(csv).toContain("Teilanerkennung, vgl. Memo");
    await db.coding.update({ where: { id: coding.id }, data: { comment: null } });
  });

  it("every hit's text is exactly the coded quote of the fixture", async () => {
    const { hits } = await retrieve({});
    const quotes = new Map<string, string>();
    for (const c of project.codings) quotes.set(key(c.interviewId, c.start, c.end), "");
    const refs = await db.coding.findMany({ select: { interviewId: true, start: true, end: true, quote: true } });
    for (const r of refs) quotes.set(key(r.interviewId, r.start, r.end), r.quote);
    for (const h of hits) expect(h.text).toBe(quotes.get(key(h.interviewId, h.start, h.end)));
  });

  it("counts and exports one row per coding: two codes on the same words are one passage and two CSV rows, a comma in a code name stays in its cell", async () => {
    const before = await retrieve({});
    expect(before.codings).toBeGreaterThanOrEqual(before.total);
    const hit = before.hits[0]!;
    const code = await db.code.create({ data: { name: "Arbeit, Beruf", nameEn: "Work, job", colour: "#336699" } });
    const coding = await db.coding.create({ data: { transcriptId: hit.transcriptId, interviewId: hit.interviewId, codeId: code.id, start: hit.start, end: hit.end, quote: hit.text, comment: "zweite Codierung" } });
    try {
      const after = await retrieve({});
      expect(after.total).toBe(before.total);
      expect(after.codings).toBe(before.codings + 1);
      const csv = parseCsv(segmentsCsv(after.hits, ((k: string) => k) as never, "de").slice(1));
      expect(csv.length).toBe(after.codings + 1);
      const codeColumn = csv[0]!.indexOf("retrieval:export.code");
      const onPassage = csv.slice(1).filter((r) => r[0] === hit.interviewCode && r[r.length - 2] === String(hit.start) && r[r.length - 1] === String(hit.end));
      expect(onPassage.map((r) => r[codeColumn])).toEqual(expect.arrayContaining(["Arbeit, Beruf"]));
      expect(onPassage.length).toBe(hit.codings.length + 1);
      expect(onPassage.find((r) => r[codeColumn] === "Arbeit, Beruf")).toContain("zweite Codierung");
      // Only the chosen code: its one coding, one row.
      const chosen = await findCodedSegments(grant, { ...EMPTY_FILTERS, codeIds: [code.id] }, { pageSize: 1000 });
      expect([chosen.total, chosen.codings, chosen.hits[0]!.codings.map((c) => c.code.name)]).toEqual([1, 1, ["Arbeit, Beruf"]]);
    } finally {
      await db.coding.delete({ where: { id: coding.id } });
      await db.code.delete({ where: { id: code.id } });
    }
  });
});
