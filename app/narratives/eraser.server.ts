// Withdrawal eraser for narratives (order 30: after transcription and storage, before the database rows, whose
// cascade would otherwise drop the NarrativeSource links this eraser needs to find its narratives).
//
// Decision (consent-and-privacy.md: "already published anonymized results stay"):
// - every narrative quoting the interview loses those quotes from its working blocks (the originals are
//   identifiable transcript text) and its source link;
// - a draft stays a draft without them; a narrative in review goes back to draft (what was reviewed changed);
// - a released narrative keeps its frozen, anonymized releasedHtml/releasedText: it was published; a retracted
//   one has no released text left to keep.
// - a released narrative's working title (which may name the person) becomes its anonymized title on a whole
//   withdrawal;
// - the redaction decisions keep only strings still in the narrative: each decision holds the original words it
//   was about (a name, a place), which the removed quotes may have been the only source of (also in a released one).
// Applies to a whole withdrawal and to a partial one naming the transcript. Idempotent.
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";
import { parseBlocks, type Block } from "./blocks.ts";
import { foldTerm } from "./redaction/fold.ts";
import { releasedTitleOf } from "./render.ts";
import { parseState, serializeState } from "./state.ts";

const applies = (ctx: EraseContext) => ctx.parts.has("interview") || ctx.parts.has("transcript");

async function affected(interviewId: string) {
  return db.narrative.findMany({ where: { sources: { some: { interviewId } } }, select: { id: true, status: true, title: true, blocks: true, redactions: true, releasedText: true } });
}

/** The decisions whose words still occur in the narrative's title and blocks (compared as proposals are keyed). */
function decisionsStillNeeded(redactions: string, title: string, blocks: readonly Block[]) {
  const state = parseState(redactions);
  const text = foldTerm([title, ...blocks.map((b) => b.text)].join("\n")).replace(/\s+/g, " ");
  const decisions = state.decisions.filter((d) => text.includes(d.key));
  return { redactions: serializeState({ ...state, decisions }), dropped: state.decisions.length - decisions.length };
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
    let redactionDecisions = 0;
    await db.$transaction(async (tx) => {
      for (const r of rows) {
        const blocks = parseBlocks(r.blocks);
        const kept = blocks.filter((b) => !(b.kind === "quote" && b.interviewId === ctx.interviewId));
        narrativeQuotes += blocks.length - kept.length;
        const toDraft = r.status === "in_review";
        if (toDraft) backToDraft++;
        const { redactions, dropped } = decisionsStillNeeded(r.redactions, r.title, kept);
        redactionDecisions += dropped;
        // A released narrative's working title may name the person; after a whole withdrawal it takes the anonymized one.
        const title = ctx.parts.has("interview") && r.status === "released" && r.releasedText ? releasedTitleOf(r.releasedText) : r.title;
        await tx.narrative.update({ where: { id: r.id }, data: { title, blocks: JSON.stringify(kept), redactions, ...(toDraft ? { status: "draft", submittedAt: null } : {}) } });
      }
      await tx.narrativeSource.deleteMany({ where: { interviewId: ctx.interviewId } });
    });
    return { narrativeQuotes, narratives: rows.length, backToDraft, redactionDecisions };
  },
};
