// The case timeline through its route loader on a real database: every kind in time order, indicator changes
// instead of repeated values, filters by dimension and kind, and who may see it (scope and linking consent).
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { loader as timelineLoader } from "../routes/cases.$caseId.timeline.tsx";
import { indicatorId, makeCase, makeUser, municipalityId, respond, signIn, type SignedIn } from "../dashboard/test-support.server.ts";
import { changesOnly } from "./changes.ts";
import { sanitizeRichText } from "../rich-text/sanitize.server.ts";

let im: SignedIn;
let otherIm: SignedIn;
let researcher: SignedIn;
let caseId: string;
let unlinkedCaseId: string;

type Entry = { kind: string; date: string; key: string; indicator?: { code: string }; value?: unknown; previous?: { value: unknown } | null; status?: string };
type Timeline = { entries: Entry[]; total: number };

const get = async (who: SignedIn, id: string, query = "") => {
  const res = await respond(async () => timelineLoader({ request: who.get(`/cases/${id}/timeline${query}`), params: { caseId: id }, context: {} }));
  return { status: res.status, data: res.status === 200 ? ((await res.json()) as Timeline) : null };
};

const day = (d: string) => new Date(`${d}T00:00:00Z`);

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await municipalityId("08336050");
  im = await signIn(await makeUser("im.l", ["integration_manager"], [loerrach]));
  otherIm = await signIn(await makeUser("im.w", ["integration_manager"], [await municipalityId("08336091")]));
  researcher = await signIn(await makeUser("forscherin", ["researcher"]));
  caseId = (await makeCase(loerrach, { imStart: "2021-02-01" })).id;
  unlinkedCaseId = (await makeCase(loerrach)).id;

  const dtniv = await indicatorId("S.DTNIV");
  const erw = await indicatorId("S.ERW");
  const snap = (indicatorId: string, value: string, at: string) => db.snapshot.create({ data: { caseId, indicatorId, state: "known", value: JSON.stringify(value), observedAt: day(at), source: "im_akte" } });
  await snap(dtniv, "A1", "2021-06-01");
  await snap(dtniv, "A1", "2022-01-10"); // a re-check with the same value: no change
  await snap(dtniv, "A2", "2023-03-01");
  await snap(erw, "minijob", "2023-09-01");
  await db.contact.create({ data: { caseId, date: day("2021-03-15"), kind: "phone", durationMinutes: 30 } });
  await db.integrationPlan.create({ data: { caseId, drawnUpAt: day("2021-04-01"), areas: { create: [{ area: "sprache", status: "laufend" }] } } });
  await db.biographyNote.create({ data: { caseId, type: "event", noteDate: day("2024-07-01"), title: "Prüfung bestanden", contentJson: "{}", contentHtml: "<p>B1 bestanden</p>", contentText: "B1 bestanden" } });

  // An interview with the linking consent, a KUL.SPR coding and a proposal (B1 in June 2024).
  const turns = [{ speaker: "B", startMs: 0, endMs: 9000, text: "Im Juni 2024 habe ich B1 bestanden." }];
  const interview = await db.interview.create({
    data: {
      code: "INT-T-0100",
      caseId,
      date: day("2025-03-11"),
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      consents: { create: { version: 1, givenBy: "person", givenAt: day("2025-03-11"), form: "written", language: "de", infoSheetVersion: "2025-01", scopeAnalysis: true, scopeLinking: true } },
      transcript: { create: { source: "import", paragraphs: { create: turns.map((t, position) => ({ ...t, position })) } } },
    },
    select: { id: true, transcript: { select: { id: true } } },
  });
  const code = await db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true } });
  const coding = await db.coding.create({ data: { transcriptId: interview.transcript!.id, interviewId: interview.id, codeId: code.id, start: 3, end: 38, quote: turns[0]!.text }, select: { id: true } });
  await db.passageLink.create({
    data: { codingId: coding.id, caseId, indicatorId: dtniv, status: "proposed", proposedState: "known", proposedValue: '"B1"', proposedObservedAt: day("2024-06-01"), proposedSource: "selbstauskunft" },
  });
});

describe("the timeline", () => {
  it("lists every kind in time order, with indicator changes only", async () => {
    const { status, data } = await get(im, caseId);
    expect(status).toBe(200);
    const summary = data!.entries.map((e) => `${e.date.slice(0, 10)} ${e.kind}${e.indicator ? ` ${e.indicator.code}=${String(e.value ?? "")}` : ""}`);
    expect(summary).toEqual([
      "2021-02-01 case",
      "2021-03-15 contact",
      "2021-04-01 plan",
      "2021-06-01 snapshot S.DTNIV=A1",
      "2023-03-01 snapshot S.DTNIV=A2",
      "2023-09-01 snapshot S.ERW=minijob",
      "2024-06-01 passage S.DTNIV=",
      "2024-07-01 note",
      "2025-03-11 interview",
    ]);
    const change = data!.entries.find((e) => e.kind === "snapshot" && e.value === "A2")!;
    expect(change.previous).toEqual({ state: "known", value: "A1" });
    const passage = data!.entries.find((e) => e.kind === "passage") as Entry & { status: string; contradiction: unknown; quote: string };
    expect(passage).toMatchObject({ status: "proposed", quote: "Im Juni 2024 habe ich B1 bestanden." });
    // The register says A2 (since 2023-03) where the passage says B1 (2024-06).
    expect(passage.contradiction).toMatchObject({ kind: "ordinal", direction: "higher", registerValue: "A2" });
    expect(await db.auditLog.count({ where: { action: "timeline.view", entityId: caseId } })).toBeGreaterThan(0);
  });

  it("filters by dimension (indicator dimension and code dimension) and by kind", async () => {
    const kul = (await get(im, caseId, "?dimension=KUL")).data!;
    expect(kul.entries.map((e) => `${e.kind} ${e.indicator?.code}`)).toEqual(["snapshot S.DTNIV", "snapshot S.DTNIV", "passage S.DTNIV"]);
    const str = (await get(im, caseId, "?dimension=STR")).data!;
    expect(str.entries.map((e) => e.indicator?.code)).toEqual(["S.ERW"]);
    const notes = (await get(im, caseId, "?kind=note&kind=contact")).data!;
    expect(notes.entries.map((e) => e.kind)).toEqual(["contact", "note"]);
    expect(notes.total).toBe(9);
    // Unknown values are ignored, not errors.
    expect((await get(im, caseId, "?dimension=XYZ&kind=nonsense")).data!.entries).toHaveLength(9);
  });
});

describe("who sees the timeline", () => {
  it("shows a note's list items apart in its excerpt, not run together", async () => {
    const noteCase = (await makeCase(await municipalityId("08336050"))).id;
    // The text as the note editor stores it: a paragraph, then a two-item bullet list.
    const content = sanitizeRichText({ html: "<p>Angekommen 2015 aus Syrien.</p><ul><li><p>Unterlagen zur Anerkennung sammeln</p></li><li><p>Sprachkurs anmelden</p></li></ul>" });
    await db.biographyNote.create({ data: { caseId: noteCase, type: "goal", noteDate: day("2024-08-01"), title: "Nächste Schritte", contentJson: content.json, contentHtml: content.html, contentText: content.text } });
    const { data } = await get(im, noteCase, "?kind=note");
    expect(data!.entries.map((e) => (e as Entry & { excerpt?: string }).excerpt)).toEqual(["Angekommen 2015 aus Syrien. Unterlagen zur Anerkennung sammeln; Sprachkurs anmelden"]);
  });

  it("an integration manager of another municipality gets 404", async () => {
    expect((await get(otherIm, caseId)).status).toBe(404);
  });

  it("a researcher only where the person consented to linking", async () => {
    expect((await get(researcher, caseId)).status).toBe(200);
    expect((await get(researcher, unlinkedCaseId)).status).toBe(404);
    await db.consentRecord.updateMany({ where: { interview: { caseId } }, data: { scopeLinking: false } });
    try {
      expect((await get(researcher, caseId)).status).toBe(404);
    } finally {
      await db.consentRecord.updateMany({ where: { interview: { caseId } }, data: { scopeLinking: true } });
    }
  });

  it("without the linking consent the integration manager still sees the register, but no passages", async () => {
    await db.consentRecord.updateMany({ where: { interview: { caseId } }, data: { scopeLinking: false } });
    try {
      const { data } = await get(im, caseId);
      expect(data!.entries.some((e) => e.kind === "passage")).toBe(false);
      expect(data!.entries.some((e) => e.kind === "snapshot")).toBe(true);
    } finally {
      await db.consentRecord.updateMany({ where: { interview: { caseId } }, data: { scopeLinking: true } });
    }
  });
});

describe("changesOnly", () => {
  it("keeps the first of each run of equal values, per indicator", () => {
    const at = (indicatorId: string, value: string, d: string) => ({ indicatorId, state: "known", value, observedAt: day(d), createdAt: day(d) });
    const rows = [at("a", "1", "2020-01-01"), at("b", "1", "2020-02-01"), at("a", "1", "2020-03-01"), at("a", "2", "2020-04-01"), at("a", "1", "2020-05-01")];
    expect(changesOnly(rows).map((r) => `${r.indicatorId}${r.value}@${r.observedAt.toISOString().slice(5, 7)}`)).toEqual(["a1@01", "b1@02", "a2@04", "a1@05"]);
  });
});
