// The demo notes and memos (prisma/seed/demo-notes.ts) on a seeded demo district: on the fixture persons' cases,
// by the integration manager of each case's municipality, stored sanitized, and seeding twice adds nothing.
import { describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { seedDemoInterviews } from "../../prisma/seed/demo-interviews.ts";
import { seedDemoNotes } from "../../prisma/seed/demo-notes.ts";
import { sanitizeRichText } from "../rich-text/sanitize.server.ts";

describe("demo notes and memos", () => {
  it("lie on the fixture persons' cases, written by their municipality's integration manager, and seed once", async () => {
    await seedReference(db);
    await seedDemo(db, { cases: 10 });
    await seedDemoInterviews(db);
    const first = await seedDemoNotes(db);
    expect(first.notes).toBe(8);
    expect(first.memos).toBeGreaterThanOrEqual(5); // 3 interview memos, a case memo, a project memo (+ code memos with a codebook)
    expect(await seedDemoNotes(db)).toEqual({ notes: 0, memos: 0 });

    const notes = await db.biographyNote.findMany({
      select: { contentJson: true, contentHtml: true, authorId: true, version: true, case: { select: { pseudonym: true, municipality: { select: { managers: { select: { userId: true } } } } } }, _count: { select: { versions: true } } },
    });
    expect(new Set(notes.map((n) => n.case.pseudonym))).toEqual(new Set(["LOE-2016-0001", "LOE-2022-0001", "LOE-2019-0001"]));
    for (const n of notes) {
      expect(n.case.municipality.managers.map((u) => u.userId)).toContain(n.authorId);
      expect(n._count.versions).toBe(n.version);
      expect(sanitizeRichText({ json: n.contentJson }).html).toBe(n.contentHtml);
    }
    const memos = await db.memo.findMany({ select: { interviewId: true, caseId: true, codeId: true } });
    expect(memos.filter((m) => m.interviewId)).toHaveLength(3);
    expect(memos.filter((m) => m.caseId)).toHaveLength(1);
  });
});
