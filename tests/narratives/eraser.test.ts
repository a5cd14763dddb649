// Withdrawal and narratives (consent-and-privacy.md: erase the identifiable transcript; "already published
// anonymized results stay"): every narrative quoting the withdrawn interview loses those quotes and its source
// link; one in review goes back to draft; a released narrative keeps its frozen anonymized text.
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo, DEMO_USERS } from "../../prisma/seed/demo.ts";
import { seedDemoInterviews } from "../../prisma/seed/demo-interviews.ts";
import { seedDemoNarratives } from "../../prisma/seed/demo-narratives.ts";
import { registerEraser } from "../../app/withdrawal/erasers.server.ts";
import { narrativeEraser } from "../../app/narratives/eraser.server.ts";
import { withdrawInterview, previewWithdrawal } from "../../app/withdrawal/withdraw.server.ts";
import type { SessionUser } from "../../app/auth/session.server.ts";

await seedReference(db);
await seedDemo(db, { cases: 12 });
await seedDemoInterviews(db);
const demo = await seedDemoNarratives(db);
// Until app/withdrawal/register.server.ts registers it (the app's one list of erasers).
registerEraser(narrativeEraser);

const researcher = await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true, username: true, displayName: true } });
const actor: SessionUser = { ...researcher, locale: "de", roles: ["researcher"], municipalityIds: [], sessionId: "test", csrfToken: "test" };
const interview = await db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0001" }, select: { id: true, caseId: true } });

const read = (id: string) => db.narrative.findUniqueOrThrow({ where: { id }, select: { status: true, blocks: true, releasedHtml: true, releasedText: true, sources: true } });
const quotesOf = (blocks: string) => (JSON.parse(blocks) as { kind: string; interviewId?: string }[]).filter((b) => b.kind === "quote" && b.interviewId === interview.id).length;

describe("withdrawal erases quotes from narratives", () => {
  it("has demo narratives quoting int-01 (one released, one draft) and one in review", async () => {
    expect(demo.released && demo.draft).toBeTruthy();
    expect(quotesOf((await read(demo.released!)).blocks)).toBe(3);
    expect(quotesOf((await read(demo.draft!)).blocks)).toBe(1);
    expect(DEMO_USERS.length).toBeGreaterThan(0);
  });

  it("previews and then erases, keeping the released text", async () => {
    const draft = await read(demo.draft!);
    const inReview = await db.narrative.create({
      data: { caseId: interview.caseId, title: "In Prüfung", status: "in_review", blocks: draft.blocks, sources: { create: { interviewId: interview.id } } },
      select: { id: true },
    });
    const before = await read(demo.released!);
    // The released narrative's decisions name what its quotes said (a pharmacy, a neighbour): they must go too.
    const decided = await db.narrative.findUniqueOrThrow({ where: { id: demo.released! }, select: { redactions: true } });
    expect(decided.redactions).toMatch(/Storchenbrunnen|Gerspacher/);
    await db.narrative.update({ where: { id: demo.released! }, data: { title: "Rashas Weg (Arbeitstitel)" } });
    const preview = await previewWithdrawal(interview.id, { scope: "whole" });
    expect(preview.find((p) => p.eraser === "narratives")!.counts).toEqual({ narrativeQuotes: 5, narratives: 3, releasedNarrativesKept: 1 });

    const result = await withdrawInterview(null, actor, interview.id, { scope: "whole" });
    expect(result.withdrawal.status).toBe("done");
    expect(result.withdrawal.erased.narratives).toMatchObject({ narrativeQuotes: 5, narratives: 3, backToDraft: 1 });
    expect(result.withdrawal.erased.narratives!.redactionDecisions).toBeGreaterThan(0);

    const released = await read(demo.released!);
    expect(released.status).toBe("released");
    expect(released.releasedHtml).toBe(before.releasedHtml);
    expect(released.releasedText).toBe(before.releasedText);
    expect(quotesOf(released.blocks)).toBe(0);
    // The researcher's commentary and indicator changes stay.
    expect((JSON.parse(released.blocks) as unknown[]).length).toBeGreaterThan(0);
    const draftAfter = await read(demo.draft!);
    expect(draftAfter.status).toBe("draft");
    expect(quotesOf(draftAfter.blocks)).toBe(0);
    expect((await read(inReview.id)).status).toBe("draft");
    expect(await db.narrativeSource.count({ where: { interviewId: interview.id } })).toBe(0);
    // Nothing of the quoted transcript is left in any narrative's working blocks.
    const all = await db.narrative.findMany({ select: { title: true, blocks: true, redactions: true } });
    for (const needle of ["Storchenbrunnen", "Gerspacher", "Rasha"]) {
      expect(all.some((n) => n.blocks.includes(needle) || n.redactions.includes(needle) || n.title.includes(needle)), needle).toBe(false);
    }
    // The released one took its anonymized title in place of the working title that named the person.
    expect((await db.narrative.findUniqueOrThrow({ where: { id: demo.released! }, select: { title: true } })).title).toBe(before.releasedText!.split("\n")[0]);
  });

  it("is idempotent", async () => {
    const again = await narrativeEraser.erase({ interviewId: interview.id, caseId: interview.caseId, parts: new Set(["interview"]) });
    expect(again).toEqual({ narrativeQuotes: 0, narratives: 0, backToDraft: 0, redactionDecisions: 0 });
  });
});

describe("the demo seed after a withdrawal", () => {
  it("does not bring a wholly withdrawn demo interview back on the next npm start", async () => {
    // The database eraser removes the interview row (not registered in this file): as it would.
    await db.interview.deleteMany({ where: { id: interview.id } });
    expect(await db.withdrawal.count({ where: { caseId: interview.caseId, scope: "whole" } })).toBe(1);
    await seedDemoInterviews(db);
    expect(await db.interview.count({ where: { code: "INT-2025-0001" } })).toBe(0);
    expect(await db.interview.count({ where: { caseId: interview.caseId } })).toBe(0);
  });
});
