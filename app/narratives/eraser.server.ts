// Withdrawal eraser for narratives (order 30: after transcription and storage, before the database rows, whose
// cascade would otherwise drop the NarrativeSource links this eraser needs to find its narratives).
//
// Decision (consent-and-privacy.md: "already published anonymized results stay"):
// - every narrative quoting the interview loses those quotes from its working blocks (the originals are
//   identifiable transcript text) and its source link;
// - a draft stays a draft without them; a narrative in review goes back to draft (what was reviewed changed);
// - a released narrative keeps its frozen, anonymized releasedHtml/releasedText: it was published; a retracted
//   one has no released text left to keep.
// Applies to a whole withdrawal and to a partial one naming the transcript. Idempotent.
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";
import { parseBlocks } from "./blocks.ts";

const applies = (ctx: EraseContext) => ctx.parts.has("interview") || ctx.parts.has("transcript");

async function affected(interviewId: string) {
  return db.narrative.findMany({ where: { sources: { some: { interviewId } } }, select: { id: true, status: true, blocks: true } });
}

const quotesOf = (blocks: string, interviewId: string) => parseBlocks(blocks).filter((b) => b.kind === "quote" && b.interviewId === interviewId).length;

export const narrativeEraser: Eraser = {
  name: "narratives",
  order: 30,
  async preview(ctx): Promise<Record<string, number>> {
    if (!applies(ctx)) return {};
    const rows = await affected(ctx.interviewId);
    return {
      narrativeQuotes: rows.reduce((n, r) => n + quotesOf(r.blocks, ctx.interviewId), 0),
      narratives: rows.length,
      releasedNarrativesKept: rows.filter((r) => r.status === "released").length,
    };
  },
  async erase(ctx): Promise<Record<string, number>> {
    if (!applies(ctx)) return {};
    const rows = await affected(ctx.interviewId);
    let narrativeQuotes = 0;
    let backToDraft = 0;
    await db.$transaction(async (tx) => {
      for (const r of rows) {
        const blocks = parseBlocks(r.blocks);
        const kept = blocks.filter((b) => !(b.kind === "quote" && b.interviewId === ctx.interviewId));
        narrativeQuotes += blocks.length - kept.length;
        const toDraft = r.status === "in_review";
        if (toDraft) backToDraft++;
        await tx.narrative.update({ where: { id: r.id }, data: { blocks: JSON.stringify(kept), ...(toDraft ? { status: "draft", submittedAt: null } : {}) } });
      }
      await tx.narrativeSource.deleteMany({ where: { interviewId: ctx.interviewId } });
    });
    return { narrativeQuotes, narratives: rows.length, backToDraft };
  },
};
