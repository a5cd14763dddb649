// Memos on codings where the coding is: on its card in the transcript's coding panel and with its coded segment,
// only for readers of memos on interviews whose consent allows analysis, logged as memo reads once per window
// (ADR 0016); and a coding memo's link opens the transcript at the coded words. Real test database (SQLite, or
// PostgreSQL with TEST_DATABASE=postgres).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, insertCase, municipalityId, signedInUser, type TestUser } from "../cases/test-support.ts";
import * as transcriptPage from "../routes/interviews.$interviewId.transcript._index.tsx";
import * as memoPage from "../routes/memos.$memoId._index.tsx";
import * as listPage from "../routes/memos._index.tsx";
import { findCodedSegments } from "../retrieval/segments.server.ts";
import { EMPTY_FILTERS } from "../retrieval/filters.ts";
import { textSpans } from "../coding/editor/plain-text.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import type { CodingSetup } from "../coding/editor/types.ts";
import { givenConsent } from "../../tests/support/consent.ts";

let researcher: TestUser;
let codeId: string;
const paragraphs = [
  { speaker: "I", startMs: 0, endMs: 2500, text: "Wie ging es mit dem Kurs weiter?" },
  { speaker: "B", startMs: 2500, endMs: 9000, text: "Nach dem Kurs habe ich die Prüfung im zweiten Anlauf bestanden." },
];
const LONG = `Der Anlauf zeigt Ausdauer. ${"Sie lernte abends weiter. ".repeat(12)}`;

/** An interview with a transcript of two turns, one coding on "im zweiten Anlauf" in the second, and a memo on it. */
async function codedInterview(code: string, pseudonym: string, analysis: boolean) {
  const caseId = (await insertCase(pseudonym, await municipalityId("08336050"))).id;
  const at = new Date("2025-03-01T10:00:00Z");
  const interview = await db.interview.create({
    data: {
      code,
      caseId,
      date: at,
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      consents: givenConsent(at, { analysis }),
    },
    select: { id: true },
  });
  const transcript = await db.transcript.create({ data: { interviewId: interview.id, source: "import", language: "de", paragraphs: { create: paragraphs.map((p, position) => ({ ...p, position })) } }, select: { id: true } });
  const turn = textSpans(paragraphs).spans[1]!;
  const from = [...paragraphs[1]!.text].length - [..."im zweiten Anlauf bestanden."].length;
  const start = turn.start + from;
  const end = start + [..."im zweiten Anlauf"].length;
  const coding = await db.coding.create({ data: { transcriptId: transcript.id, interviewId: interview.id, codeId, start, end, quote: "im zweiten Anlauf" }, select: { id: true } });
  const memo = await db.memo.create({
    data: { type: "case", title: `Ausdauer ${code}`, contentJson: "{}", contentHtml: "", contentText: LONG, codingId: coding.id, interviewId: interview.id, authorId: researcher.user.id },
    select: { id: true },
  });
  return { interviewId: interview.id, transcriptId: transcript.id, codingId: coding.id, memoId: memo.id, start, end };
}

const memoViews = (memoId: string) => db.auditLog.findMany({ where: { userId: researcher.user.id, action: "memo.view", entityId: memoId }, select: { entity: true, detail: true } });
const panel = async (interviewId: string) => {
  const data = (await (await transcriptPage.loader({ request: getRequest(`/interviews/${interviewId}/transcript`, researcher), params: { interviewId }, ...ctx })).json()) as { coding: CodingSetup | null };
  return data.coding!;
};
const grantOf = (user: TestUser): Grant => ({ access: "any", user: user.user });

let analysed: Awaited<ReturnType<typeof codedInterview>>;
let withoutAnalysis: Awaited<ReturnType<typeof codedInterview>>;

beforeAll(async () => {
  await ensureReference();
  researcher = await signedInUser("coding.memo.reader", ["researcher"]);
  codeId = (await db.code.create({ data: { key: "T.CMM", name: "Ausdauer", colour: "#336699" }, select: { id: true } })).id;
  analysed = await codedInterview("INT-T-0701", "LOE-2020-0701", true);
  withoutAnalysis = await codedInterview("INT-T-0702", "LOE-2020-0702", false);
});

describe("memos on codings", () => {
  it("stand on their coding's card (title, the start of the text) and are logged as read once per window", async () => {
    for (let i = 0; i < 3; i++) {
      const setup = await panel(analysed.interviewId);
      expect(setup.memos[analysed.codingId]).toEqual([{ id: analysed.memoId, title: "Ausdauer INT-T-0701", excerpt: expect.stringMatching(/^Der Anlauf zeigt Ausdauer\. Sie lernte .* …$/) }]);
      expect(setup.memos[analysed.codingId]![0]!.excerpt.length).toBeLessThan(LONG.length);
      expect(setup.canWriteMemo).toBe(true);
    }
    // One entry for three loads, named as the memo page names it.
    expect((await memoViews(analysed.memoId)).map((v) => [v.entity, JSON.parse(v.detail!)])).toEqual([["memo", { target: `codingId=${analysed.codingId}&interviewId=${analysed.interviewId}` }]]);
  });

  it("are neither shown nor logged where the consent does not allow analysis, and no memo is offered there", async () => {
    const setup = await panel(withoutAnalysis.interviewId);
    expect(setup.codings.map((c) => c.id)).toEqual([withoutAnalysis.codingId]);
    expect(setup.memos).toEqual({});
    expect(setup.canWriteMemo).toBe(false);
    expect(await memoViews(withoutAnalysis.memoId)).toEqual([]);
  });

  it("come with their coded segment, and only where the consent allows analysis", async () => {
    const { hits } = await findCodedSegments(grantOf(researcher), { ...EMPTY_FILTERS, codeIds: [codeId] }, { pageSize: 100 });
    expect(hits.map((h) => h.interviewId)).toEqual([analysed.interviewId]);
    expect(hits[0]!.memos).toEqual([{ id: analysed.memoId, title: "Ausdauer INT-T-0701", text: LONG, codingId: analysed.codingId, interviewId: analysed.interviewId }]);
    expect(hits[0]!.codings.map((c) => c.id)).toEqual([analysed.codingId]);
  });

  it("link to their coded words: the transcript opens with them selected and the player at their turn", async () => {
    const href = `/interviews/${analysed.interviewId}/transcript?at=2500&from=${analysed.start}&to=${analysed.end}`;
    const page = (await (await memoPage.loader({ request: getRequest(`/memos/${analysed.memoId}`, researcher), params: { memoId: analysed.memoId }, ...ctx })).json()) as { memo: { target: { href: string } } };
    expect(page.memo.target.href).toBe(href);
    const list = (await (await listPage.loader({ request: getRequest(`/memos?target=coding`, researcher), params: {}, ...ctx })).json()) as { rows: { id: string; target: { href: string } }[] };
    expect(list.rows.find((r) => r.id === analysed.memoId)?.target.href).toBe(href);
    // A coding whose words were all deleted has no passage: its memo opens the transcript.
    await db.coding.update({ where: { id: analysed.codingId }, data: { orphaned: true } });
    try {
      const orphan = (await (await memoPage.loader({ request: getRequest(`/memos/${analysed.memoId}`, researcher), params: { memoId: analysed.memoId }, ...ctx })).json()) as { memo: { target: { href: string } } };
      expect(orphan.memo.target.href).toBe(`/interviews/${analysed.interviewId}/transcript`);
    } finally {
      await db.coding.update({ where: { id: analysed.codingId }, data: { orphaned: false } });
    }
  });
});
