// Demo narratives on the case of the first fixture person (int-01, LOE-2016-0001): one released after the
// four-eyes review (written by "forschung", released by "admin"), one draft whose quote still shows the
// redaction proposals at work. Built with the same redaction code as the app; idempotent.
import type { Db } from "../../app/db/client.server.ts";
import { audit } from "../../app/audit/audit.server.ts";
import { open } from "../../app/identity/crypto.server.ts";
import type { IdentityData } from "../../app/identity/identity.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { identityTerms } from "../../app/narratives/redaction/identity-terms.ts";
import { learnNames } from "../../app/narratives/redaction/names.ts";
import { redactionView } from "../../app/narratives/view.ts";
import type { DetectContext } from "../../app/narratives/redaction/detect.ts";
import { quoteText } from "../../app/narratives/quote-text.ts";
import { toHtml, toPlainText } from "../../app/narratives/render.ts";
import type { Block } from "../../app/narratives/blocks.ts";
import type { RedactionState } from "../../app/narratives/redaction/types.ts";
import { keyOf } from "../../app/narratives/redaction/proposals.ts";
import { indexNarrative } from "../../search/hooks.server.ts";
import { FIXTURE_PERSONS } from "./demo.ts";
import { DEMO_INTERVIEWS } from "./demo-interviews.ts";

export const DEMO_NARRATIVE_TITLES = { released: "Vom Ankommen zur Anerkennung", draft: "Erste Notizen zum Interview" } as const;

export async function seedDemoNarratives(db: Db): Promise<{ released: string | null; draft: string | null }> {
  const existing = await db.narrative.findMany({ where: { title: { in: Object.values(DEMO_NARRATIVE_TITLES) } }, select: { id: true, title: true } });
  const found = (t: string) => existing.find((e) => e.title === t)?.id ?? null;
  if (found(DEMO_NARRATIVE_TITLES.released) && found(DEMO_NARRATIVE_TITLES.draft)) {
    await reRedactReleased(db, found(DEMO_NARRATIVE_TITLES.released)!);
    return { released: found(DEMO_NARRATIVE_TITLES.released), draft: found(DEMO_NARRATIVE_TITLES.draft) };
  }

  const kase = await db.case.findUnique({ where: { pseudonym: FIXTURE_PERSONS[0]!.pseudonym }, select: { id: true } });
  const interview = await db.interview.findUnique({ where: { code: DEMO_INTERVIEWS[0]!.code }, select: { id: true, transcript: { select: { paragraphs: { orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } } } } } });
  const [author, reviewer] = await Promise.all([
    db.user.findUnique({ where: { username: "forschung" }, select: { id: true } }),
    db.user.findUnique({ where: { username: "admin" }, select: { id: true } }),
  ]);
  const paragraphs = interview?.transcript?.paragraphs;
  if (!kase || !interview || !paragraphs?.length || !author || !reviewer) return { released: null, draft: null };

  // Code-point spans of each turn in the plain text, as the app's quote picker computes them.
  const text = writeText(paragraphs);
  const points = Array.from(text);
  const spans: [number, number][] = [];
  let at = 0;
  for (const p of paragraphs) {
    const length = Array.from(writeText([p]).replace(/\n$/, "")).length;
    spans.push([at, at + length]);
    at += length + 2;
  }
  const quote = (turn: number, id: string, when: string | null): Block => {
    const [start, end] = spans[turn]!;
    return { id, kind: "quote", interviewId: interview.id, start, end, text: quoteText(points.slice(start, end).join("")), codingId: null, at: when };
  };

  const ctx = await seedContext(db, kase.id, null, text);

  const dtniv = await db.snapshot.findMany({
    where: { caseId: kase.id, state: "known", indicator: { code: "S.DTNIV" } },
    orderBy: { observedAt: "asc" },
    select: { id: true, value: true, observedAt: true },
  });
  const levels = dtniv.map((s) => ({ ...s, level: String(JSON.parse(s.value ?? "null")) }));
  const indicatorBlocks: Block[] = levels.slice(-2).map((s, i, all) => ({
    id: `demo-ind-${i}`,
    kind: "indicator",
    snapshotId: s.id,
    indicatorCode: "S.DTNIV",
    text: i === 0 ? `Deutschniveau: ${s.level} (${s.observedAt.getUTCFullYear()})` : `Deutschniveau: ${all[i - 1]!.level} → ${s.level} (${s.observedAt.getUTCFullYear()})`,
    at: s.observedAt.toISOString().slice(0, 7),
  }));

  const releasedBlocks: Block[] = [
    { id: "demo-t1", kind: "text", text: "Die Interviewte kam 2015 mit ihrer Familie nach Deutschland. Zuerst lebte die Familie in einer sehr kleinen Gemeinde, in der eine Nachbarin den Weg in den Alltag ebnete.", at: "2015" },
    quote(3, "demo-q1", "2015"),
    { id: "demo-t2", kind: "text", text: "Die Anerkennung des ausländischen Abschlusses dauerte Jahre und gelang zunächst nur teilweise. Heute arbeitet sie in ihrem Fach, noch als Assistentin.", at: "2023" },
    quote(9, "demo-q2", "2023"),
    quote(15, "demo-q3", "2024"),
    ...indicatorBlocks,
  ];
  const released = await createNarrative(db, kase.id, DEMO_NARRATIVE_TITLES.released, releasedBlocks, author.id, reviewer.id, ctx, true);
  const draft = await createNarrative(db, kase.id, DEMO_NARRATIVE_TITLES.draft, [quote(1, "demo-q4", "2015"), { id: "demo-t3", kind: "text", text: "Noch zu klären: welche Passagen zur Flucht zitiert werden dürfen.", at: null }], author.id, null, ctx, false);
  return { released, draft };
}

/** The engine's context for the demo case, as the redaction page builds it (identity view audited as the seed's). */
async function seedContext(db: Db, caseId: string, narrativeId: string | null, text: string): Promise<DetectContext> {
  const identityRow = await db.identity.findUnique({ where: { caseId }, select: { keyId: true, iv: true, tag: true, ciphertext: true } });
  const identity = identityRow ? identityTerms(open<IdentityData>(identityRow, caseId)) : [];
  await audit(null, null, { action: "identity.view", entity: "case", entityId: caseId, detail: { purpose: "narrative-redaction", narrativeId, records: identityRow ? 1 : 0, seed: true } }, db);
  const municipalities = await db.municipality.findMany({ select: { name: true, type: true, population: true } });
  return { identity, municipalities, lexicon: learnNames([text]), manual: [] };
}

/** Every proposal of the engine accepted as suggested, as a researcher would after reading them. */
function acceptAll(title: string, blocks: readonly Block[], state: RedactionState, ctx: DetectContext): RedactionState {
  const first = redactionView(title, blocks, state, ctx);
  return { ...state, decisions: first.proposals.map((p) => ({ key: keyOf(p.text), text: p.text, action: "accept" as const })) };
}

/**
 * A demo narrative released by an older engine (which left towns, regions, the profession and the country of
 * origin in the text) is redacted again with the current one, so the demo shows what a release looks like now.
 * Only the seed's own narrative, only while its text differs; its release date and reviewer stay.
 */
async function reRedactReleased(db: Db, id: string): Promise<void> {
  const row = await db.narrative.findUniqueOrThrow({ where: { id }, select: { title: true, caseId: true, status: true, blocks: true, redactions: true, releasedText: true } });
  if (row.status !== "released") return;
  const blocks = JSON.parse(row.blocks) as Block[];
  const interviewIds = [...new Set(blocks.filter((b) => b.kind === "quote").map((b) => (b as { interviewId: string }).interviewId))];
  const paragraphs = await db.transcriptParagraph.findMany({ where: { transcript: { interviewId: { in: interviewIds } } }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } });
  const ctx = await seedContext(db, row.caseId, id, writeText(paragraphs));
  const state = acceptAll(row.title, blocks, JSON.parse(row.redactions) as RedactionState, ctx);
  const view = redactionView(row.title, blocks, state, ctx);
  if (view.problems.length) throw new Error(`demo narrative "${row.title}" does not pass the final check: ${JSON.stringify(view.problems)}`);
  const releasedText = toPlainText(view.anonymized);
  if (releasedText === row.releasedText) return;
  await db.$transaction(async (tx) => {
    await tx.narrative.update({ where: { id }, data: { redactions: JSON.stringify(state), releasedHtml: toHtml(view.anonymized), releasedText } });
    await indexNarrative(tx, id);
  });
}

async function createNarrative(db: Db, caseId: string, title: string, blocks: Block[], authorId: string, reviewerId: string | null, ctx: Parameters<typeof redactionView>[3], release: boolean): Promise<string> {
  const existing = await db.narrative.findFirst({ where: { title, caseId }, select: { id: true } });
  if (existing) return existing.id;
  let state: RedactionState = { decisions: [], nameMode: "placeholder", editorIds: [authorId], reviewComment: null, submittedById: null };
  if (release) state = { ...acceptAll(title, blocks, state, ctx), submittedById: authorId };
  const view = redactionView(title, blocks, state, ctx);
  if (release && view.problems.length) throw new Error(`demo narrative "${title}" does not pass the final check: ${JSON.stringify(view.problems)}`);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const row = await tx.narrative.create({
      data: {
        caseId,
        title,
        status: release ? "released" : "draft",
        blocks: JSON.stringify(blocks),
        redactions: JSON.stringify(state),
        authorId,
        reviewerId,
        submittedAt: release ? now : null,
        releasedAt: release ? now : null,
        releasedHtml: release ? toHtml(view.anonymized) : null,
        releasedText: release ? toPlainText(view.anonymized) : null,
        sources: { create: [...new Set(blocks.filter((b) => b.kind === "quote").map((b) => (b as { interviewId: string }).interviewId))].map((interviewId) => ({ interviewId })) },
      },
      select: { id: true },
    });
    if (release) await indexNarrative(tx, row.id);
    return row.id;
  });
}
