// Withdrawal of the "links" part (or codings, or the whole interview): the passage links of the interview's
// codings go, proposals and decided ones alike. Snapshots an integration manager confirmed stay: they are the
// register's record, verified by the manager, not interview data (the link to the passage is what goes).
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";

const applies = (ctx: EraseContext) => ctx.parts.has("links") || ctx.parts.has("codings") || ctx.parts.has("transcript") || ctx.parts.has("interview");
const where = (ctx: EraseContext) => ({ coding: { interviewId: ctx.interviewId } });

export const passageLinkEraser: Eraser = {
  name: "passage-links",
  order: 80, // before the database rows (90), which may delete the codings these hang off
  async preview(ctx): Promise<Record<string, number>> {
    return applies(ctx) ? { passageLinks: await db.passageLink.count({ where: where(ctx) }) } : {};
  },
  async erase(ctx): Promise<Record<string, number>> {
    if (!applies(ctx)) return {};
    return { passageLinks: (await db.passageLink.deleteMany({ where: where(ctx) })).count };
  },
};
