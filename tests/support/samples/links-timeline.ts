// Route samples for links-timeline: a coding on the pass's demo interview (the reference codings seeded with
// the demo interviews; one is made when there are none) and a passage link (an open proposal) on it. The demo
// interviews have the linking consent, so researchers may open the link's audio; the timeline uses the base case.
import type { SampleProvider } from "./types.ts";
import type { Db } from "../../../app/db/client.server.ts";

async function sampleCoding(db: Db, interviewId: string): Promise<{ id: string; caseId: string }> {
  const interview = await db.interview.findUniqueOrThrow({ where: { id: interviewId }, select: { caseId: true, transcript: { select: { id: true } } } });
  const existing = await db.coding.findFirst({ where: { interviewId, orphaned: false }, orderBy: { start: "asc" }, select: { id: true } });
  if (existing) return { id: existing.id, caseId: interview.caseId };
  if (!interview.transcript) throw new Error("links-timeline samples: the demo interview has no transcript (fixtures missing?)");
  const code =
    (await db.code.findFirst({ where: { key: "KUL.SPR" }, select: { id: true } })) ??
    (await db.code.create({ data: { name: "Stichprobe Sprache", colour: "#336699" }, select: { id: true } }));
  const first = await db.transcriptParagraph.findFirstOrThrow({ where: { transcriptId: interview.transcript.id }, orderBy: { position: "asc" }, select: { speaker: true, text: true } });
  // The first turn's first words, in the plain text's code points ("I: " comes first).
  const start = Array.from(`${first.speaker}: `).length;
  const quote = Array.from(first.text).slice(0, 10).join("");
  const created = await db.coding.create({ data: { transcriptId: interview.transcript.id, interviewId, codeId: code.id, start, end: start + Array.from(quote).length, quote }, select: { id: true } });
  return { id: created.id, caseId: interview.caseId };
}

export const provider: SampleProvider = {
  params: ["codingId", "linkId"],
  async samples(db, _imUsername, base) {
    const coding = await sampleCoding(db, base.interviewId);
    const indicator = await db.indicatorDefinition.findUniqueOrThrow({ where: { code: "S.DTNIV" }, select: { id: true } });
    const link =
      (await db.passageLink.findFirst({ where: { codingId: coding.id, status: { not: "rejected" } }, select: { id: true } })) ??
      (await db.passageLink.create({
        data: {
          codingId: coding.id,
          caseId: coding.caseId,
          indicatorId: indicator.id,
          status: "proposed",
          proposedState: "known",
          proposedValue: JSON.stringify("B1"),
          proposedObservedAt: new Date("2024-06-01T00:00:00Z"),
          proposedSource: "selbstauskunft",
        },
        select: { id: true },
      }));
    return { codingId: coding.id, linkId: link.id };
  },
  queries: {
    "routes/dashboard.contradictions": (s) => ({ municipality: s.municipalityId }),
  },
};
