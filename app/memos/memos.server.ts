// Research memos: on an interview, a coding, a code, a case, or free (project). Memos are research data: they
// are read by everyone holding read:memo (researchers), changed only by their author (not by an admin: admins
// administer and do not read research content, ADR 0003), and go
// with a withdrawal (app/memos/eraser.server.ts). Memos on an interview or coding need the interview's "analysis"
// consent; a case memo needs a case with such an interview (otherwise the case does not exist for research).
// Memos on an interview or coding are also read only under that consent (readableMemo): a later consent version
// without it hides them everywhere until a version grants it again (ADR 0018). A case memo likewise, once none of the
// case's interviews allows analysis any more.
import { db, type Prisma } from "../db/client.server.ts";
import { audit, auditViews } from "../audit/audit.server.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { requireScope, withScope } from "../consent/gates.server.ts";
import { forbidden, notFound } from "../utils/responses.server.ts";
import { safeHtml, type SanitizedRichText } from "../rich-text/sanitize.server.ts";
import { indexMemo, removeMemo } from "../../search/hooks.server.ts";
import { userNames } from "./users.server.ts";
import { MEMO_TARGETS, MEMO_TYPES, type MemoHiddenRefusal, type MemoTarget, type MemoType } from "./memo-fields.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";
import { passageHref, passageTimes } from "../coding/passage-href.server.ts";

/**
 * Cases whose memos research may read: without any interview yet (a memo written while preparing the first one holds
 * nothing of an interview), or with at least one interview whose current consent has analysis and is not withdrawn.
 */
const caseReadable = { OR: [{ interviews: { none: {} } }, { interviews: { some: withScope("analysis") } }] } satisfies Prisma.CaseWhereInput;

/**
 * The memos research may read, as a query condition (ADR 0018), for every memo path (list, page, edit, Word export,
 * REFI export, coding panel, coded segments), as search does: a memo on an interview or on one of its codings only
 * while that interview's current consent has the analysis scope and it is not withdrawn; a case memo only on a
 * caseReadable case; memos on codes and the project always. Nothing is deleted: a consent version granting analysis
 * again shows the memos again.
 */
export const readableMemo = {
  AND: [
    { OR: [{ interviewId: null }, { interview: withScope("analysis") }] },
    // A coding memo carries its coding's interview (resolveTarget); the coding's own is asked too, in case they differ.
    { OR: [{ codingId: null }, { coding: { interview: withScope("analysis") } }] },
    // A case memo (case, no interview or coding) is analysis of the person too: not once no interview allows it.
    { OR: [{ caseId: null }, { interviewId: { not: null } }, { codingId: { not: null } }, { case: caseReadable }] },
  ],
} satisfies Prisma.MemoWhereInput;

/**
 * Why a memo is not among the readable ones: a 403 naming its interview (a case memo: its case's pseudonym) when it
 * exists but the consent hides it (the memo pages show it, app/memos/memo-refusal.tsx), else a 404.
 */
async function notReadable(client: Pick<Prisma.TransactionClient, "memo">, memoId: string): Promise<Response> {
  const row = await client.memo.findUnique({
    where: { id: memoId },
    select: { interview: { select: { code: true } }, coding: { select: { interview: { select: { code: true } } } }, case: { select: { pseudonym: true } } },
  });
  if (!row) return notFound();
  const interviewCode = row.interview?.code ?? row.coding?.interview.code ?? null;
  const onInterview = !!(row.interview || row.coding);
  const body: MemoHiddenRefusal = { error: "memo-analysis-consent", interviewCode, casePseudonym: onInterview ? null : (row.case?.pseudonym ?? null) };
  return new Response(JSON.stringify(body), { status: 403, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

export type MemoTargetInput = { interviewId?: string | null; codingId?: string | null; codeId?: string | null; caseId?: string | null };
export type MemoTargetIds = { interviewId: string | null; codingId: string | null; codeId: string | null; caseId: string | null };
/** `labelEn`: the label with the code's English name, where the codebook has one (the English UI shows it). */
export type MemoTargetView = { kind: MemoTarget; label: string; labelEn?: string; href: string | null; quote?: string | undefined };

const targetSelect = {
  interviewId: true,
  codingId: true,
  codeId: true,
  caseId: true,
  interview: { select: { code: true, caseId: true } },
  coding: { select: { quote: true, transcriptId: true, start: true, end: true, orphaned: true, code: { select: { name: true, nameEn: true, key: true } } } },
  code: { select: { name: true, nameEn: true, key: true } },
  case: { select: { pseudonym: true } },
} as const;

type TargetRow = Prisma.MemoGetPayload<{ select: typeof targetSelect }>;

export function targetKind(ids: MemoTargetIds): MemoTarget {
  if (ids.codingId) return "coding";
  if (ids.interviewId) return "interview";
  if (ids.codeId) return "code";
  if (ids.caseId) return "case";
  return "project";
}

const codeLabel = (c: { name: string; key: string | null }) => (c.key ? `${c.key} ${c.name}` : c.name);
const codeLabelEn = (c: { name: string; nameEn?: string | null; key: string | null }) => (c.nameEn ? codeLabel({ ...c, name: c.nameEn }) : undefined);

type Times = ReadonlyMap<string, number>;

/** Where the coded passages of coding memos start (for their links), in one query. */
const timesOf = (rows: Pick<TargetRow, "interviewId" | "coding">[]): Promise<Times> =>
  passageTimes(rows.flatMap((r) => (r.coding && r.interviewId ? [{ ...r.coding, interviewId: r.interviewId }] : [])));

/** `times`: see timesOf; a coding memo links to its passage in the transcript (selected, player at its time). */
function targetView(row: TargetRow, times: Times): MemoTargetView {
  const kind = targetKind(row);
  switch (kind) {
    case "coding":
      return {
        kind,
        label: `${row.coding ? codeLabel(row.coding.code) : "?"} · ${row.interview?.code ?? ""}`,
        ...(row.coding?.code.nameEn ? { labelEn: `${codeLabelEn(row.coding.code)} · ${row.interview?.code ?? ""}` } : {}),
        href: row.interviewId ? (row.coding ? passageHref({ ...row.coding, interviewId: row.interviewId }, times) : `/interviews/${row.interviewId}/transcript`) : null,
        quote: row.coding?.quote,
      };
    case "interview":
      return { kind, label: row.interview?.code ?? "", href: `/interviews/${row.interviewId}/memos` };
    case "code":
      return { kind, label: row.code ? codeLabel(row.code) : "", ...(row.code?.nameEn ? { labelEn: codeLabelEn(row.code) } : {}), href: null };
    case "case":
      return { kind, label: row.case?.pseudonym ?? "", href: null };
    default:
      return { kind, label: "", href: null };
  }
}

/**
 * The target named by a new memo's query (one of codingId, interviewId, codeId, caseId, in that order), checked:
 * 404 when it does not exist for research, 403 (naming the scope) when the interview's consent lacks "analysis".
 */
export async function resolveTarget(input: MemoTargetInput): Promise<{ ids: MemoTargetIds; view: MemoTargetView }> {
  const none: MemoTargetIds = { interviewId: null, codingId: null, codeId: null, caseId: null };
  let ids = none;
  if (input.codingId) {
    const coding = await db.coding.findUnique({ where: { id: input.codingId }, select: { id: true, interviewId: true } });
    if (!coding) throw notFound();
    await requireScope(coding.interviewId, "analysis");
    // The coding's interview too, so the memo shows on the interview's tab and goes with its withdrawal.
    ids = { ...none, codingId: coding.id, interviewId: coding.interviewId };
  } else if (input.interviewId) {
    const interview = await db.interview.findUnique({ where: { id: input.interviewId }, select: { id: true } });
    if (!interview) throw notFound();
    await requireScope(interview.id, "analysis");
    ids = { ...none, interviewId: interview.id };
  } else if (input.codeId) {
    const code = await db.code.findUnique({ where: { id: input.codeId }, select: { id: true } });
    if (!code) throw notFound();
    ids = { ...none, codeId: code.id };
  } else if (input.caseId) {
    const found = await db.case.findFirst({ where: { id: input.caseId, interviews: { some: withScope("analysis") } }, select: { id: true } });
    if (!found) throw notFound();
    ids = { ...none, caseId: found.id };
  }
  const row = await describeTarget(ids);
  return { ids, view: row };
}

async function describeTarget(ids: MemoTargetIds): Promise<MemoTargetView> {
  const [interview, coding, code, caseRow] = await Promise.all([
    ids.interviewId ? db.interview.findUnique({ where: { id: ids.interviewId }, select: { code: true, caseId: true } }) : null,
    ids.codingId ? db.coding.findUnique({ where: { id: ids.codingId }, select: targetSelect.coding.select }) : null,
    ids.codeId ? db.code.findUnique({ where: { id: ids.codeId }, select: { name: true, nameEn: true, key: true } }) : null,
    ids.caseId ? db.case.findUnique({ where: { id: ids.caseId }, select: { pseudonym: true } }) : null,
  ]);
  const row = { ...ids, interview, coding, code, case: caseRow };
  return targetView(row, await timesOf([row]));
}

export type MemoFilter = { type?: MemoType | undefined; target?: MemoTarget | undefined; authorId?: string | undefined; q?: string | undefined; interviewId?: string | undefined };

function targetWhere(target: MemoTarget | undefined): Prisma.MemoWhereInput {
  switch (target) {
    case "coding":
      return { codingId: { not: null } };
    case "interview":
      return { interviewId: { not: null }, codingId: null };
    case "code":
      return { codeId: { not: null } };
    case "case":
      return { caseId: { not: null } };
    case "project":
      return { interviewId: null, codingId: null, codeId: null, caseId: null };
    default:
      return {};
  }
}

const LIST_LIMIT = 200;
// Text matching happens here, not in SQL: SQLite's LIKE and PostgreSQL's LIKE differ in case handling, and the
// full-text index (search/) is the tool for large result sets. The newest memos are scanned.
const SCAN_LIMIT = 2000;

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined => (v && (values as readonly string[]).includes(v) ? (v as T) : undefined);

/** The memo list's filters from its URL (the list page and its export); anything invalid is ignored. */
export function parseMemoQuery(params: URLSearchParams): MemoFilter {
  return {
    type: oneOf<MemoType>(MEMO_TYPES, params.get("type")),
    target: oneOf<MemoTarget>(MEMO_TARGETS, params.get("target")),
    authorId: params.get("author")?.slice(0, 64) || undefined,
    q: params.get("q")?.slice(0, 200) || undefined,
  };
}

/** The filter's conditions except the text (`q`, matched in matchingMemoIds). */
function filterWhere(filter: MemoFilter): Prisma.MemoWhereInput {
  return {
    ...targetWhere(filter.target),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.authorId ? { authorId: filter.authorId } : {}),
    ...(filter.interviewId ? { interviewId: filter.interviewId } : {}),
  };
}

/** Ids of the newest SCAN_LIMIT readable memos of the filter whose title or text contains `q`, newest first. */
async function matchingMemoIds(filter: MemoFilter): Promise<string[]> {
  const rows = await db.memo.findMany({
    where: { AND: [filterWhere(filter), readableMemo] },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: SCAN_LIMIT,
    select: { id: true, title: true, contentText: true },
  });
  const needle = filter.q?.trim().toLocaleLowerCase("de");
  return (needle ? rows.filter((r) => `${r.title}\n${r.contentText}`.toLocaleLowerCase("de").includes(needle)) : rows).map((r) => r.id);
}

/**
 * How many memos of the filter the consent hides (readableMemo), for the sentence that says so. Their text is not
 * matched against `q`: that would be analysing them, and a count per search word would tell what they say.
 */
function hiddenMemos(filter: MemoFilter): Promise<number> {
  return db.memo.count({ where: { AND: [filterWhere(filter), { NOT: readableMemo }] } });
}

/** Rows in the order of `ids` (the rows' query asks readableMemo again: a consent saved in between counts). */
const inOrder = <R extends { id: string }>(ids: string[], rows: R[]) => {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
};

export async function listMemos(filter: MemoFilter) {
  const [matching, hidden] = await Promise.all([matchingMemoIds(filter), hiddenMemos(filter)]);
  const ids = matching.slice(0, LIST_LIMIT);
  const shown = inOrder(ids, await db.memo.findMany({ where: { id: { in: ids }, ...readableMemo }, select: { id: true, type: true, title: true, contentText: true, authorId: true, createdAt: true, updatedAt: true, ...targetSelect } }));
  const [names, times] = await Promise.all([userNames(shown.map((r) => r.authorId)), timesOf(shown)]);
  return {
    total: matching.length,
    truncated: matching.length > LIST_LIMIT,
    hidden,
    rows: shown.map((r) => ({
      id: r.id,
      type: r.type as MemoType,
      title: r.title,
      excerpt: r.contentText.length > 240 ? `${r.contentText.slice(0, 240)}…` : r.contentText,
      author: r.authorId ? (names.get(r.authorId) ?? null) : null,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      target: targetView(r, times),
    })),
  };
}

/** `caseId`: the case the memo is about (a case memo's, or its interview's); null for project and code memos. */
export type ExportedMemo = { type: MemoType; title: string; contentJson: string; author: string | null; createdAt: Date; updatedAt: Date; target: MemoTargetView; caseId: string | null };

/**
 * Every readable memo of the filter (the newest SCAN_LIMIT scanned), with its rich text, for the Word export;
 * `hidden`: how many the consent leaves out (see hiddenMemos).
 */
export async function memosForExport(filter: MemoFilter): Promise<{ memos: ExportedMemo[]; hidden: number }> {
  const [ids, hidden] = await Promise.all([matchingMemoIds(filter), hiddenMemos(filter)]);
  const matching = inOrder(ids, await db.memo.findMany({ where: { id: { in: ids }, ...readableMemo }, select: { id: true, type: true, title: true, contentJson: true, authorId: true, createdAt: true, updatedAt: true, ...targetSelect } }));
  const names = await userNames(matching.map((r) => r.authorId));
  // The Word export prints the target's label, not its link: no passage times needed.
  const noTimes: Times = new Map();
  const memos = matching.map((r) => ({
    type: r.type as MemoType,
    title: r.title,
    contentJson: r.contentJson,
    author: r.authorId ? (names.get(r.authorId) ?? null) : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    target: targetView(r, noTimes),
    caseId: r.caseId ?? r.interview?.caseId ?? null,
  }));
  return { memos, hidden };
}

/**
 * Everyone who wrote a memo the reader may read, for the author filter: the authors of hidden memos are not listed
 * (that someone wrote about a person whose consent no longer covers analysis is itself a reading of those memos).
 */
export async function memoAuthors() {
  const ids = await db.memo.findMany({ where: { authorId: { not: null }, ...readableMemo }, distinct: ["authorId"], select: { authorId: true } });
  const names = await userNames(ids.map((r) => r.authorId));
  return [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, "de"));
}

/** A memo shown beside its coding (the transcript's coding panel, coded segments): plain text, no formatting. */
export type CodingMemo = { id: string; title: string; text: string; codingId: string; interviewId: string };

/**
 * The memos on these codings, oldest first, by coding: only readable ones (readableMemo: of interviews whose
 * consent allows analysis), in the query itself. The caller checks read:memo and logs
 * what it shows (auditMemosShown).
 */
export async function memosOnCodings(codingIds: readonly string[]): Promise<Map<string, CodingMemo[]>> {
  const out = new Map<string, CodingMemo[]>();
  if (!codingIds.length) return out;
  const rows = await db.memo.findMany({
    where: { codingId: { in: [...new Set(codingIds)] }, ...readableMemo },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, title: true, contentText: true, codingId: true, interviewId: true },
  });
  for (const r of rows) {
    if (!r.codingId || !r.interviewId) continue;
    out.set(r.codingId, [...(out.get(r.codingId) ?? []), { id: r.id, title: r.title, text: r.contentText, codingId: r.codingId, interviewId: r.interviewId }]);
  }
  return out;
}

/**
 * Memo texts shown beside codings are memo reads like the memo page's (ADR 0016): memo.view per memo, once per
 * person, memo and window, with the same detail as the memo page, so a page revalidated after each coding adds
 * nothing within the window.
 */
export async function auditMemosShown(request: Request | null, user: SessionUser, memos: Iterable<CodingMemo>) {
  const entries = [...memos].map((m) => ({
    action: "memo.view" as const,
    entity: "memo" as const,
    entityId: m.id,
    detail: { target: new URLSearchParams({ codingId: m.codingId, interviewId: m.interviewId }).toString() },
  }));
  await auditViews(request, user, entries);
}

export function mayChangeMemo(user: SessionUser, authorId: string | null): boolean {
  return authorId !== null && authorId === user.id;
}

/** A readable memo (readableMemo); one the consent hides is refused with a 403 naming its interview or case (notReadable). */
export async function getMemo(grant: Grant, memoId: string) {
  const row = await db.memo.findFirst({
    where: { id: memoId, ...readableMemo },
    select: { id: true, type: true, title: true, contentJson: true, contentHtml: true, contentText: true, authorId: true, createdAt: true, updatedAt: true, ...targetSelect },
  });
  if (!row) throw await notReadable(db, memoId);
  const [names, times] = await Promise.all([userNames([row.authorId]), timesOf([row])]);
  return {
    id: row.id,
    type: row.type as MemoType,
    title: row.title,
    contentJson: row.contentJson,
    contentHtml: safeHtml(row.contentHtml),
    contentText: row.contentText,
    author: row.authorId ? (names.get(row.authorId) ?? null) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    target: targetView(row, times),
    /** The new-memo page's query for the same target (a memo deleted while edited can be created again). */
    targetQuery: new URLSearchParams(Object.entries({ codingId: row.codingId, interviewId: row.interviewId, codeId: row.codeId, caseId: row.caseId }).filter((e): e is [string, string] => !!e[1])).toString(),
    canChange: mayChangeMemo(grant.user, row.authorId),
  };
}

export type MemoFields = { title: string; type: MemoType };

export async function createMemo(request: Request | null, grant: Grant, ids: MemoTargetIds, fields: MemoFields, content: SanitizedRichText) {
  return db.$transaction(async (tx) => {
    const memo = await tx.memo.create({
      data: { ...ids, ...fields, contentJson: content.json, contentHtml: content.html, contentText: content.text, authorId: grant.user.id },
      select: { id: true },
    });
    await audit(request, grant.user, { action: "memo.create", entity: "memo", entityId: memo.id, detail: { type: fields.type, target: targetKind(ids), ...ids } }, tx);
    await indexMemo(tx, memo.id);
    return memo;
  });
}

/**
 * The memo, if this user may change it: readable (a memo the consent hides is refused like its page; the withdrawal's
 * eraser deletes such memos directly, not through here) and written by them.
 */
async function changeableMemo(tx: Prisma.TransactionClient, grant: Grant, memoId: string) {
  const row = await tx.memo.findFirst({ where: { id: memoId, ...readableMemo }, select: { id: true, authorId: true, title: true, type: true, contentJson: true, updatedAt: true } });
  if (!row) throw await notReadable(tx, memoId);
  if (!mayChangeMemo(grant.user, row.authorId)) throw forbidden("only the author may change a memo");
  return row;
}

/** The memo was saved meanwhile (another tab): the form's state is no longer the newest. */
export class MemoConflict extends Error {
  constructor() {
    super("memo changed meanwhile");
  }
}

/**
 * `base`: when the form loaded the memo (its updatedAt); a save based on an older state is refused with MemoConflict
 * instead of silently overwriting what was saved since (memos keep no versions).
 */
export async function updateMemo(request: Request | null, grant: Grant, memoId: string, fields: MemoFields, content: SanitizedRichText, base?: Date) {
  await db.$transaction(async (tx) => {
    const before = await changeableMemo(tx, grant, memoId);
    if (base && before.updatedAt.getTime() !== base.getTime()) throw new MemoConflict();
    const changed = [before.title !== fields.title && "title", before.type !== fields.type && "type", before.contentJson !== content.json && "content"].filter(Boolean);
    // Conditional on the state read (and the consent), so two saves at the same moment cannot both pass the check.
    const { count } = await tx.memo.updateMany({ where: { id: memoId, updatedAt: before.updatedAt, ...readableMemo }, data: { ...fields, contentJson: content.json, contentHtml: content.html, contentText: content.text } });
    if (count === 0) throw (await tx.memo.count({ where: { id: memoId, ...readableMemo } })) ? new MemoConflict() : await notReadable(tx, memoId);
    await audit(request, grant.user, { action: "memo.update", entity: "memo", entityId: memoId, detail: { changed } }, tx);
    await indexMemo(tx, memoId);
  });
}

/** Deletes the memo for good; the audit entry names the legal ground and the optional note. */
export async function deleteMemo(request: Request | null, grant: Grant, memoId: string, erasure: { ground: ErasureGround; note?: string | undefined }) {
  await db.$transaction(async (tx) => {
    const before = await changeableMemo(tx, grant, memoId);
    await removeMemo(tx, memoId);
    await tx.memo.delete({ where: { id: memoId } });
    await audit(request, grant.user, { action: "memo.delete", entity: "memo", entityId: memoId, detail: { type: before.type, ...erasureAuditDetail(erasure) } }, tx);
  });
}
