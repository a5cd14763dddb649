// Narratives: lists, composing (drafts only), redaction decisions, and the four-eyes workflow
// draft -> in_review -> released (-> retracted -> draft). Researchers hold read/write/release:narrative:any;
// the commissioner holds read:narrative:released and reaches released rows only (the status is in the where).
import crypto from "node:crypto";
import { db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";
import { requirePermission, type Grant } from "../permissions/permissions.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { forbidden, notFound } from "../utils/responses.server.ts";
import { indexNarrative, removeNarrative } from "../../search/hooks.server.ts";
import { researchCaseWhere } from "../cases/cases.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { insertByTimeline, parseBlocks, sortByTimeline, type Block, type NarrativeStatus, type QuoteBlock } from "./blocks.ts";
import { parseState, serializeState } from "./state.ts";
import { decide } from "./redaction/proposals.ts";
import type { Decision, RedactionState } from "./redaction/types.ts";
import { detectContext, redactionView, segmentsOf } from "./context.server.ts";
import { fromHtml, releasedTitleOf, toHtml, toPlainText, type RenderedNarrative } from "./render.ts";
import { indicatorChanges, resolveQuote, specialCategoryQuotes } from "./sources.server.ts";

type Tx = Prisma.TransactionClient;

export const isResearchGrant = (grant: Grant) => grant.access === "any";

/** Research pages (composing, redaction, the case tab): read:narrative:released is not enough. */
export async function requireResearch(request: Request, action: "read" | "write" | "release"): Promise<Grant> {
  const grant = await requirePermission(request, action, "narrative");
  if (!isResearchGrant(grant)) throw forbidden();
  return grant;
}

/** The commissioner's where: released only. */
const visible = (grant: Grant): Prisma.NarrativeWhereInput => (isResearchGrant(grant) ? {} : { status: "released" });


export async function listNarratives(grant: Grant) {
  const rows = await db.narrative.findMany({
    where: visible(grant),
    orderBy: [{ updatedAt: "desc" }],
    select: { id: true, title: true, status: true, updatedAt: true, releasedAt: true, releasedText: true, case: { select: { id: true, pseudonym: true } } },
  });
  if (!isResearchGrant(grant)) return rows.map((r) => ({ id: r.id, title: releasedTitleOf(r.releasedText), status: r.status as NarrativeStatus, releasedAt: r.releasedAt, updatedAt: null, case: null }));
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status as NarrativeStatus, releasedAt: r.releasedAt, updatedAt: r.updatedAt, case: r.case }));
}

export async function listCaseNarratives(caseId: string) {
  return db.narrative.findMany({ where: { caseId }, orderBy: { createdAt: "asc" }, select: { id: true, title: true, status: true, updatedAt: true } });
}

/** Cases a researcher can write about: those with an interview (researchers know cases only through interviews). */
export async function narratableCases() {
  return db.case.findMany({ where: { interviews: { some: { status: { not: "withdrawn" } } } }, orderBy: { pseudonym: "asc" }, select: { id: true, pseudonym: true } });
}

/**
 * For the case tab: 404 for an unknown case, and for a case research does not know (no interview) when the user
 * sees no register (`registerView` false); one whose interviews were all withdrawn has nothing to write about.
 */
export async function caseNarrativeState(caseId: string, registerView: boolean) {
  const row = await db.case.findFirst({ where: { id: caseId, ...(registerView ? {} : researchCaseWhere) }, select: { id: true, _count: { select: { interviews: { where: { status: { not: "withdrawn" } } } } } } });
  if (!row) throw notFound();
  return { caseId: row.id, narratable: row._count.interviews > 0 };
}

export async function requireNarratableCase(caseId: string) {
  const row = await db.case.findFirst({ where: { id: caseId, interviews: { some: { status: { not: "withdrawn" } } } }, select: { id: true, pseudonym: true } });
  if (!row) throw notFound();
  return row;
}

const fullSelect = {
  id: true,
  caseId: true,
  title: true,
  status: true,
  blocks: true,
  redactions: true,
  releasedHtml: true,
  releasedText: true,
  authorId: true,
  reviewerId: true,
  submittedAt: true,
  releasedAt: true,
  updatedAt: true,
  case: { select: { pseudonym: true } },
  sources: { select: { interviewId: true } },
} as const;

async function findNarrative(grant: Grant, id: string, tx: Tx | typeof db = db) {
  const row = await tx.narrative.findFirst({ where: { id, ...visible(grant) }, select: fullSelect });
  if (!row) throw notFound();
  return row;
}
type Row = Awaited<ReturnType<typeof findNarrative>>;

/** The page header: the research side sees title, status and case; the commissioner only learns it exists. */
export async function narrativeHeader(grant: Grant, id: string) {
  const row = await db.narrative.findFirst({ where: { id, ...visible(grant) }, select: { id: true, title: true, status: true, case: { select: { pseudonym: true } } } });
  if (!row) throw notFound();
  return isResearchGrant(grant) ? { id: row.id, title: row.title, status: row.status as NarrativeStatus, pseudonym: row.case.pseudonym } : null;
}

/** The released narrative as the commissioner may see it: the frozen, anonymized sections only. */
export async function getReleased(request: Request, grant: Grant, id: string): Promise<{ id: string; releasedAt: Date | null; rendered: RenderedNarrative }> {
  const row = await db.narrative.findFirst({ where: { id, status: "released" }, select: { id: true, releasedHtml: true, releasedAt: true } });
  if (!row || !row.releasedHtml) throw notFound();
  await audit(request, grant.user, { action: "narrative.view", entity: "narrative", entityId: id, detail: { released: true } });
  return { id: row.id, releasedAt: row.releasedAt, rendered: fromHtml(row.releasedHtml) };
}

/** A narrative for the research side, with its blocks and state. */
export async function getNarrative(request: Request | null, grant: Grant, id: string) {
  const row = await findNarrative(grant, id);
  if (request) await audit(request, grant.user, { action: "narrative.view", entity: "narrative", entityId: id });
  const users = await db.user.findMany({ where: { id: { in: [row.authorId, row.reviewerId].filter((x): x is string => !!x) } }, select: { id: true, displayName: true } });
  const nameOf = (uid: string | null) => users.find((u) => u.id === uid)?.displayName ?? null;
  const interviews = await db.interview.findMany({ where: { caseId: row.caseId }, select: { id: true, code: true } });
  return {
    ...row,
    status: row.status as NarrativeStatus,
    blocks: sortByTimeline(parseBlocks(row.blocks)),
    state: parseState(row.redactions),
    authorName: nameOf(row.authorId),
    reviewerName: nameOf(row.reviewerId),
    interviewCodes: Object.fromEntries(interviews.map((i) => [i.id, i.code])),
  };
}

/** The redaction of a narrative: proposals, the marked preview, the anonymized result and what blocks release. */
export async function redactionOf(request: Request | null, user: SessionUser | null, n: { id: string; caseId: string; title: string; blocks: Block[]; state: RedactionState }) {
  const ctx = await detectContext(request, user, n, segmentsOf(n.title, n.blocks), n.state);
  const view = redactionView(n.title, n.blocks, n.state, ctx);
  // A quote that now overlaps a passage coded as special category (coded after it was quoted) blocks release.
  const special = await specialCategoryQuotes(n.blocks.filter((b): b is QuoteBlock => b.kind === "quote"));
  return special.length ? { ...view, problems: [...view.problems, ...special.map((b) => ({ kind: "special-category" as const, segment: b.id }))] } : view;
}

export async function createNarrative(request: Request, grant: Grant, caseId: string, title: string) {
  await requireNarratableCase(caseId);
  const state: RedactionState = { decisions: [], nameMode: "placeholder", editorIds: [grant.user.id], reviewComment: null, submittedById: null };
  const row = await db.narrative.create({ data: { caseId, title, authorId: grant.user.id, redactions: serializeState(state) }, select: { id: true } });
  await audit(request, grant.user, { action: "narrative.create", entity: "narrative", entityId: row.id, detail: { caseId } });
  return row;
}

async function requireDraft(grant: Grant, id: string, tx: Tx) {
  const row = await findNarrative(grant, id, tx);
  if (row.status !== "draft") throw new Response("not a draft", { status: 409 });
  return row;
}

/** One change of a draft's content, in a transaction; the editor joins the four-eyes exclusion list. */
/** What a draft change did, as its audit action names it (narrative.<what>). */
type DraftChange = "rename" | "block.add" | "block.update" | "block.remove" | "block.move" | "redaction.decide" | "redaction.mode";

async function changeDraft(request: Request, grant: Grant, id: string, what: DraftChange, change: (blocks: Block[], state: RedactionState, row: Row) => Promise<{ blocks?: Block[]; state?: RedactionState; title?: string }> | { blocks?: Block[]; state?: RedactionState; title?: string }) {
  return db.$transaction(async (tx) => {
    const row = await requireDraft(grant, id, tx);
    const blocks = parseBlocks(row.blocks);
    const state = parseState(row.redactions);
    const next = await change(blocks, state, row);
    const nextState = next.state ?? state;
    // Decisions on redactions are authorship too: whoever changed anything may not review it.
    if (!nextState.editorIds.includes(grant.user.id)) nextState.editorIds = [...nextState.editorIds, grant.user.id];
    const nextBlocks = next.blocks ?? blocks;
    await tx.narrative.update({
      where: { id },
      data: { blocks: JSON.stringify(nextBlocks), redactions: serializeState(nextState), ...(next.title !== undefined ? { title: next.title } : {}) },
    });
    if (next.blocks) {
      // Which interviews it quotes, so a withdrawal finds it.
      const quoted = [...new Set(nextBlocks.filter((b) => b.kind === "quote").map((b) => (b as { interviewId: string }).interviewId))];
      await tx.narrativeSource.deleteMany({ where: { narrativeId: id, interviewId: { notIn: quoted } } });
      for (const interviewId of quoted) await tx.narrativeSource.upsert({ where: { narrativeId_interviewId: { narrativeId: id, interviewId } }, create: { narrativeId: id, interviewId }, update: {} });
    }
    await audit(request, grant.user, { action: `narrative.${what}`, entity: "narrative", entityId: id }, tx);
  });
}

const newId = () => crypto.randomUUID();

export async function renameNarrative(request: Request, grant: Grant, id: string, title: string) {
  await changeDraft(request, grant, id, "rename", () => ({ title }));
}

export async function addTextBlock(request: Request, grant: Grant, id: string, text: string, at: string | null) {
  await changeDraft(request, grant, id, "block.add", (blocks) => ({ blocks: insertByTimeline(blocks, { id: newId(), kind: "text", text, at }) }));
}

export async function addQuoteBlock(request: Request, grant: Grant, id: string, input: { interviewId: string; start: number; end: number; codingId: string | null; at: string | null }) {
  const row = await findNarrative(grant, id);
  if (row.status !== "draft") throw new Response("not a draft", { status: 409 });
  // Outside the transaction: the consent gate and transcript reads use the shared client.
  const quote = await resolveQuote(row.caseId, input.interviewId, input.start, input.end, input.codingId);
  await changeDraft(request, grant, id, "block.add", (blocks) => ({ blocks: insertByTimeline(blocks, { id: newId(), kind: "quote", ...quote, at: input.at }) }));
}

export async function addIndicatorBlock(request: Request, grant: Grant, id: string, snapshotId: string) {
  const row = await findNarrative(grant, id);
  const change = (await indicatorChanges(row.caseId)).find((c) => c.snapshotId === snapshotId);
  if (!change) throw notFound();
  await changeDraft(request, grant, id, "block.add", (blocks) => ({ blocks: insertByTimeline(blocks, { id: newId(), kind: "indicator", snapshotId, indicatorCode: change.indicatorCode, text: change.text, at: change.at }) }));
}

/** A text block was changed by someone else since the form showed it (`previous`). */
export class BlockChanged extends Error {
  constructor() {
    super("block changed meanwhile");
  }
}

/** `previous`: the block's text as the form showed it; a save over a text someone changed since is refused. */
export async function updateBlock(request: Request, grant: Grant, id: string, blockId: string, input: { text?: string; at?: string | null; previous?: string }) {
  await changeDraft(request, grant, id, "block.update", (blocks) => {
    const block = blocks.find((b) => b.id === blockId);
    if (!block) throw notFound();
    if (block.kind === "text" && input.previous !== undefined && block.text !== input.previous) throw new BlockChanged();
    // Quotes and indicator changes keep their wording; only free text is edited. Every block may be dated.
    const updated = { ...block, ...(input.text !== undefined && block.kind === "text" ? { text: input.text } : {}), ...(input.at !== undefined ? { at: input.at } : {}) } as Block;
    return { blocks: blocks.map((b) => (b.id === blockId ? updated : b)) };
  });
}

export async function removeBlock(request: Request, grant: Grant, id: string, blockId: string) {
  await changeDraft(request, grant, id, "block.remove", (blocks) => {
    if (!blocks.some((b) => b.id === blockId)) throw notFound();
    return { blocks: blocks.filter((b) => b.id !== blockId) };
  });
}

export async function moveBlock(request: Request, grant: Grant, id: string, blockId: string, direction: "up" | "down") {
  await changeDraft(request, grant, id, "block.move", (blocks) => {
    const ordered = sortByTimeline(blocks);
    const i = ordered.findIndex((b) => b.id === blockId);
    if (i < 0) throw notFound();
    const j = direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= ordered.length) return { blocks: ordered };
    const a = ordered[i]!;
    const b = ordered[j]!;
    // Dated blocks keep timeline order: a move across another dated block takes its date.
    const swapped = [...ordered];
    swapped[i] = b;
    swapped[j] = a.at && b.at && a.at !== b.at ? ({ ...a, at: b.at } as Block) : a;
    return { blocks: swapped };
  });
}

export async function decideRedaction(request: Request, grant: Grant, id: string, decision: Decision) {
  await changeDraft(request, grant, id, "redaction.decide", (_blocks, state) => ({ state: { ...state, decisions: decide(state.decisions, decision) } }));
}

export async function decideMany(request: Request, grant: Grant, id: string, decisions: Decision[]) {
  await changeDraft(request, grant, id, "redaction.decide", (_blocks, state) => ({ state: { ...state, decisions: decisions.reduce((acc, d) => decide(acc, d), state.decisions) } }));
}

export async function setNameMode(request: Request, grant: Grant, id: string, nameMode: RedactionState["nameMode"]) {
  await changeDraft(request, grant, id, "redaction.mode", (_blocks, state) => ({ state: { ...state, nameMode } }));
}

export type WorkflowResult = { ok: true } | { ok: false; reason: "problems" | "own" | "consent"; problems?: unknown };

/** The anonymized result passes the final check and every quoted interview still has the quotation scope. */
async function checkForRelease(request: Request, user: SessionUser, n: Awaited<ReturnType<typeof getNarrative>>) {
  const view = await redactionOf(request, user, n);
  if (view.problems.length) return { ok: false as const, reason: "problems" as const, problems: view.problems, view };
  for (const b of n.blocks) if (b.kind === "quote" && !(await mayProcess(b.interviewId, "quotation")).ok) return { ok: false as const, reason: "consent" as const, view };
  return { ok: true as const, view };
}

export async function submitForReview(request: Request, grant: Grant, id: string): Promise<WorkflowResult> {
  const n = await getNarrative(null, grant, id);
  if (n.status !== "draft") throw new Response("not a draft", { status: 409 });
  const check = await checkForRelease(request, grant.user, n);
  if (!check.ok) return { ok: false, reason: check.reason, problems: check.problems };
  const state = { ...n.state, submittedById: grant.user.id, reviewComment: null };
  const done = await db.narrative.updateMany({ where: { id, status: "draft", updatedAt: n.updatedAt }, data: { status: "in_review", submittedAt: new Date(), redactions: serializeState(state) } });
  if (!done.count) throw new Response("changed meanwhile", { status: 409 });
  await audit(request, grant.user, { action: "narrative.submit", entity: "narrative", entityId: id });
  return { ok: true };
}

/** Whoever wrote or submitted it may not release it or send it back (four-eyes). */
export function isOwnWork(n: { authorId: string | null; state: RedactionState }, userId: string) {
  return n.authorId === userId || n.state.submittedById === userId || n.state.editorIds.includes(userId);
}

export async function releaseNarrative(request: Request, grant: Grant, id: string): Promise<WorkflowResult> {
  const n = await getNarrative(null, grant, id);
  if (n.status !== "in_review") throw new Response("not in review", { status: 409 });
  if (isOwnWork(n, grant.user.id)) return { ok: false, reason: "own" };
  const check = await checkForRelease(request, grant.user, n);
  if (!check.ok) return { ok: false, reason: check.reason, problems: check.problems };
  const rendered = check.view.anonymized;
  await db.$transaction(async (tx) => {
    const done = await tx.narrative.updateMany({
      where: { id, status: "in_review", updatedAt: n.updatedAt },
      // The working title stays for the research side (a retract and reopen goes on with it); the commissioner's
      // lists and search take the anonymized title from the frozen text's first line.
      data: { status: "released", releasedHtml: toHtml(rendered), releasedText: toPlainText(rendered), reviewerId: grant.user.id, releasedAt: new Date() },
    });
    if (!done.count) throw new Response("changed meanwhile", { status: 409 });
    await indexNarrative(tx, id);
    await audit(request, grant.user, { action: "narrative.release", entity: "narrative", entityId: id, detail: { proposals: check.view.proposals.length } }, tx);
  });
  return { ok: true };
}

export async function sendBack(request: Request, grant: Grant, id: string, comment: string): Promise<WorkflowResult> {
  const n = await getNarrative(null, grant, id);
  if (n.status !== "in_review") throw new Response("not in review", { status: 409 });
  if (isOwnWork(n, grant.user.id)) return { ok: false, reason: "own" };
  const state = { ...n.state, reviewComment: comment, submittedById: null };
  await db.narrative.update({ where: { id }, data: { status: "draft", reviewerId: grant.user.id, redactions: serializeState(state) } });
  await audit(request, grant.user, { action: "narrative.send-back", entity: "narrative", entityId: id });
  return { ok: true };
}

/** The author takes a submitted narrative back to work on it. */
export async function withdrawSubmission(request: Request, grant: Grant, id: string) {
  const n = await getNarrative(null, grant, id);
  if (n.status !== "in_review") throw new Response("not in review", { status: 409 });
  await db.narrative.update({ where: { id }, data: { status: "draft", redactions: serializeState({ ...n.state, submittedById: null }) } });
  await audit(request, grant.user, { action: "narrative.unsubmit", entity: "narrative", entityId: id });
}

/** Takes a released narrative off the commissioner's side: frozen texts cleared, search entry removed. */
export async function retractNarrative(request: Request, grant: Grant, id: string) {
  await db.$transaction(async (tx) => {
    const done = await tx.narrative.updateMany({ where: { id, status: "released" }, data: { status: "retracted", releasedHtml: null, releasedText: null } });
    if (!done.count) throw new Response("not released", { status: 409 });
    await removeNarrative(tx, id);
    await audit(request, grant.user, { action: "narrative.retract", entity: "narrative", entityId: id }, tx);
  });
}

/** A retracted narrative becomes a draft again (and needs a new review). */
export async function reopenNarrative(request: Request, grant: Grant, id: string) {
  const n = await getNarrative(null, grant, id);
  if (n.status !== "retracted") throw new Response("not retracted", { status: 409 });
  await db.narrative.update({ where: { id }, data: { status: "draft", reviewerId: null, releasedAt: null, submittedAt: null, redactions: serializeState({ ...n.state, submittedById: null, editorIds: [...new Set([...n.state.editorIds, grant.user.id])] }) } });
  await audit(request, grant.user, { action: "narrative.reopen", entity: "narrative", entityId: id });
}

/** Deletes a draft or retracted narrative for good; the audit entry names the legal ground and the optional note (ADR 0012). */
export async function deleteNarrative(request: Request, grant: Grant, id: string, erasure: { ground: ErasureGround; note?: string | undefined }) {
  await db.$transaction(async (tx) => {
    const done = await tx.narrative.deleteMany({ where: { id, status: { in: ["draft", "retracted"] } } });
    if (!done.count) throw new Response("only drafts and retracted narratives can be deleted", { status: 409 });
    await removeNarrative(tx, id);
    await audit(request, grant.user, { action: "narrative.delete", entity: "narrative", entityId: id, detail: erasureAuditDetail(erasure) }, tx);
  });
}
