// Deleting an observation entered in error (GDPR Art. 16) through the history page's action on a real database:
// the current value falls back to the older observation in the overview and the register figures, the audit entry
// names indicator, snapshot, legal ground and note but never the value, the log shows the ground in the reader's
// language (and older typed reasons as they are), who may not write the case cannot delete, and a passage
// confirmed into the deleted observation stays on the timeline.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { action as recordAction, loader as overviewLoader } from "../routes/cases.$caseId.snapshots.tsx";
import { action as historyAction, loader as historyLoader } from "../routes/cases.$caseId.snapshots.$indicatorCode.tsx";
import { action as timelineAction, loader as timelineLoader } from "../routes/cases.$caseId.timeline.tsx";
import { indicatorId, makeCase, makeUser, municipalityId, respond, signIn, type SignedIn } from "../dashboard/test-support.server.ts";
import { currentValues } from "./current.server.ts";

let im: SignedIn;
let otherIm: SignedIn;
let researcher: SignedIn;
let commissioner: SignedIn;
let loerrach: string;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const today = isoDay(new Date());
const yesterday = isoDay(new Date(Date.now() - 86400_000));

const record = (caseId: string, fields: Record<string, string>) =>
  respond(() => recordAction({ request: im.post(`/cases/${caseId}/snapshots`, { state: "known", source: "dokument", ...fields }), params: { caseId }, context: {} }));

const remove = (who: SignedIn, caseId: string, fields: Record<string, string>, options?: { csrf?: boolean }) =>
  respond(() => historyAction({ request: who.post(`/cases/${caseId}/snapshots/S.DTNIV`, fields, options), params: { caseId, indicatorCode: "S.DTNIV" }, context: {} }));

const current = async (caseId: string) => {
  const res = await respond(() => overviewLoader({ request: im.get(`/cases/${caseId}/snapshots`), params: { caseId }, context: {} }));
  const data = (await res.json()) as { indicators: { code: string; current: { value: unknown; observedAt: string } | null }[] };
  return data.indicators.find((i) => i.code === "S.DTNIV")!.current;
};

/** The case with C1 observed today by mistake, then the right B1 observed yesterday: C1 is current. */
async function mistakenCase() {
  const kase = await makeCase(loerrach);
  expect((await record(kase.id, { indicator: "S.DTNIV", value: "C1", observedAt: today })).status).toBe(302);
  expect((await record(kase.id, { indicator: "S.DTNIV", value: "B1", observedAt: yesterday })).status).toBe(302);
  const wrong = await db.snapshot.findFirstOrThrow({ where: { caseId: kase.id, value: JSON.stringify("C1") }, select: { id: true } });
  expect(await current(kase.id)).toMatchObject({ value: "C1" });
  return { caseId: kase.id, wrongId: wrong.id };
}

beforeAll(async () => {
  await seedReference(db);
  loerrach = await municipalityId("08336050");
  im = await signIn(await makeUser("im.del", ["integration_manager"], [loerrach]));
  otherIm = await signIn(await makeUser("im.del.other", ["integration_manager"], [await municipalityId("08336091")]));
  researcher = await signIn(await makeUser("forscher.del", ["researcher"]));
  commissioner = await signIn(await makeUser("comm.del", ["commissioner"]));
});

describe("deleting a snapshot entered in error", () => {
  it("deletes it with an audit entry without the value, and the current value falls back to the older observation", async () => {
    const { caseId, wrongId } = await mistakenCase();
    const res = await remove(im, caseId, { snapshotId: wrongId, ground: "inaccurate", note: "falsches Datum, Fehleingabe" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/cases/${caseId}/snapshots/S.DTNIV?deleted=1`);
    expect(await db.snapshot.count({ where: { id: wrongId } })).toBe(0);

    // the overview, and the figures behind dashboard and work list, now take B1 of yesterday
    expect(await current(caseId)).toMatchObject({ value: "B1", observedAt: `${yesterday}T00:00:00.000Z` });
    const dtniv = await indicatorId("S.DTNIV");
    const figures = await currentValues({ municipalities: [loerrach], ids: [caseId] }, [{ id: dtniv, stalenessMonths: 12 }]);
    expect(figures.get(caseId)?.get(dtniv)).toMatchObject({ state: "known", value: "B1", stale: false });
    const hist = await respond(() => historyLoader({ request: im.get(`/cases/${caseId}/snapshots/S.DTNIV`), params: { caseId, indicatorCode: "S.DTNIV" }, context: {} }));
    expect(((await hist.json()) as { snapshots: { value: unknown }[] }).snapshots.map((s) => s.value)).toEqual(["B1"]);

    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "snapshot.delete", entityId: caseId } });
    expect(entry.entity).toBe("case");
    expect(JSON.parse(entry.detail!)).toEqual({ indicator: "S.DTNIV", snapshotId: wrongId, ground: "inaccurate", note: "falsches Datum, Fehleingabe" });
    expect(entry.detail).not.toContain("C1");
  });

  it("requires the legal ground (the note may be left out), says so next to the field, keeps the typed note and deletes nothing", async () => {
    const { caseId, wrongId } = await mistakenCase();
    for (const [ground, note, field, message] of [
      ["", "Tippfehler beim Datum", "ground", "validation.choose"],
      ["weil ich es sage", "", "ground", "validation.choose"],
      ["inaccurate", "x".repeat(201), "note", 'validation.tooLong|{"max":200}'],
    ] as const) {
      const res = await remove(im, caseId, { snapshotId: wrongId, ground, note });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { snapshotId: string; result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
      expect(body.snapshotId).toBe(wrongId);
      expect(body.result.error[field]).toEqual([message]);
      // The form opens again with what was typed.
      expect(body.result.initialValue.note ?? "").toBe(note);
    }
    expect(await db.snapshot.count({ where: { id: wrongId } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "snapshot.delete", entityId: caseId } })).toBe(0);
  });

  it("is refused without the CSRF token, for another municipality's manager, a researcher, the commissioner and another case's snapshot", async () => {
    const { caseId, wrongId } = await mistakenCase();
    const fields = { snapshotId: wrongId, ground: "inaccurate" };
    expect((await remove(im, caseId, fields, { csrf: false })).status).toBe(403);
    expect((await remove(otherIm, caseId, fields)).status).toBe(404);
    expect((await remove(researcher, caseId, fields)).status).toBe(403);
    expect((await remove(commissioner, caseId, fields)).status).toBe(403);
    // a snapshot id of this case under another case's address (both in scope) is not found either
    const other = await makeCase(loerrach);
    expect((await remove(im, other.id, fields)).status).toBe(404);
    expect((await remove(im, caseId, { ...fields, snapshotId: "no-such-snapshot" })).status).toBe(404);
    expect(await db.snapshot.count({ where: { id: wrongId } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "snapshot.delete", entityId: { in: [caseId, other.id] } } })).toBe(0);
    expect(await current(caseId)).toMatchObject({ value: "C1" });
  });

  it("keeps a passage confirmed into the deleted observation on the timeline, marked as no longer in the register", async () => {
    const kase = await makeCase(loerrach);
    const dtniv = await indicatorId("S.DTNIV");
    const turns = [{ speaker: "B", startMs: 0, endMs: 9000, text: "Im Juni 2024 habe ich B1 bestanden." }];
    const interview = await db.interview.create({
      data: {
        code: "INT-T-0200",
        caseId: kase.id,
        date: new Date("2025-03-11T00:00:00Z"),
        placeType: "office",
        languages: '["de"]',
        status: "transcribed",
        consents: { create: { version: 1, givenBy: "person", givenAt: new Date("2025-03-11T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "2025-01", scopeAnalysis: true, scopeLinking: true } },
        transcript: { create: { source: "import", paragraphs: { create: turns.map((t, position) => ({ ...t, position })) } } },
      },
      select: { id: true, transcript: { select: { id: true } } },
    });
    const code = await db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true } });
    const coding = await db.coding.create({ data: { transcriptId: interview.transcript!.id, interviewId: interview.id, codeId: code.id, start: 3, end: 38, quote: turns[0]!.text }, select: { id: true } });
    const link = await db.passageLink.create({
      data: { codingId: coding.id, caseId: kase.id, indicatorId: dtniv, status: "proposed", proposedState: "known", proposedValue: '"B1"', proposedObservedAt: new Date("2024-06-01T00:00:00Z"), proposedSource: "selbstauskunft" },
      select: { id: true },
    });
    const confirmed = await respond(() => timelineAction({ request: im.post(`/cases/${kase.id}/timeline`, { intent: "confirm", linkId: link.id }), params: { caseId: kase.id }, context: {} }));
    expect(confirmed.status).toBe(302);
    const { snapshotId } = await db.passageLink.findUniqueOrThrow({ where: { id: link.id }, select: { snapshotId: true } });
    expect(snapshotId).not.toBeNull();

    expect((await remove(im, kase.id, { snapshotId: snapshotId!, ground: "inaccurate" })).status).toBe(302);
    expect(await db.passageLink.findUniqueOrThrow({ where: { id: link.id }, select: { status: true, snapshotId: true } })).toEqual({ status: "confirmed", snapshotId: null });

    const res = await respond(() => timelineLoader({ request: im.get(`/cases/${kase.id}/timeline`), params: { caseId: kase.id }, context: {} }));
    expect(res.status).toBe(200);
    type Entry = { kind: string; linkId?: string; status?: string; quote?: string; story?: { value: unknown } | null; registerDeleted?: boolean };
    const { entries } = (await res.json()) as { entries: Entry[] };
    expect(entries.filter((e) => e.kind === "snapshot")).toEqual([]);
    expect(entries.find((e) => e.kind === "passage")).toMatchObject({ linkId: link.id, status: "confirmed", quote: turns[0]!.text, story: { value: "B1" }, registerDeleted: true });
  });
});
