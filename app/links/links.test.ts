// Story <-> number through the real routes' loaders and actions on a real database: a researcher links and
// proposes from a coded passage (only with the linking consent), an integration manager of the case's
// municipality confirms (a verified snapshot) or rejects (with a reason), contradictions appear and go.
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { writeText } from "../transcripts/formats/text.ts";
import { loader as linksLoader, action as linksAction } from "../routes/codings.$codingId.links.tsx";
import { loader as timelineLoader, action as timelineAction } from "../routes/cases.$caseId.timeline.tsx";
import { indicatorId, makeCase, makeUser, municipalityId, respond, signIn, type SignedIn } from "../dashboard/test-support.server.ts";
import { findContradictions } from "./contradictions.server.ts";
import { passageLinkEraser } from "./eraser.server.ts";

let researcher: SignedIn;
let im: SignedIn;
let otherIm: SignedIn;
let caseId: string;
let codingId: string;
let unconsentedCodingId: string;

const QUOTE = "Ich habe letztes Jahr B1 bestanden";

/** An interview on the case with a transcript of two turns and a coding (code key) on the quote. */
async function interviewWithCoding(caseId: string, code: string, linking: boolean, interviewCode: string) {
  const turns = [
    { speaker: "I", startMs: 0, endMs: 4000, text: "Wie läuft es mit dem Deutschen?" },
    { speaker: "B", startMs: 4000, endMs: 15000, text: `Gut. ${QUOTE}, jetzt lerne ich für B2.` },
  ];
  const interview = await db.interview.create({
    data: {
      code: interviewCode,
      caseId,
      date: new Date("2025-03-11T10:00:00Z"),
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      consents: { create: { version: 1, givenBy: "person", givenAt: new Date("2025-03-11T10:00:00Z"), form: "written", language: "de", infoSheetVersion: "2025-01", scopeAnalysis: true, scopeLinking: linking } },
      transcript: { create: { source: "import", paragraphs: { create: turns.map((t, position) => ({ ...t, position })) } } },
    },
    select: { id: true, transcript: { select: { id: true } } },
  });
  const text = Array.from(writeText(turns));
  const start = text.join("").indexOf(QUOTE); // ASCII before the quote: UTF-16 index = code point index
  const codeRow = await db.code.findFirstOrThrow({ where: { key: code }, select: { id: true } });
  const coding = await db.coding.create({
    data: { transcriptId: interview.transcript!.id, interviewId: interview.id, codeId: codeRow.id, start, end: start + QUOTE.length, quote: QUOTE },
    select: { id: true },
  });
  return { interviewId: interview.id, codingId: coding.id };
}

const linksGet = (who: SignedIn, id: string, query = "") => respond(async () => linksLoader({ request: who.get(`/codings/${id}/links${query}`), params: { codingId: id }, context: {} }));
const linksPost = (who: SignedIn, id: string, fields: Record<string, string | string[]>) =>
  respond(async () => linksAction({ request: who.post(`/codings/${id}/links`, fields), params: { codingId: id }, context: {} }));
const decide = (who: SignedIn, id: string, fields: Record<string, string>) =>
  respond(async () => timelineAction({ request: who.post(`/cases/${id}/timeline`, fields), params: { caseId: id }, context: {} }));
const timeline = (who: SignedIn, id: string) => respond(async () => timelineLoader({ request: who.get(`/cases/${id}/timeline`), params: { caseId: id }, context: {} }));

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  researcher = await signIn(await makeUser("forscherin", ["researcher"]));
  im = await signIn(await makeUser("im.l", ["integration_manager"], [loerrach]));
  otherIm = await signIn(await makeUser("im.w", ["integration_manager"], [weil]));
  caseId = (await makeCase(loerrach)).id;
  // The register: A2 since May 2023 (so at "last year" = 2024 the register says A2).
  await db.snapshot.create({ data: { caseId, indicatorId: await indicatorId("S.DTNIV"), state: "known", value: '"A2"', observedAt: new Date("2023-05-01T00:00:00Z"), source: "im_akte" } });
  codingId = (await interviewWithCoding(caseId, "KUL.SPR", true, "INT-T-0001")).codingId;
  unconsentedCodingId = (await interviewWithCoding(caseId, "KUL.SPR", false, "INT-T-0002")).codingId;
});

describe("the linking page", () => {
  it("pre-fills indicator, value and date from the code and the quote, and shows the register around the interview", async () => {
    const res = await linksGet(researcher, codingId);
    expect(res.status).toBe(200);
    const data = (await res.json()) as {
      refused: null;
      passage: { place: { speaker: string; startMs: number; endMs: number } };
      linking: { chosen: { code: string }; proposal: { value: unknown; date: { text: string; from: string } }; snapshots: { value: unknown; atInterview: boolean }[] };
    };
    expect(data.refused).toBeNull();
    expect(data.passage.place).toMatchObject({ speaker: "B", startMs: 4000, endMs: 15000 });
    expect(data.linking.chosen.code).toBe("S.DTNIV");
    expect(data.linking.proposal.value).toBe("B1");
    expect(data.linking.proposal.date).toMatchObject({ text: "2024", from: "relative" });
    expect(data.linking.snapshots).toEqual([expect.objectContaining({ value: "A2", atInterview: true })]);
    expect(await db.auditLog.count({ where: { action: "passage-link.view", entityId: caseId } })).toBe(1);
  });

  it("without the linking consent refuses clearly and shows no register values", async () => {
    const res = await linksGet(researcher, unconsentedCodingId);
    const data = (await res.json()) as { refused: string; linking: unknown };
    expect(data.refused).toBe("scope-missing");
    expect(data.linking).toBeNull();
  });

  it("is not there for an integration manager, nor for a coding that does not exist", async () => {
    expect((await linksGet(im, codingId)).status).toBe(403);
    expect((await linksGet(researcher, "no-such-coding")).status).toBe(404);
  });
});

describe("linking and proposing", () => {
  it("refuses both without the linking consent and saves nothing", async () => {
    const snapshot = await db.snapshot.findFirstOrThrow({ where: { caseId }, select: { id: true } });
    const before = await db.passageLink.count();
    expect((await linksPost(researcher, unconsentedCodingId, { intent: "link", snapshotId: snapshot.id })).status).toBe(403);
    expect((await linksPost(researcher, unconsentedCodingId, { intent: "propose", indicator: "S.DTNIV", value: "B1", observedAt: "2024" })).status).toBe(403);
    expect(await db.passageLink.count()).toBe(before);
  });

  it("links the passage to an existing snapshot of the same case, once", async () => {
    const snapshot = await db.snapshot.findFirstOrThrow({ where: { caseId }, select: { id: true } });
    const res = await linksPost(researcher, codingId, { intent: "link", indicator: "S.DTNIV", snapshotId: snapshot.id });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("done=linked");
    await linksPost(researcher, codingId, { intent: "link", indicator: "S.DTNIV", snapshotId: snapshot.id });
    expect(await db.passageLink.findMany({ where: { codingId, snapshotId: snapshot.id }, select: { status: true } })).toEqual([{ status: "linked" }]);
  });

  it("will not link a snapshot of another case", async () => {
    const other = await makeCase(await municipalityId("08336050"));
    const foreign = await db.snapshot.create({ data: { caseId: other.id, indicatorId: await indicatorId("S.DTNIV"), state: "known", value: '"C1"', observedAt: new Date(), source: "im_akte" }, select: { id: true } });
    expect((await linksPost(researcher, codingId, { intent: "link", snapshotId: foreign.id })).status).toBe(400);
  });

  it("checks a proposal's value and date against the indicator", async () => {
    expect((await linksPost(researcher, codingId, { intent: "propose", indicator: "S.DTNIV", value: "Z9", observedAt: "2024" })).status).toBe(400);
    expect((await linksPost(researcher, codingId, { intent: "propose", indicator: "S.DTNIV", value: "B1", observedAt: "2024-13" })).status).toBe(400);
    // Not from the future either, as in the snapshot form (a proposal confirmed became a register value dated 2031).
    const future = await linksPost(researcher, codingId, { intent: "propose", indicator: "S.DTNIV", value: "B2", observedAt: `${new Date().getUTCFullYear() + 1}-05` });
    expect(future.status).toBe(400);
    expect(JSON.stringify(await future.json())).toContain("timeline:links.errors.future");
    expect(await db.passageLink.count({ where: { status: "proposed" } })).toBe(0);
  });

  it("proposes a new snapshot (not verified yet) and flags the contradiction with the register", async () => {
    const res = await linksPost(researcher, codingId, { intent: "propose", indicator: "S.DTNIV", value: "B1", observedAt: "2024" });
    expect(res.status).toBe(302);
    const link = await db.passageLink.findFirstOrThrow({ where: { codingId, status: "proposed" } });
    expect(link).toMatchObject({ proposedState: "known", proposedValue: '"B1"', proposedSource: "selbstauskunft", snapshotId: null });
    expect(link.proposedObservedAt?.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    // The same proposal again (a double click, a second tab) is refused: the manager would decide it twice.
    const again = await linksPost(researcher, codingId, { intent: "propose", indicator: "S.DTNIV", value: "B1", observedAt: "2024" });
    expect(again.status).toBe(409);
    expect(JSON.stringify(await again.json())).toContain("timeline:links.errors.duplicate");
    expect(await db.passageLink.count({ where: { codingId, status: "proposed" } })).toBe(1);
    expect(await db.snapshot.count({ where: { caseId, verified: true } })).toBe(0);
    const contradictions = await findContradictions({ id: caseId });
    expect(contradictions).toEqual([expect.objectContaining({ linkId: link.id, kind: "ordinal", direction: "higher", story: expect.objectContaining({ value: "B1" }), register: expect.objectContaining({ value: "A2" }) })]);
    expect(await db.auditLog.count({ where: { action: "passage-link.propose", entityId: caseId } })).toBe(1);
  });
});

describe("deciding on proposals", () => {
  it("an integration manager of another municipality cannot see or decide them", async () => {
    const link = await db.passageLink.findFirstOrThrow({ where: { codingId, status: "proposed" }, select: { id: true } });
    expect((await timeline(otherIm, caseId)).status).toBe(404);
    expect((await decide(otherIm, caseId, { intent: "confirm", linkId: link.id })).status).toBe(404);
    expect((await decide(researcher, caseId, { intent: "confirm", linkId: link.id })).status).toBe(403);
    expect(await db.passageLink.count({ where: { id: link.id, status: "proposed" } })).toBe(1);
  });

  it("confirming creates a verified snapshot with the proposed values, links it, and resolves the contradiction", async () => {
    const link = await db.passageLink.findFirstOrThrow({ where: { codingId, status: "proposed" }, select: { id: true } });
    const res = await decide(im, caseId, { intent: "confirm", linkId: link.id });
    expect(res.status).toBe(302);
    const after = await db.passageLink.findUniqueOrThrow({ where: { id: link.id }, include: { snapshot: true } });
    expect(after.status).toBe("confirmed");
    expect(after.decidedAt).not.toBeNull();
    expect(after.snapshot).toMatchObject({ caseId, state: "known", value: '"B1"', source: "selbstauskunft", verified: true });
    expect(after.snapshot!.observedAt.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(await findContradictions({ id: caseId })).toEqual([]);
    // A second click (another tab) changes nothing.
    expect((await decide(im, caseId, { intent: "confirm", linkId: link.id })).status).toBe(409);
    expect(await db.snapshot.count({ where: { caseId, verified: true } })).toBe(1);
    // A rejection typed in a tab that still showed the proposal: refused, its reason handed back to show.
    const late = await decide(im, caseId, { intent: "reject", linkId: link.id, reason: "Zertifikat fehlt" });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ ok: false, error: "timeline:decide.errors.decided", reason: "Zertifikat fehlt" });
  });

  it("rejecting needs a reason, keeps it, and creates no snapshot", async () => {
    await linksPost(researcher, codingId, { intent: "propose", indicator: "S.IK", value: "laufend", observedAt: "2025-03-11" });
    const link = await db.passageLink.findFirstOrThrow({ where: { codingId, status: "proposed" }, select: { id: true } });
    expect((await decide(im, caseId, { intent: "reject", linkId: link.id, reason: "  " })).status).toBe(400);
    const snapshots = await db.snapshot.count({ where: { caseId } });
    expect((await decide(im, caseId, { intent: "reject", linkId: link.id, reason: "Kurs wurde abgebrochen, siehe Akte" })).status).toBe(302);
    expect(await db.passageLink.findUniqueOrThrow({ where: { id: link.id }, select: { status: true, note: true } })).toEqual({ status: "rejected", note: "Kurs wurde abgebrochen, siehe Akte" });
    expect(await db.snapshot.count({ where: { caseId } })).toBe(snapshots);
    // The log names the decision, not the words of the reason.
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "passage-link.reject" }, select: { detail: true } });
    expect(entry.detail).not.toContain("abgebrochen");
  });

  it("refuses to confirm once the linking consent is gone", async () => {
    await linksPost(researcher, codingId, { intent: "propose", indicator: "S.DTNIV", value: "B2", observedAt: "2025-02" });
    const link = await db.passageLink.findFirstOrThrow({ where: { codingId, status: "proposed" }, select: { id: true, coding: { select: { interviewId: true } } } });
    await db.consentRecord.updateMany({ where: { interviewId: link.coding.interviewId }, data: { scopeLinking: false } });
    try {
      expect((await decide(im, caseId, { intent: "confirm", linkId: link.id })).status).toBe(403);
      expect(await db.passageLink.count({ where: { id: link.id, status: "proposed" } })).toBe(1);
    } finally {
      await db.consentRecord.updateMany({ where: { interviewId: link.coding.interviewId }, data: { scopeLinking: true } });
    }
  });
});

describe("withdrawal of the links part", () => {
  it("erases the interview's passage links and keeps the snapshots the manager confirmed", async () => {
    const coding = await db.coding.findUniqueOrThrow({ where: { id: codingId }, select: { interviewId: true } });
    const ctx = (parts: string[]) => ({ interviewId: coding.interviewId, caseId, parts: new Set(parts) as never });
    const links = await db.passageLink.count({ where: { codingId } });
    const verified = await db.snapshot.count({ where: { caseId, verified: true } });
    expect(links).toBeGreaterThan(0);
    expect(await passageLinkEraser.preview(ctx(["recording"]))).toEqual({});
    expect(await passageLinkEraser.preview(ctx(["links"]))).toEqual({ passageLinks: links });
    expect(await passageLinkEraser.erase(ctx(["links"]))).toEqual({ passageLinks: links });
    expect(await db.passageLink.count({ where: { codingId } })).toBe(0);
    expect(await db.snapshot.count({ where: { caseId, verified: true } })).toBe(verified);
    expect(await passageLinkEraser.erase(ctx(["links"]))).toEqual({ passageLinks: 0 });
  });
});
