// Memos go with a withdrawal, because they are research data derived from the person's interview.
//
// What happens to which memo (the foreign keys alone would not be enough: a case memo hangs on the case, which
// stays for counselling, and the database eraser must not depend on the database enforcing cascades):
// - whole withdrawal: every memo on the interview and on its codings (a coding memo carries the coding's
//   interview too); case memos of the interview's case when no other interview of that case still has the
//   "analysis" consent (then nothing is left that research may analyse about this person). Code memos and
//   project memos are about the codebook and the project, not the person, and stay.
// - partial withdrawal of "codings" (takes away the "analysis" scope): the coding memos and the interview memos,
//   which are analysis of this interview; case memos as above.
// - other partial withdrawals (recording, transcript, links, consent forms) leave memos alone.
// Runs early (order 15): before the codings' rows are gone, so coding memos are still found by their coding.
import { db, type Prisma } from "../db/client.server.ts";
import { withScope } from "../consent/gates.server.ts";
import { removeMemo } from "../../search/hooks.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";

async function erasedWhere(ctx: EraseContext, client: Pick<Prisma.TransactionClient, "interview"> = db): Promise<Prisma.MemoWhereInput | null> {
  const whole = ctx.parts.has("interview");
  if (!whole && !ctx.parts.has("codings")) return null;
  const ofInterview: Prisma.MemoWhereInput[] = [{ interviewId: ctx.interviewId }, { coding: { interviewId: ctx.interviewId } }];
  if (ctx.caseId) {
    const otherAnalysed = await client.interview.count({ where: { caseId: ctx.caseId, id: { not: ctx.interviewId }, ...withScope("analysis") } });
    if (otherAnalysed === 0) ofInterview.push({ caseId: ctx.caseId });
  }
  return { OR: ofInterview };
}

async function preview(ctx: EraseContext): Promise<Record<string, number>> {
  const where = await erasedWhere(ctx);
  if (!where) return {};
  const rows = await db.memo.findMany({ where, select: { caseId: true, codingId: true } });
  return { memos: rows.length, caseMemos: rows.filter((r) => r.caseId).length };
}

export const memoEraser: Eraser = {
  name: "memos",
  order: 15,
  preview,
  async erase(ctx): Promise<Record<string, number>> {
    return db.$transaction(async (tx) => {
      const where = await erasedWhere(ctx, tx);
      if (!where) return {} as Record<string, number>;
      const rows = await tx.memo.findMany({ where, select: { id: true, caseId: true } });
      for (const row of rows) await removeMemo(tx, row.id);
      const { count } = await tx.memo.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
      return { memos: count, caseMemos: rows.filter((r) => r.caseId).length };
    });
  },
};
