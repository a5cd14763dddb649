// Withdrawal eraser for codings (order 5, before the transcript goes at order 10): for the parts "codings",
// "transcript" (codings index into its text) and "interview", deletes the interview's codings with the memos and
// passage links that hang on them. Explicit deletes, not ON DELETE CASCADE, like the database eraser. Idempotent.
// Register in app/withdrawal/register.server.ts: registerEraser(codingsEraser).
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";
import { forgetCurrentTexts } from "./follow.server.ts";

const applies = (ctx: EraseContext) => ctx.parts.has("codings") || ctx.parts.has("transcript") || ctx.parts.has("interview");

export const codingsEraser: Eraser = {
  name: "codings",
  order: 5,
  async preview(ctx): Promise<Record<string, number>> {
    if (!applies(ctx)) return {};
    const onCodings = { coding: { interviewId: ctx.interviewId } };
    const [codings, codingMemos, passageLinks] = await Promise.all([
      db.coding.count({ where: { interviewId: ctx.interviewId } }),
      db.memo.count({ where: onCodings }),
      db.passageLink.count({ where: onCodings }),
    ]);
    return { codings, codingMemos, passageLinks };
  },
  async erase(ctx): Promise<Record<string, number>> {
    if (!applies(ctx)) return {};
    const onCodings = { coding: { interviewId: ctx.interviewId } };
    // the transcript text kept for coding (follow.server.ts) goes too
    forgetCurrentTexts();
    return db.$transaction(async (tx) => {
      const codingMemos = (await tx.memo.deleteMany({ where: onCodings })).count;
      const passageLinks = (await tx.passageLink.deleteMany({ where: onCodings })).count;
      const codings = (await tx.coding.deleteMany({ where: { interviewId: ctx.interviewId } })).count;
      return { codings, codingMemos, passageLinks };
    });
  },
};
