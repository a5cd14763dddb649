// Withdrawal eraser of the search index. Runs last (order 95), after the other erasers removed their rows:
// it re-reads the interview's documents from what is left (a partial withdrawal of the transcript leaves no
// paragraphs, of the codings no codes on them) and removes every entry of a wholly withdrawn interview, of
// memos that are gone and of narratives no longer released; on PostgreSQL it refreshes the word list of word parts
// (search/word-list.server.ts). With Meilisearch it sends the changes at once and fails (so the withdrawal stays
// pending and is run again) while the server cannot take them. Idempotent.
// Between the start of a withdrawal and this eraser the query-time consent join already hides the interview.
import { db } from "../app/db/client.server.ts";
import type { EraseContext, Eraser } from "../app/withdrawal/erasers.server.ts";
import { usesOutbox } from "./config.ts";
import { indexMemo, indexNarrative, indexTranscript } from "./hooks.server.ts";
import { drainOutbox } from "./outbox.server.ts";
import { dialectOf } from "./raw-sql.server.ts";
import { refreshWordList } from "./word-list.server.ts";
import { syncEntries } from "./writer.server.ts";

const whole = (ctx: EraseContext) => ctx.parts.has("interview");

async function preview(ctx: EraseContext): Promise<Record<string, number>> {
  const where = { interviewId: ctx.interviewId };
  if (whole(ctx)) return { searchEntries: await db.searchEntry.count({ where }) };
  if (ctx.parts.has("transcript")) return { searchEntries: await db.searchEntry.count({ where: { ...where, kind: "paragraph" } }) };
  return {};
}

export const searchEraser: Eraser = {
  name: "search-index",
  order: 95,
  preview,
  async erase(ctx) {
    const before = await db.searchEntry.count({ where: { OR: [{ interviewId: ctx.interviewId }, ...(ctx.caseId ? [{ caseId: ctx.caseId }] : [])] } });
    await db.$transaction(
      async (tx) => {
        if (whole(ctx)) await syncEntries(tx, { interviewId: ctx.interviewId }, []);
        else await indexTranscript(tx, ctx.interviewId);
        // Memos of the interview and of its case (the memo eraser may have removed them), narratives of the case.
        const others = await tx.searchEntry.findMany({
          where: { OR: [{ kind: "memo", interviewId: ctx.interviewId }, ...(ctx.caseId ? [{ kind: { in: ["memo", "narrative"] }, caseId: ctx.caseId }] : [])] },
          select: { kind: true, sourceId: true },
        });
        for (const o of others) await (o.kind === "memo" ? indexMemo(tx, o.sourceId) : indexNarrative(tx, o.sourceId));
      },
      { maxWait: 15_000, timeout: 60_000 },
    );
    // PostgreSQL's word list of word parts: a fresh snapshot, so no word only this interview had stays in it.
    if (dialectOf(db) === "postgres") await refreshWordList(db, { wait: true });
    if (usesOutbox()) {
      const sent = await drainOutbox(db);
      if (sent.failed) throw new Error("Meilisearch did not take the removal; the withdrawal is finished when it is run again");
    }
    const after = await db.searchEntry.count({ where: { OR: [{ interviewId: ctx.interviewId }, ...(ctx.caseId ? [{ caseId: ctx.caseId }] : [])] } });
    return { searchEntries: before - after };
  },
};
