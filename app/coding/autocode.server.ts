// "Code all hits" of a search (MAXQDA's lexical search autocoding, QualCoder's "code all text matches"): every
// transcript passage the search finds for the user gets a code on the hit words, the sentence around each hit or
// the whole paragraph. The hits are the engine's (its German folding and stemming); inside a passage the hit words
// are found with the search's own tokenizer and matcher, a phrase as one span. Offsets are code points of the
// transcript's plain text (ADR 0008). The same gates as a single coding (write:coding, the case scope, the
// "analysis" scope, "specialCategories" for Art. 9 codes); one audit entry per batch, and an undo of that batch.
// Decision and limits: docs/decisions/0020-code-all-hits.md.
import { createHash } from "node:crypto";
import { db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { caseScope, hasPermission, type Grant } from "../permissions/permissions.server.ts";
import { forbidden } from "../utils/responses.server.ts";
import { codingsChanged } from "../../search/hooks.server.ts";
import { engineFor, PartHint, resolveParts } from "../../search/search.server.ts";
import { parseQuery, type QueryHint, type QueryNode } from "../../search/query/parse.ts";
import type { SearchFilters, Visibility } from "../../search/query/types.ts";
import { matcher } from "../../search/snippet.ts";
import { tokenize, type Token } from "../../search/text/normalize.ts";
import { writeText } from "../transcripts/formats/text.ts";
import { speakerLabel } from "../transcripts/formats/types.ts";
import { codePointLength, utf16ToCodePoint, type Span } from "./anchoring.ts";

type Tx = Prisma.TransactionClient;

/** MAXQDA's choices: the hit words only, the sentence around a hit, the whole paragraph. */
export const AUTOCODE_UNITS = ["hit", "sentence", "paragraph"] as const;
export type AutocodeUnit = (typeof AUTOCODE_UNITS)[number];

/** Most passages one batch codes: beyond it the user narrows the search (a batch that large is rarely meant, and
 *  one transaction over thousands of passages would hold the database too long). */
export const MAX_AUTOCODE_PASSAGES = 500;

export type SkipReason = "withdrawn" | "consent-analysis" | "consent-special";

export type AutocodeRequest = {
  q: string;
  filters: SearchFilters;
  visibility: Visibility;
  codeId: string;
  unit: AutocodeUnit;
  /** the interviews the user's preview would have coded (the confirm names those it skips now, and why) */
  previewed?: string[];
  /** the confirm's copy of its preview's `search` (searchFingerprint): refused when the search is another now */
  search?: string;
};

export type AutocodeCounts = {
  /** passages (transcript paragraphs) that get at least one new coding */
  passages: number;
  interviews: number;
  codings: number;
  /** hit spans already covered by a coding with this code (not coded twice) */
  alreadyCoded: number;
  /** interviews among the hits that are not touched, and why */
  skipped: { reason: SkipReason; interviews: number }[];
};

export type AutocodeRefusal =
  | { ok: false; reason: "query"; hint: QueryHint }
  | { ok: false; reason: "unknown-code" }
  | { ok: false; reason: "search-changed" }
  | { ok: false; reason: "too-many"; max: number; total: number; exact: boolean };

/** `interviewIds`: the interviews it would code, `search` the search it counted, for the confirm (AutocodeRequest). */
export type AutocodePreview = ({ ok: true; interviewIds: string[]; search: string } & AutocodeCounts) | AutocodeRefusal;
export type AutocodeResult = ({ ok: true; batchId: number | null } & AutocodeCounts) | AutocodeRefusal;

function requireWrite(grant: Grant) {
  if (!hasPermission(grant.user, "write", "coding")) throw forbidden();
}

/**
 * Names the search a preview counted: the query and the filters (not the page or the sort, which find the same
 * hits). The confirm sends it back, so a confirm after the URL changed (a new query, another filter) codes nothing
 * instead of a search nobody previewed. A hash, so the query (which may name a person) does not travel twice.
 */
export function searchFingerprint(q: string, filters: SearchFilters): string {
  const canonical = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => [k, Array.isArray(v) ? [...(v as string[])].sort() : v instanceof Date ? v.toISOString() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash("sha256").update(JSON.stringify([q.trim(), canonical])).digest("hex").slice(0, 32);
}

type Found = { ok: true; query: QueryNode | null; byInterview: Map<string, Set<number>> } | AutocodeRefusal;

/** All transcript passages the search finds for this user (not only a page), by interview: paragraph positions. */
async function findPassages(req: AutocodeRequest): Promise<Found> {
  const parsed = parseQuery(req.q);
  if (!parsed.ok) return { ok: false, reason: "query", hint: parsed.hint };
  const engine = engineFor();
  let query;
  try {
    query = await resolveParts(parsed.query, engine);
  } catch (e) {
    if (e instanceof PartHint) return { ok: false, reason: "query", hint: e.hint };
    throw e;
  }
  const byInterview = new Map<string, Set<number>>();
  // A kind filter without passages: nothing to code (memos, notes and codes never are).
  if (!query || (req.filters.kinds?.length && !req.filters.kinds.includes("paragraph"))) return { ok: true, query: null, byInterview };
  const result = await engine.search({ query, filters: { ...req.filters, kinds: ["paragraph"] }, visibility: req.visibility, offset: 0, limit: MAX_AUTOCODE_PASSAGES + 1, sort: "relevance" });
  if (result.hits.length > MAX_AUTOCODE_PASSAGES || result.total > MAX_AUTOCODE_PASSAGES) {
    return { ok: false, reason: "too-many", max: MAX_AUTOCODE_PASSAGES, total: Math.max(result.total, result.hits.length), exact: result.exact };
  }
  for (const hit of result.hits) {
    if (hit.kind !== "paragraph" || !hit.interviewId) continue;
    const position = Number(hit.sourceId.slice(hit.sourceId.lastIndexOf(":") + 1));
    const set = byInterview.get(hit.interviewId) ?? new Set<number>();
    set.add(position);
    byInterview.set(hit.interviewId, set);
  }
  return { ok: true, query, byInterview };
}

/** Why an interview may not be coded with this code now, or null. */
async function refusal(id: string, specialCategory: boolean): Promise<SkipReason | null> {
  const analysis = await mayProcess(id, "analysis");
  if (!analysis.ok) return analysis.reason === "withdrawn" ? "withdrawn" : "consent-analysis";
  return specialCategory && !(await mayProcess(id, "specialCategories")).ok ? "consent-special" : null;
}

/** The interviews that may be coded with this code now; the others with the reason. `previewed`: interviews the
 *  user's preview counted that the search no longer finds (withdrawn or the analysis scope taken back since: the
 *  index drops them at once) are named with the reason too, so the confirm does not code fewer without a word. */
async function gate(grant: Grant, interviewIds: string[], specialCategory: boolean, previewed: string[] = []) {
  // Within the grant's case scope (researchers: all); an interview outside it is simply not there for the user.
  const inScope = await db.interview.findMany({ where: { id: { in: interviewIds }, case: caseScope(grant), transcript: { isNot: null } }, select: { id: true } });
  const allowed: string[] = [];
  const skipped = new Map<SkipReason, number>();
  const skip = (reason: SkipReason) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  for (const { id } of inScope) {
    // The index may lag behind a consent change or withdrawal (Meilisearch): the gate decides, not the hit.
    const reason = await refusal(id, specialCategory);
    if (reason) skip(reason);
    else allowed.push(id);
  }
  const found = new Set(interviewIds);
  const lost = [...new Set(previewed)].filter((id) => !found.has(id)).slice(0, MAX_AUTOCODE_PASSAGES);
  for (const id of lost) {
    const there = await db.interview.findFirst({ where: { id, case: caseScope(grant) }, select: { id: true } });
    // Gone: a whole withdrawal erased it (the withdrawal's record stays); no longer a hit otherwise: no reason to give.
    const reason = there ? await refusal(id, specialCategory) : (await db.withdrawal.count({ where: { interviewId: id, scope: "whole" } })) ? "withdrawn" : null;
    if (reason) skip(reason);
  }
  return { allowed, skipped: [...skipped].map(([reason, interviews]) => ({ reason, interviews })) };
}

const sentences = new Intl.Segmenter("de", { granularity: "sentence" });

/** German abbreviations that end in a period inside a sentence (single letters as in "z. B." are caught apart). */
const ABBREVIATIONS = new Set(["abs", "bzw", "ca", "dr", "etc", "evtl", "ggf", "hr", "fr", "inkl", "nr", "prof", "str", "st", "usw", "vgl", "zzgl", "bspw", "jh", "mio", "mrd", "geb"]);

/** A piece that ends before its sentence does: an ordinal or a day ("1.", "15."), a single letter ("z.", "B."),
 *  an abbreviation ("Dr.", "usw."). ICU's German rules cut after these when a capital follows. */
function endsEarly(piece: string) {
  const last = /(?:^|[^\p{L}\p{N}])([\p{L}\p{N}]+)\.$/u.exec(piece.trimEnd());
  if (!last) return false;
  const word = last[1]!;
  // An ordinal or a day has up to three digits; a longer number (a year, a phone number) may end a sentence.
  return /^\p{N}{1,3}$/u.test(word) || /^\p{L}$/u.test(word) || ABBREVIATIONS.has(word.toLowerCase());
}

/** The sentences of a paragraph as UTF-16 spans (without trailing spaces), as German sentence splitters cut them:
 *  ICU's pieces, one merged into the next where it ends with an ordinal, a single letter or an abbreviation. */
export function sentenceSpans(text: string): Span[] {
  const out: Span[] = [];
  let open = false;
  for (const s of sentences.segment(text)) {
    const span = { start: s.index, end: s.index + s.segment.trimEnd().length };
    if (open && out.length) out.at(-1)!.end = span.end;
    else out.push(span);
    open = endsEarly(s.segment);
  }
  return out;
}

/**
 * Where the query matches in one passage (UTF-16 spans), as the engines read it: a word or prefix is each word it
 * matches, a phrase ONE span from its first to its last word wherever its words stand in a row (so "deutsche
 * Botschaft" codes "deutschen Botschaft" as written); OR gives the hits of each alternative that matches, AND those of
 * all parts if all match, NOT never a span (and a branch whose NOT words occur gives none). Null: no match here.
 */
function matchSpans(node: QueryNode, tokens: Token[]): Span[] | null {
  switch (node.type) {
    case "term":
    case "prefix": {
      const isHit = matcher(node.type === "term" ? { tokens: [node.token], prefixes: [] } : { tokens: [], prefixes: [node.prefix] });
      const spans = tokens.filter((t) => isHit(t.token)).map((t) => ({ start: t.start, end: t.end }));
      return spans.length ? spans : null;
    }
    case "phrase": {
      const spans: Span[] = [];
      for (let i = 0; i + node.tokens.length <= tokens.length; i++) {
        if (node.tokens.every((token, k) => tokens[i + k]!.token === token)) spans.push({ start: tokens[i]!.start, end: tokens[i + node.tokens.length - 1]!.end });
      }
      return spans.length ? spans : null;
    }
    case "part":
      return null; // resolved to words before the search (resolveParts)
    case "or": {
      const found = node.children.map((c) => matchSpans(c, tokens)).filter((s): s is Span[] => s !== null);
      return found.length ? found.flat() : null;
    }
    case "and": {
      if (node.not.some((n) => matchSpans(n, tokens))) return null;
      const found = node.children.map((c) => matchSpans(c, tokens));
      return found.every((s) => s !== null) ? found.flat() : null;
    }
  }
}

/** UTF-16 spans in a paragraph's text to code: the hits, or the sentence / paragraph around them, merged. */
function unitSpans(text: string, query: QueryNode, unit: AutocodeUnit): Span[] {
  const hits = matchSpans(query, tokenize(text));
  if (!hits?.length) return [];
  let spans: Span[];
  if (unit === "paragraph") spans = [{ start: 0, end: text.length }];
  else if (unit === "hit") spans = hits;
  else {
    const parts = sentenceSpans(text);
    // From the sentence of a hit's first word to that of its last (a phrase may run over a full stop).
    const around = (at: number) => parts.find((s) => at >= s.start && at < s.end);
    spans = hits.map((h) => ({ start: around(h.start)?.start ?? h.start, end: around(h.end - 1)?.end ?? h.end }));
  }
  // Two hits in one sentence give one sentence; touching hit words stay apart (each is a hit).
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

type Planned = { interviewId: string; transcriptId: string; spans: (Span & { quote: string; position: number })[]; alreadyCoded: number };

/** What coding one interview's hit passages means, read in `tx` (the apply re-reads it in its transaction). */
async function planInterview(tx: Pick<Tx, "transcript" | "transcriptParagraph" | "coding">, interviewId: string, positions: Set<number>, query: QueryNode, unit: AutocodeUnit, codeId: string): Promise<Planned | null> {
  const transcript = await tx.transcript.findUnique({ where: { interviewId }, select: { id: true } });
  if (!transcript) return null;
  // One after the other: a transaction holds one connection, and node-postgres deprecates overlapping queries on it.
  const paragraphs = await tx.transcriptParagraph.findMany({ where: { transcriptId: transcript.id }, orderBy: { position: "asc" }, select: { position: true, speaker: true, startMs: true, endMs: true, text: true } });
  const existing = await tx.coding.findMany({ where: { transcriptId: transcript.id, codeId, orphaned: false }, select: { start: true, end: true } });
  const planned: Planned = { interviewId, transcriptId: transcript.id, spans: [], alreadyCoded: 0 };
  // Each paragraph's place in the plain text (writeText layout, paragraphs one empty line apart), as indexing does.
  let offset = 0;
  for (const p of paragraphs) {
    const start = offset;
    offset += codePointLength(writeText([p])) + 1;
    if (!positions.has(p.position)) continue;
    const textStart = start + codePointLength(`${speakerLabel(p.speaker)}: `);
    for (const s of unitSpans(p.text, query, unit)) {
      const span = { start: textStart + utf16ToCodePoint(p.text, s.start), end: textStart + utf16ToCodePoint(p.text, s.end) };
      // Same code on words already coded: skipped, not merged. MAXQDA merges an overlapping coding of the same code
      // into one; here that would change someone's coding, which the batch's undo could not give back as it was.
      if (existing.some((c) => c.start < span.end && c.end > span.start)) {
        planned.alreadyCoded++;
        continue;
      }
      planned.spans.push({ ...span, quote: p.text.slice(s.start, s.end), position: p.position });
    }
  }
  return planned;
}

function countsOf(plans: Planned[], skipped: AutocodeCounts["skipped"]): AutocodeCounts {
  const coded = plans.filter((p) => p.spans.length);
  return {
    passages: coded.reduce((n, p) => n + new Set(p.spans.map((s) => s.position)).size, 0),
    interviews: coded.length,
    codings: coded.reduce((n, p) => n + p.spans.length, 0),
    alreadyCoded: plans.reduce((n, p) => n + p.alreadyCoded, 0),
    skipped,
  };
}

async function prepare(grant: Grant, req: AutocodeRequest) {
  requireWrite(grant);
  const code = await db.code.findUnique({ where: { id: req.codeId }, select: { id: true, specialCategory: true } });
  if (!code) return { ok: false, reason: "unknown-code" } as const;
  const found = await findPassages(req);
  if (!found.ok) return found;
  const { allowed, skipped } = await gate(grant, [...found.byInterview.keys()], code.specialCategory, req.previewed);
  return { ok: true, found, allowed, skipped } as const;
}

/** How many passages in how many interviews a batch would code now (nothing is written). */
export async function previewAutocode(grant: Grant, req: AutocodeRequest): Promise<AutocodePreview> {
  const ready = await prepare(grant, req);
  if (!ready.ok) return ready;
  const plans: Planned[] = [];
  for (const id of ready.allowed) {
    const plan = await planInterview(db, id, ready.found.byInterview.get(id)!, ready.found.query!, req.unit, req.codeId);
    if (plan) plans.push(plan);
  }
  return { ok: true, interviewIds: plans.filter((p) => p.spans.length).map((p) => p.interviewId), search: searchFingerprint(req.q, req.filters), ...countsOf(plans, ready.skipped) };
}

/** Codes all hits in one transaction: the codings, the search index of their passages, one audit entry. */
export async function applyAutocode(request: Request | null, grant: Grant, req: AutocodeRequest): Promise<AutocodeResult> {
  if (req.search !== undefined && req.search !== searchFingerprint(req.q, req.filters)) {
    requireWrite(grant);
    return { ok: false, reason: "search-changed" };
  }
  const ready = await prepare(grant, req);
  if (!ready.ok) return ready;
  return db.$transaction(
    async (tx) => {
      const plans: Planned[] = [];
      for (const id of ready.allowed) {
        const plan = await planInterview(tx, id, ready.found.byInterview.get(id)!, ready.found.query!, req.unit, req.codeId);
        if (plan) plans.push(plan);
      }
      const counts = countsOf(plans, ready.skipped);
      if (!counts.codings) return { ok: true, batchId: null, ...counts } as const;
      const at = new Date();
      const codingIds: string[] = [];
      const codedLengths: number[] = [];
      for (const plan of plans.filter((p) => p.spans.length)) {
        const rows = await tx.coding.createManyAndReturn({
          data: plan.spans.map((s) => ({ transcriptId: plan.transcriptId, interviewId: plan.interviewId, codeId: req.codeId, start: s.start, end: s.end, quote: s.quote, createdById: grant.user.id, createdAt: at, updatedAt: at })),
          select: { id: true, start: true, end: true },
        });
        codingIds.push(...rows.map((r) => r.id));
        codedLengths.push(...rows.map((r) => r.end - r.start));
        await codingsChanged(tx, plan.interviewId, { spans: plan.spans, memos: false });
      }
      // Counts, ids and lengths only: the query may name a person and the codings' text is personal. Not even a hash
      // of the text: the log outlives a withdrawal, and a hash of a coded name is found again by hashing guesses.
      const interviewIds = plans.filter((p) => p.spans.length).map((p) => p.interviewId);
      const batchId = await audit(
        request,
        grant.user,
        { action: "coding.autocode", entity: "coding", entityId: null, detail: { codeId: req.codeId, unit: req.unit, passages: counts.passages, interviews: counts.interviews, codings: counts.codings, alreadyCoded: counts.alreadyCoded, skipped: counts.skipped, interviewIds, codingIds, codedLengths } },
        tx,
      );
      return { ok: true, batchId, ...counts } as const;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

type Batch = { codeId: string; codingIds: string[]; codedLengths?: number[] };

/** A batch's codings that still exist (in the grant's case scope). */
function batchCodings(tx: Pick<Tx, "coding">, grant: Grant, codingIds: string[]) {
  return tx.coding.findMany({
    where: { id: { in: codingIds }, interview: { case: caseScope(grant) } },
    select: { id: true, interviewId: true, codeId: true, start: true, end: true, quote: true, comment: true, orphaned: true, createdAt: true, updatedAt: true, _count: { select: { memos: true, links: true } } },
  });
}
type BatchCoding = Awaited<ReturnType<typeof batchCodings>>[number];

/**
 * As the batch wrote it, judged by what a user changes: the same code, the same length of coded text (the span follows
 * transcript edits around it, ADR 0008, so its length changes only when someone resized it or edited its own words),
 * no comment, memo or passage link. Not by updatedAt: any transcript edit moves every coding of the transcript
 * (follow.server.ts) and bumps it. Batches written before the lengths were kept: createdAt = updatedAt.
 */
function unchangedIn(batch: Batch) {
  const lengths = new Map(batch.codedLengths?.length === batch.codingIds.length ? batch.codingIds.map((id, i) => [id, batch.codedLengths![i]!]) : []);
  return (r: BatchCoding) => {
    if (r.codeId !== batch.codeId || r.comment || r._count.memos || r._count.links) return false;
    const length = lengths.get(r.id);
    return length !== undefined ? length === r.end - r.start : r.createdAt.getTime() === r.updatedAt.getTime();
  };
}

/**
 * The user's last batch, if its undo would still remove something: offered on /search after a reload (the result
 * message with its undo is gone by then). No time limit: the undo only ever removes codings as the batch wrote them,
 * so one that was recoded stays; an export before is a copy of that moment, like one before a single removal.
 * Earlier batches are not offered (the audit log names them), so the page never lists old batches.
 */
export async function lastUndoableBatch(grant: Grant): Promise<{ batchId: number; codings: number } | null> {
  if (!hasPermission(grant.user, "write", "coding")) return null;
  const batch = await db.auditLog.findFirst({ where: { action: "coding.autocode", userId: grant.user.id }, orderBy: { id: "desc" }, select: { id: true, detail: true } });
  if (!batch?.detail) return null;
  if (await db.auditLog.findFirst({ where: { action: "coding.autocode-undo", entityId: String(batch.id) }, select: { id: true } })) return null;
  const detail = JSON.parse(batch.detail) as Batch;
  const codings = (await batchCodings(db, grant, detail.codingIds)).filter(unchangedIn(detail)).length;
  return codings ? { batchId: batch.id, codings } : null;
}

/** "all-kept": every coding of the batch was changed since, nothing removed; the undo is not used up by that. */
export type UndoResult = { ok: true; removed: number; kept: number } | { ok: false; reason: "not-found" | "done" } | { ok: false; reason: "all-kept"; kept: number };

/**
 * Takes a batch back: removes exactly the codings it created that nobody changed since (resized, commented, given a
 * memo or a passage link: those stay, counted as kept). Once per batch, only by the user who ran it; audited.
 */
export async function undoAutocode(request: Request | null, grant: Grant, batchId: number): Promise<UndoResult> {
  requireWrite(grant);
  return db.$transaction(
    async (tx) => {
      const batch = await tx.auditLog.findUnique({ where: { id: batchId }, select: { action: true, userId: true, detail: true } });
      if (!batch || batch.action !== "coding.autocode" || batch.userId !== grant.user.id || !batch.detail) return { ok: false, reason: "not-found" } as const;
      if (await tx.auditLog.findFirst({ where: { action: "coding.autocode-undo", entityId: String(batchId) }, select: { id: true } })) return { ok: false, reason: "done" } as const;
      const detail = JSON.parse(batch.detail) as Batch;
      const rows = await batchCodings(tx, grant, detail.codingIds);
      const removable = rows.filter(unchangedIn(detail));
      // Nothing to take back: said so, and not recorded as the batch's one undo (a change taken back later counts).
      if (!removable.length && rows.length) return { ok: false, reason: "all-kept", kept: rows.length } as const;
      if (removable.length) await tx.coding.deleteMany({ where: { id: { in: removable.map((r) => r.id) } } });
      for (const interviewId of new Set(removable.map((r) => r.interviewId))) {
        const gone = removable.filter((r) => r.interviewId === interviewId);
        await codingsChanged(tx, interviewId, gone.some((r) => r.orphaned) ? undefined : { spans: gone, memos: false });
      }
      const kept = rows.length - removable.length;
      await audit(request, grant.user, { action: "coding.autocode-undo", entity: "coding", entityId: String(batchId), detail: { removed: removable.length, kept, codingIds: removable.map((r) => r.id) } }, tx);
      return { ok: true, removed: removable.length, kept } as const;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
