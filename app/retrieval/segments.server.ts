// Coded-segment retrieval: which coded passages match the chosen codes and case attributes, with their text
// in context, speaker, time, and what is needed to play them. A segment is a distinct passage
// (transcript, start, end): several codings of the same words form one hit listing all their codes.
//
// Cost: one query finds the page of segments and the total (the filters, the consent rule and paging all
// run inside it, on indexed columns), one query reads the paragraphs around them, two small lookups fill in
// codes and interviews. No per-hit queries.
import { db } from "../db/client.server.ts";
import { hasPermission, type Grant } from "../permissions/permissions.server.ts";
import { memosOnCodings } from "../memos/memos.server.ts";
import type { Word } from "../transcripts/formats/types.ts";
import { loadCodeTree, type CodeTree } from "./codes.server.ts";
import { ATTRIBUTE_INDICATORS, PAGE_SIZE, type SegmentFilters } from "./filters.ts";
import { contentLanguage } from "../i18n/content-language.ts";
import { parseSpeakerRoles, speakerRole, type SpeakerRole } from "../transcripts/speakers.ts";
import { passageOf, type PlacedParagraph } from "./passage.ts";
import { analysable, and, codeGroups, filterConditions, join, paragraphBlocks, speakerJoin, sql, type Ids } from "./sql.server.ts";

export type SegmentMemo = { id: string; title: string; text: string; codingId: string; interviewId: string };

export type SegmentCode = { id: string; key: string | null; name: string; nameEn: string | null; colour: string; dimension: string };

export type SegmentHit = {
  transcriptId: string;
  start: number;
  end: number;
  interviewId: string;
  interviewCode: string;
  interviewDate: string;
  casePseudonym: string;
  /** the passage's language (the interview's first), for its lang attribute */
  language: string;
  speaker: string;
  /** the label's role (the transcript's stored roles, else by the label), shown next to the label */
  speakerRole: SpeakerRole;
  /** ms where the passage starts */
  startMs: number;
  before: string;
  text: string;
  after: string;
  gapBefore: boolean;
  gapAfter: boolean;
  codes: SegmentCode[];
  /**
   * The codings the filters matched on these words (of the chosen codes, by the chosen author), one per code x
   * segment as MAXQDA, ATLAS.ti and NVivo export them: the CSV has a row for each, the page counts them.
   */
  codings: { id: string; code: SegmentCode; author: string; comment: string }[];
  /** the codings' comments on these words (as MAXQDA and ATLAS.ti show them with retrieved segments) */
  comments: string[];
  authors: string[];
  /**
   * The memos on the codings of these words (as MAXQDA and ATLAS.ti show a segment's memos), plain text; only for
   * readers of memos (read:memo). The caller logs them as read (auditMemosShown).
   */
  memos: SegmentMemo[];
  /** play the passage: GET /recordings/:recordingId/media, then seek to startMs */
  recordingId: string | null;
};

/** total: passages (distinct coded words); codings: the codings on them the filters matched (code x segment). */
export type SegmentResult = { hits: SegmentHit[]; total: number; codings: number; page: number; pageSize: number; pages: number };

type Options = { pageSize?: number; tree?: CodeTree };

let cachedIds: { at: number; ids: Ids } | null = null;

/** Indicator ids by code (a handful of rows; cached for a minute). */
export async function indicatorIds(): Promise<Ids> {
  if (cachedIds && Date.now() - cachedIds.at < 60_000) return cachedIds.ids;
  const rows = await db.indicatorDefinition.findMany({ where: { code: { in: [...ATTRIBUTE_INDICATORS, "P.GEBJ"] } }, select: { id: true, code: true } });
  const ids: Ids = { birthYear: rows.find((r) => r.code === "P.GEBJ")?.id ?? null, indicators: new Map(rows.map((r) => [r.code, r.id])) };
  cachedIds = { at: Date.now(), ids };
  return ids;
}

/** The interview named by the filter's code: its id, null when no such interview (matches nothing), undefined without filter. */
async function interviewFilter(filters: SegmentFilters): Promise<string | null | undefined> {
  if (!filters.interview) return undefined;
  const row = await db.interview.findUnique({ where: { code: filters.interview }, select: { id: true } });
  return row?.id ?? null;
}

/**
 * Retrieval for researchers and admins (read:coding:any). Every condition, including the consent rule
 * (analysable()), is part of the query; nothing is removed afterwards, so total and paging are exact.
 */
export async function findCodedSegments(grant: Grant, filters: SegmentFilters, options: Options = {}): Promise<SegmentResult> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  if (grant.access !== "any") return { hits: [], total: 0, codings: 0, page: 1, pageSize, pages: 0 };
  const [tree, ids, interviewId] = await Promise.all([options.tree ?? loadCodeTree(), indicatorIds(), interviewFilter(filters)]);
  const groups = codeGroups(tree, filters);
  const where = and([analysable(), ...filterConditions(filters, groups, ids, interviewId)]);
  const speaker = speakerJoin(filters, groups);
  const page = filters.page;
  const query = (offset: number, limit: number) => sql`${speaker.with}
    SELECT c."transcriptId" AS "transcriptId", c."start" AS "start", c."end" AS "end", MIN(c."interviewId") AS "interviewId",
      COUNT(*) OVER () AS "total", CAST(SUM(COUNT(*)) OVER () AS INTEGER) AS "codings"
    FROM "Coding" c
      JOIN "Code" cd ON cd."id" = c."codeId"
      JOIN "Interview" i ON i."id" = c."interviewId"
      JOIN "Case" k ON k."id" = i."caseId"
      ${speaker.join}
    WHERE ${where}
    GROUP BY c."transcriptId", c."start", c."end"
    ORDER BY MIN(i."date"), MIN(i."code"), c."start", c."end"
    LIMIT ${limit} OFFSET ${offset}`;
  type Row = { transcriptId: string; start: number | bigint; end: number | bigint; interviewId: string; total: number | bigint; codings: number | bigint };
  const rows = await db.$queryRaw<Row[]>(query((page - 1) * pageSize, pageSize));
  let total = rows[0] ? Number(rows[0].total) : 0;
  let codingCount = rows[0] ? Number(rows[0].codings) : 0;
  if (!rows.length && page > 1) {
    const first = (await db.$queryRaw<Row[]>(query(0, 1)))[0];
    total = Number(first?.total ?? 0);
    codingCount = Number(first?.codings ?? 0);
  }
  const spans = rows.map((r) => ({ transcriptId: r.transcriptId, start: Number(r.start), end: Number(r.end), interviewId: r.interviewId }));
  const hits = await describeSpans(spans, tree, groups.flat(), filters, hasPermission(grant.user, "read", "memo"));
  return { hits, total, codings: codingCount, page, pageSize, pages: Math.ceil(total / pageSize) };
}

type Span = { transcriptId: string; start: number; end: number; interviewId: string };

/** Text, speaker, time, codes and recording of each span, in the spans' order. */
async function describeSpans(spans: Span[], tree: CodeTree, selected: string[], filters: SegmentFilters, withMemos: boolean): Promise<SegmentHit[]> {
  if (!spans.length) return [];
  const transcriptIds = [...new Set(spans.map((s) => s.transcriptId))];
  const interviewIds = [...new Set(spans.map((s) => s.interviewId))];
  // Paragraphs touching a span: their block ends after its start and starts before its end.
  const touching = join(
    spans.map((s) => sql`(para."transcriptId" = ${s.transcriptId} AND para."blockEnd" > ${s.start} AND para."blockEnd" - para."blockLen" < ${s.end})`),
    " OR ",
  );
  type ParaRow = { transcriptId: string; speaker: string; position: number; startMs: number; endMs: number; text: string; words: string | null; blockEnd: number | bigint; blockLen: number | bigint };
  const [paragraphs, codings, interviews, transcripts] = await Promise.all([
    db.$queryRaw<ParaRow[]>(sql`SELECT * FROM (${paragraphBlocks(sql`p."transcriptId" IN (${join(transcriptIds)})`, sql`, p."startMs", p."endMs", p."text", p."words"`)}) para
      WHERE ${touching} ORDER BY para."transcriptId", para."position"`),
    db.coding.findMany({
      where: { orphaned: false, OR: spans.map((s) => ({ transcriptId: s.transcriptId, start: s.start, end: s.end })) },
      select: { id: true, transcriptId: true, start: true, end: true, codeId: true, createdById: true, comment: true, code: { select: { specialCategory: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db.interview.findMany({
      where: { id: { in: interviewIds } },
      select: {
        id: true,
        code: true,
        date: true,
        languages: true,
        case: { select: { pseudonym: true } },
        consents: { where: { current: true }, select: { scopeSpecialCategories: true }, take: 1 },
        recordings: { orderBy: { createdAt: "asc" }, select: { id: true }, take: 1 },
      },
    }),
    db.transcript.findMany({ where: { id: { in: transcriptIds } }, select: { id: true, speakerRoles: true } }),
  ]);
  // Memos of the codings shown (not of an Art. 9 coding the consent hides), in one query.
  const memosOf = withMemos ? await memosOnCodings(codings.map((c) => c.id)) : new Map<string, SegmentMemo[]>();
  const rolesOf = new Map(transcripts.map((t) => [t.id, parseSpeakerRoles(t.speakerRoles)]));
  const authorIds = [...new Set(codings.map((c) => c.createdById).filter((id): id is string => !!id))];
  const authors = new Map((await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  const interviewById = new Map(interviews.map((i) => [i.id, i]));
  const parasByTranscript = new Map<string, PlacedParagraph[]>();
  for (const p of paragraphs) {
    const list = parasByTranscript.get(p.transcriptId) ?? [];
    list.push({
      position: Number(p.position),
      speaker: p.speaker,
      startMs: Number(p.startMs),
      endMs: Number(p.endMs),
      text: p.text,
      words: parseWords(p.words),
      blockStart: Number(p.blockEnd) - Number(p.blockLen),
    });
    parasByTranscript.set(p.transcriptId, list);
  }
  const selectedSet = new Set(selected);
  return spans.map((span) => {
    const interview = interviewById.get(span.interviewId)!;
    const special = interview.consents[0]?.scopeSpecialCategories ?? false;
    const paras = (parasByTranscript.get(span.transcriptId) ?? []).filter((p) => p.blockStart < span.end && p.blockStart + blockLength(p) > span.start);
    const passage = passageOf(paras, span.start, span.end);
    const onSpan = codings.filter((c) => c.transcriptId === span.transcriptId && c.start === span.start && c.end === span.end && (special || !c.code.specialCategory));
    // Selected codes first, then the others on the same words, each once.
    const codeIds = [...new Set([...onSpan.filter((c) => selectedSet.has(c.codeId)), ...onSpan].map((c) => c.codeId))];
    // The codings the query counted: every other condition holds for the whole span (same words, interview, case).
    const matched = onSpan.filter((c) => (!filters.codeIds.length || selectedSet.has(c.codeId)) && (!filters.authorId || c.createdById === filters.authorId));
    const segmentCode = (id: string): SegmentCode[] => {
      const n = tree.byId.get(id);
      return n ? [{ id: n.id, key: n.key, name: n.name, nameEn: n.nameEn, colour: n.colour, dimension: n.dimension }] : [];
    };
    return {
      transcriptId: span.transcriptId,
      start: span.start,
      end: span.end,
      interviewId: span.interviewId,
      interviewCode: interview.code,
      interviewDate: interview.date.toISOString().slice(0, 10),
      casePseudonym: interview.case.pseudonym,
      language: contentLanguage(interview.languages),
      speaker: passage?.speaker ?? "",
      speakerRole: speakerRole(passage?.speaker ?? "", rolesOf.get(span.transcriptId)),
      startMs: passage?.startMs ?? 0,
      before: passage?.before ?? "",
      text: passage?.text ?? "",
      after: passage?.after ?? "",
      gapBefore: passage?.gapBefore ?? true,
      gapAfter: passage?.gapAfter ?? true,
      comments: [...new Set(onSpan.map((c) => c.comment?.trim() ?? "").filter(Boolean))],
      codes: codeIds.flatMap(segmentCode),
      codings: matched.flatMap((c) => segmentCode(c.codeId).map((code) => ({ id: c.id, code, author: c.createdById ? (authors.get(c.createdById) ?? "") : "", comment: c.comment?.trim() ?? "" }))),
      authors: [...new Set(onSpan.map((c) => (c.createdById ? (authors.get(c.createdById) ?? "") : "")).filter(Boolean))],
      memos: [...new Map(onSpan.flatMap((c) => memosOf.get(c.id) ?? []).map((m) => [m.id, m])).values()],
      recordingId: interview.recordings[0]?.id ?? null,
    };
  });
}

/** Word timings of a paragraph (JSON [{t, s, e, p}]); anything unreadable counts as none. */
function parseWords(value: string | null): Word[] | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((w) => w && typeof w === "object" && typeof (w as Word).s === "number") ? (parsed as Word[]) : null;
  } catch {
    return null;
  }
}

/** Length of a paragraph's block including the blank line (same rule as BLOCK_LENGTH). */
function blockLength(p: PlacedParagraph): number {
  const label = Array.from(p.speaker === "" ? "?" : p.speaker).length;
  const text = Array.from(p.text).length;
  return label + 1 + (text > 0 ? 1 + text : 0) + 1 + (p.endMs >= 360_000_000 ? 13 : 12) + 2;
}

/** Users who coded something (for the author filter). */
export async function codingAuthors() {
  const rows = await db.coding.findMany({ distinct: ["createdById"], where: { createdById: { not: null } }, select: { createdById: true } });
  return db.user.findMany({ where: { id: { in: rows.map((r) => r.createdById!) } }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } });
}

/** Every segment of a filter set, up to `max`, read in pages (for exports). */
export async function allCodedSegments(grant: Grant, filters: SegmentFilters, max: number): Promise<SegmentResult> {
  const pageSize = 500;
  const tree = await loadCodeTree();
  const first = await findCodedSegments(grant, { ...filters, page: 1 }, { pageSize, tree });
  const hits = [...first.hits];
  for (let page = 2; page <= first.pages && hits.length < max; page++) {
    hits.push(...(await findCodedSegments(grant, { ...filters, page }, { pageSize, tree })).hits);
  }
  return { hits: hits.slice(0, max), total: first.total, codings: first.codings, page: 1, pageSize: max, pages: 1 };
}
