// One indexing path per kind of document: each function reads the source rows (inside the caller's
// transaction) and returns the SearchEntry rows that mirror them, with normalized text and the indexed filter
// columns. Identity data is never read here: only research and counselling text, pseudonymous keys and codes.
import type { Prisma } from "../app/db/client.server.ts";
import { releasedTitleOf } from "../app/narratives/render.ts";
import { writeText } from "../app/transcripts/formats/text.ts";
import { parseSpeakerRoles, speakerRole } from "../app/transcripts/speakers.ts";
import { indexText } from "./text/normalize.ts";
import { dialectOf, fromDbDate, Params } from "./raw-sql.server.ts";

type Tx = Prisma.TransactionClient;

export const KINDS = ["paragraph", "memo", "note", "code", "narrative"] as const;
export type Kind = (typeof KINDS)[number];
export const AUDIENCES = ["research", "counselling", "codebook", "commissioner"] as const;
export type Audience = (typeof AUDIENCES)[number];
// Roles of speaker labels live with the transcripts (the editor offers the same labels).
export { SPEAKER_ROLES, speakerRole, type SpeakerRole } from "../app/transcripts/speakers.ts";

/** A SearchEntry row as search/ writes it (without rowid and updatedAt). */
export type EntryDoc = {
  kind: Kind;
  sourceId: string;
  title: string;
  text: string;
  interviewId: string | null;
  caseId: string | null;
  municipalityId: string | null;
  caseGroup: string | null;
  language: string | null;
  speaker: string | null;
  startMs: number | null;
  authorId: string | null;
  docDate: Date | null;
  codeIds: string;
  dimensions: string;
  audience: Audience;
};

/** Index text of very long documents is cut here (PostgreSQL's tsvector holds at most 1 MB). */
const MAX_INDEX_CHARS = 400_000;
const indexed = (...parts: (string | null | undefined)[]) => indexText(parts.filter(Boolean).join("\n")).slice(0, MAX_INDEX_CHARS);
const json = (values: Iterable<string>) => JSON.stringify([...new Set(values)].sort());

export const paragraphSourceId = (transcriptId: string, position: number) => `${transcriptId}:${position}`;

function parseLanguages(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** Dimension of each code: the first part of its own key or of its nearest ancestor's (STR.ARB -> STR). */
export function dimensionsOf(codes: { id: string; key: string | null; parentId: string | null }[]): Map<string, string | null> {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const out = new Map<string, string | null>();
  for (const c of codes) {
    let at: (typeof codes)[number] | undefined = c;
    let dimension: string | null = null;
    for (let depth = 0; at && depth < 32; depth++) {
      if (at.key) {
        dimension = at.key.split(".")[0]!;
        break;
      }
      at = at.parentId ? byId.get(at.parentId) : undefined;
    }
    out.set(c.id, dimension);
  }
  return out;
}

export async function codeDimensions(tx: Tx): Promise<Map<string, string | null>> {
  return dimensionsOf(await tx.$queryRawUnsafe<{ id: string; key: string | null; parentId: string | null }[]>(`SELECT "id", "key", "parentId" FROM "Code"`));
}

const caseSelect = { id: true, municipalityId: true, group: true } as const;


/** Code points of a string (coding offsets count code points, JavaScript strings UTF-16 units). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

const STORED_COLUMNS = ["rowid", "kind", "sourceId", "title", "text", "interviewId", "caseId", "municipalityId", "caseGroup", "language", "speaker", "startMs", "authorId", "docDate", "codeIds", "dimensions", "audience"];

/**
 * Everything indexing a transcript needs, in ONE statement (each statement inside a Prisma interactive
 * transaction costs about 2 ms, more than reading a whole transcript): the interview and case, the paragraphs,
 * the codings, the code tree (when there are codings) and the entries stored so far, the lists as JSON.
 */
function transcriptSql(dialect: "sqlite" | "postgres", p: Params, interviewId: string): string {
  const id = p.add(interviewId);
  if (dialect === "sqlite") {
    return `SELECT i."status", i."date", i."languages", i."interviewerId", c."id" AS "caseId", c."municipalityId", c."group", t."id" AS "transcriptId", t."speakerRoles",
      (SELECT json_group_array(json_array(x."position", x."speaker", x."startMs", x."endMs", x."text") ORDER BY x."position") FROM "TranscriptParagraph" x WHERE x."transcriptId" = t."id") AS "paragraphs",
      (SELECT json_group_array(json_array(g."codeId", g."start", g."end")) FROM "Coding" g WHERE g."interviewId" = i."id" AND g."transcriptId" = t."id" AND g."orphaned" = FALSE) AS "codings",
      (SELECT json_group_array(json_array(k."id", k."key", k."parentId")) FROM "Code" k WHERE EXISTS (SELECT 1 FROM "Coding" g WHERE g."interviewId" = i."id")) AS "codes",
      (SELECT json_group_array(json_object(${STORED_COLUMNS.map((col) => `'${col}', s."${col}"`).join(", ")})) FROM "SearchEntry" s WHERE s."kind" = 'paragraph' AND s."interviewId" = i."id") AS "stored"
      FROM "Interview" i JOIN "Case" c ON c."id" = i."caseId" LEFT JOIN "Transcript" t ON t."interviewId" = i."id" WHERE i."id" = ${id}`;
  }
  const agg = (expr: string, from: string, order = "") => `(SELECT coalesce(json_agg(${expr}${order}), '[]'::json)::text FROM ${from})`;
  return `SELECT i."status", i."date", i."languages", i."interviewerId", c."id" AS "caseId", c."municipalityId", c."group", t."id" AS "transcriptId", t."speakerRoles",
    ${agg(`json_build_array(x."position", x."speaker", x."startMs", x."endMs", x."text")`, `"TranscriptParagraph" x WHERE x."transcriptId" = t."id"`, ` ORDER BY x."position"`)} AS "paragraphs",
    ${agg(`json_build_array(g."codeId", g."start", g."end")`, `"Coding" g WHERE g."interviewId" = i."id" AND g."transcriptId" = t."id" AND g."orphaned" = FALSE`)} AS "codings",
    ${agg(`json_build_array(k."id", k."key", k."parentId")`, `"Code" k WHERE EXISTS (SELECT 1 FROM "Coding" g WHERE g."interviewId" = i."id")`)} AS "codes",
    ${agg(`json_build_object(${STORED_COLUMNS.map((col) => `'${col}', s."${col}"`).join(", ")})`, `"SearchEntry" s WHERE s."kind" = 'paragraph' AND s."interviewId" = i."id"`)} AS "stored"
    FROM "Interview" i JOIN "Case" c ON c."id" = i."caseId" LEFT JOIN "Transcript" t ON t."interviewId" = i."id" WHERE i."id" = ${id}`;
}

/** A stored SearchEntry row as read back (for the writer's comparison). */
export type StoredEntry = EntryDoc & { rowid: number };

export function storedFromRow(r: Record<string, unknown>): StoredEntry {
  return { ...(r as unknown as EntryDoc), rowid: Number(r.rowid), startMs: r.startMs === null || r.startMs === undefined ? null : Number(r.startMs), docDate: fromDbDate(r.docDate) };
}

/**
 * Transcript paragraphs of an interview, with the codes on each (codings overlap the paragraph's text), and
 * the entries stored for them so far (null when the interview is gone: the writer then reads them itself).
 */
export async function paragraphDocs(tx: Tx, interviewId: string): Promise<EntryDoc[]> {
  return (await transcriptIndexState(tx, interviewId)).docs;
}

export async function transcriptIndexState(tx: Tx, interviewId: string): Promise<{ docs: EntryDoc[]; stored: StoredEntry[] | null }> {
  const p = new Params(dialectOf(tx));
  const [head] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(transcriptSql(p.dialect, p, interviewId), ...p.values);
  if (!head) return { docs: [], stored: null };
  const parse = <T,>(v: unknown): T[] => (v ? (JSON.parse(String(v)) as T[]) : []);
  const stored = parse<Record<string, unknown>>(head.stored).map(storedFromRow);
  if (head.status === "withdrawn" || !head.transcriptId) return { docs: [], stored };
  const transcriptId = String(head.transcriptId);
  const paragraphs = parse<[number, string, number, number, string]>(head.paragraphs).map(([position, speaker, startMs, endMs, text]) => ({ position, speaker, startMs, endMs, text }));
  const codings = parse<[string, number, number]>(head.codings).map(([codeId, start, end]) => ({ codeId, start: Number(start), end: Number(end) }));
  const dimensions = dimensionsOf(parse<[string, string | null, string | null]>(head.codes).map(([id, key, parentId]) => ({ id, key, parentId })));
  const languages = json(parseLanguages(String(head.languages ?? "[]")));
  const date = fromDbDate(head.date);
  // Roles the editor gave labels ("Rosa" interviews); the others follow the label's first letter.
  const roles = parseSpeakerRoles(head.speakerRoles);

  // Codings are code point ranges in the plain text (writeText layout): find each paragraph's range there
  // (only when there are codings: laying out every paragraph is a good part of indexing an uncoded transcript).
  let offset = 0;
  const docs = paragraphs.map((row) => {
    const para = { speaker: row.speaker, startMs: Number(row.startMs), endMs: Number(row.endMs), text: row.text };
    let codes: string[] = [];
    if (codings.length) {
      const start = offset;
      const end = offset + codePoints(writeText([para])) - 1;
      offset = end + 2; // the empty line between paragraphs
      codes = codings.filter((c) => c.start < end && c.end > start).map((c) => c.codeId);
    }
    return {
      kind: "paragraph",
      sourceId: paragraphSourceId(transcriptId, Number(row.position)),
      title: "",
      text: indexed(para.text),
      interviewId,
      caseId: String(head.caseId),
      municipalityId: String(head.municipalityId),
      caseGroup: String(head.group),
      language: languages,
      speaker: speakerRole(para.speaker, roles),
      startMs: para.startMs,
      authorId: (head.interviewerId as string | null) ?? null,
      docDate: date,
      codeIds: codes.length ? json(codes) : "[]",
      dimensions: codes.length ? json(codes.map((id) => dimensions.get(id)).filter((d): d is string => !!d)) : "[]",
      audience: "research",
    } satisfies EntryDoc;
  });
  return { docs, stored };
}

export async function memoDoc(tx: Tx, memoId: string): Promise<EntryDoc | null> {
  const memo = await tx.memo.findUnique({
    where: { id: memoId },
    select: {
      title: true,
      contentText: true,
      interviewId: true,
      codeId: true,
      caseId: true,
      authorId: true,
      updatedAt: true,
      coding: { select: { interviewId: true, codeId: true } },
      interview: { select: { status: true, languages: true, case: { select: caseSelect } } },
      case: { select: caseSelect },
    },
  });
  if (!memo) return null;
  const interviewId = memo.interviewId ?? memo.coding?.interviewId ?? null;
  const interview = memo.interview ?? (interviewId ? await tx.interview.findUnique({ where: { id: interviewId }, select: { status: true, languages: true, case: { select: caseSelect } } }) : null);
  if (interview?.status === "withdrawn") return null;
  const theCase = memo.case ?? interview?.case ?? null;
  const codeIds = [memo.codeId, memo.coding?.codeId].filter((c): c is string => !!c);
  const dimensions = codeIds.length ? await codeDimensions(tx) : new Map<string, string | null>();
  return {
    kind: "memo",
    sourceId: memoId,
    title: memo.title,
    text: indexed(memo.title, memo.contentText),
    interviewId,
    caseId: theCase?.id ?? null,
    municipalityId: theCase?.municipalityId ?? null,
    caseGroup: theCase?.group ?? null,
    language: interview ? json(parseLanguages(interview.languages)) : null,
    speaker: null,
    startMs: null,
    authorId: memo.authorId,
    docDate: memo.updatedAt,
    codeIds: json(codeIds),
    dimensions: json(codeIds.map((id) => dimensions.get(id)).filter((d): d is string => !!d)),
    audience: "research",
  };
}

export async function noteDoc(tx: Tx, noteId: string): Promise<EntryDoc | null> {
  const note = await tx.biographyNote.findUnique({
    where: { id: noteId },
    select: { title: true, contentText: true, noteDate: true, authorId: true, case: { select: caseSelect } },
  });
  if (!note) return null;
  return {
    kind: "note",
    sourceId: noteId,
    title: note.title,
    text: indexed(note.title, note.contentText),
    interviewId: null,
    caseId: note.case.id,
    municipalityId: note.case.municipalityId,
    caseGroup: note.case.group,
    language: null,
    speaker: null,
    startMs: null,
    authorId: note.authorId,
    docDate: note.noteDate,
    codeIds: "[]",
    dimensions: "[]",
    audience: "counselling",
  };
}

export function exampleTexts(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map((e) => (typeof e === "string" ? e : typeof e === "object" && e && "text" in e ? String((e as { text: unknown }).text) : "")) : [];
  } catch {
    return [];
  }
}

export async function codeDoc(tx: Tx, codeId: string): Promise<EntryDoc | null> {
  const code = await tx.code.findUnique({ where: { id: codeId }, select: { key: true, name: true, nameEn: true, description: true, examples: true, createdById: true, updatedAt: true } });
  if (!code) return null;
  const dimension = (await codeDimensions(tx)).get(codeId) ?? null;
  return {
    kind: "code",
    sourceId: codeId,
    title: code.name,
    text: indexed(code.key, code.name, code.nameEn, code.description, ...exampleTexts(code.examples)),
    interviewId: null,
    caseId: null,
    municipalityId: null,
    caseGroup: null,
    language: null,
    speaker: null,
    startMs: null,
    authorId: code.createdById,
    docDate: code.updatedAt,
    codeIds: json([codeId]),
    dimensions: json(dimension ? [dimension] : []),
    audience: "codebook",
  };
}

/** Only a released narrative's frozen, anonymized text is indexed (nothing of its drafts). */
export async function narrativeDoc(tx: Tx, narrativeId: string): Promise<EntryDoc | null> {
  const n = await tx.narrative.findUnique({ where: { id: narrativeId }, select: { status: true, releasedText: true, releasedAt: true, caseId: true } });
  if (!n || n.status !== "released" || !n.releasedText) return null;
  return {
    kind: "narrative",
    sourceId: narrativeId,
    // The anonymized title (the working title may name someone); it opens the frozen text, so it is indexed.
    title: releasedTitleOf(n.releasedText),
    text: indexed(n.releasedText),
    // The case only so a deletion finds it; no municipality, group or author: the commissioner's results
    // must not offer anything to narrow a released narrative down to a person.
    interviewId: null,
    caseId: n.caseId,
    municipalityId: null,
    caseGroup: null,
    language: null,
    speaker: null,
    startMs: null,
    authorId: null,
    docDate: n.releasedAt,
    codeIds: "[]",
    dimensions: "[]",
    audience: "commissioner",
  };
}

/**
 * What refreshing the codes on an interview's passages needs, without the texts: per paragraph its layout
 * (speaker, end time, length in code points: enough to place it in the plain text), the codings, the code tree,
 * and the stored entries' codes. Null when the interview is gone, withdrawn, or its entries are not in step with
 * its paragraphs (the caller then re-indexes the whole transcript).
 */
export async function paragraphCodeState(
  tx: Tx,
  interviewId: string,
): Promise<{ transcriptId: string; updates: CodeUpdate[] } | null> {
  const p = new Params(dialectOf(tx));
  const id = p.add(interviewId);
  const sql =
    p.dialect === "sqlite"
      ? `SELECT i."status", t."id" AS "transcriptId",
      (SELECT json_group_array(json_array(x."position", x."speaker", x."endMs", length(x."text")) ORDER BY x."position") FROM "TranscriptParagraph" x WHERE x."transcriptId" = t."id") AS "paragraphs",
      (SELECT json_group_array(json_array(g."codeId", g."start", g."end")) FROM "Coding" g WHERE g."interviewId" = i."id" AND g."transcriptId" = t."id" AND g."orphaned" = FALSE) AS "codings",
      (SELECT json_group_array(json_array(k."id", k."key", k."parentId")) FROM "Code" k) AS "codes",
      (SELECT json_group_array(json_array(s."rowid", s."sourceId", s."codeIds", s."dimensions")) FROM "SearchEntry" s WHERE s."kind" = 'paragraph' AND s."interviewId" = i."id") AS "stored"
      FROM "Interview" i LEFT JOIN "Transcript" t ON t."interviewId" = i."id" WHERE i."id" = ${id}`
      : `SELECT i."status", t."id" AS "transcriptId",
      (SELECT coalesce(json_agg(json_build_array(x."position", x."speaker", x."endMs", length(x."text")) ORDER BY x."position"), '[]'::json)::text FROM "TranscriptParagraph" x WHERE x."transcriptId" = t."id") AS "paragraphs",
      (SELECT coalesce(json_agg(json_build_array(g."codeId", g."start", g."end")), '[]'::json)::text FROM "Coding" g WHERE g."interviewId" = i."id" AND g."transcriptId" = t."id" AND g."orphaned" = FALSE) AS "codings",
      (SELECT coalesce(json_agg(json_build_array(k."id", k."key", k."parentId")), '[]'::json)::text FROM "Code" k) AS "codes",
      (SELECT coalesce(json_agg(json_build_array(s."rowid", s."sourceId", s."codeIds", s."dimensions")), '[]'::json)::text FROM "SearchEntry" s WHERE s."kind" = 'paragraph' AND s."interviewId" = i."id") AS "stored"
      FROM "Interview" i LEFT JOIN "Transcript" t ON t."interviewId" = i."id" WHERE i."id" = ${id}`;
  const [head] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...p.values);
  if (!head || head.status === "withdrawn" || !head.transcriptId) return null;
  const parse = <T,>(v: unknown): T[] => (v ? (JSON.parse(String(v)) as T[]) : []);
  const transcriptId = String(head.transcriptId);
  const paragraphs = parse<[number, string, number, number]>(head.paragraphs);
  const stored = new Map(parse<[number, string, string, string]>(head.stored).map(([rowid, sourceId, codeIds, dimensions]) => [sourceId, { rowid: Number(rowid), codeIds, dimensions }]));
  if (stored.size !== paragraphs.length) return null;
  const codings = parse<[string, number, number]>(head.codings).map(([codeId, start, end]) => ({ codeId, start: Number(start), end: Number(end) }));
  const dimensions = dimensionsOf(parse<[string, string | null, string | null]>(head.codes).map(([codeId, key, parentId]) => ({ id: codeId, key, parentId })));
  const layout = paragraphLayout(paragraphs);
  // Codings sorted by start are swept once along the paragraphs.
  codings.sort((a, b) => a.start - b.start);
  let next = 0;
  let active: typeof codings = [];
  const updates: CodeUpdate[] = [];
  for (const { position, start, end } of layout) {
    const sourceId = paragraphSourceId(transcriptId, position);
    const entry = stored.get(sourceId);
    if (!entry) return null;
    while (next < codings.length && codings[next]!.start < end) active.push(codings[next++]!);
    active = active.filter((c) => c.end > start);
    const update = codeUpdate(entry, sourceId, active.filter((c) => c.start < end), dimensions);
    if (update) updates.push(update);
  }
  return { transcriptId, updates };
}

type CodeUpdate = { rowid: number; sourceId: string; codeIds: string; dimensions: string };

/** The entry's new codes and dimensions, or null when they are what it holds already. */
function codeUpdate(entry: { rowid: number; codeIds: string; dimensions: string }, sourceId: string, on: readonly { codeId: string }[], dimensions: Map<string, string | null>): CodeUpdate | null {
  const codes = on.map((c) => c.codeId);
  const codeIds = codes.length ? json(codes) : "[]";
  const dims = codes.length ? json(codes.map((c) => dimensions.get(c)).filter((d): d is string => !!d)) : "[]";
  return codeIds !== entry.codeIds || dims !== entry.dimensions ? { rowid: entry.rowid, sourceId, codeIds, dimensions: dims } : null;
}

type LaidOut = { position: number; start: number; end: number };

/**
 * Where each paragraph stands in the plain text (code points), from its speaker, end time and length alone: the
 * same placement as transcriptIndexState, where a paragraph is "label: text #timestamp#" (writeText leaves the
 * text and its space out when it is empty) and paragraphs are one empty line apart.
 */
function paragraphLayout(paragraphs: readonly [number, string, number, number][]): LaidOut[] {
  let offset = 0;
  return paragraphs.map(([position, speaker, endMs, length]) => {
    const frame = codePoints(writeText([{ speaker, startMs: 0, endMs: Number(endMs), text: "" }])) - 1;
    const start = offset;
    const end = offset + frame + (Number(length) > 0 ? Number(length) + 1 : 0);
    offset = end + 2;
    return { position: Number(position), start, end };
  });
}

// Layouts of recently coded transcripts per (transcript, version): a coding click refreshes a few passages, and
// placing them needs every paragraph's length. Holds no text (speaker labels, times and lengths only); every
// change of the paragraphs bumps the version, so a key never names two layouts.
const LAYOUT_CACHE_SIZE = 16;
const layoutCache = new Map<string, LaidOut[]>();

/**
 * Like paragraphCodeState, but only for the passages that overlap `spans` (code point ranges of codings that were
 * added, moved or removed): the passages elsewhere keep their codes. Reads the codings and entries of those
 * passages only. Null where the whole refresh is needed (interview gone or withdrawn, entries not in step).
 */
export async function paragraphCodeStateIn(tx: Tx, interviewId: string, spans: readonly { start: number; end: number }[]): Promise<{ transcriptId: string; updates: CodeUpdate[] } | null> {
  const dialect = dialectOf(tx);
  const head = new Params(dialect);
  const [row] = await tx.$queryRawUnsafe<{ status: string; transcriptId: string | null; version: number | null }[]>(
    `SELECT i."status", t."id" AS "transcriptId", t."version" FROM "Interview" i LEFT JOIN "Transcript" t ON t."interviewId" = i."id" WHERE i."id" = ${head.add(interviewId)}`,
    ...head.values,
  );
  if (!row || row.status === "withdrawn" || !row.transcriptId) return null;
  const transcriptId = row.transcriptId;
  const key = `${transcriptId}\u0000${row.version}`;
  let layout = layoutCache.get(key);
  if (!layout) {
    // The version comes with the rows (one statement, one snapshot even under READ COMMITTED), so a layout is
    // kept under the version it belongs to.
    const p = new Params(dialect);
    const rows = await tx.$queryRawUnsafe<{ position: number; speaker: string; endMs: number; length: number; version: number }[]>(
      `SELECT x."position", x."speaker", x."endMs", length(x."text") AS "length", t."version" FROM "TranscriptParagraph" x JOIN "Transcript" t ON t."id" = x."transcriptId" WHERE x."transcriptId" = ${p.add(transcriptId)} ORDER BY x."position"`,
      ...p.values,
    );
    layout = paragraphLayout(rows.map((r) => [Number(r.position), r.speaker, Number(r.endMs), Number(r.length)]));
    if (rows.length) {
      layoutCache.set(`${transcriptId}\u0000${rows[0]!.version}`, layout);
      for (const k of layoutCache.keys()) if (layoutCache.size > LAYOUT_CACHE_SIZE) layoutCache.delete(k);
    }
  }
  const touched = layout.filter((l) => spans.some((s) => s.start < l.end && s.end > l.start));
  if (!touched.length) return { transcriptId, updates: [] };
  const from = touched[0]!.start;
  const to = touched.at(-1)!.end;
  const p = new Params(dialect);
  const sourceIds = touched.map((l) => paragraphSourceId(transcriptId, l.position));
  const codingsSql = `SELECT "codeId", "start", "end" FROM "Coding" WHERE "transcriptId" = ${p.add(transcriptId)} AND "interviewId" = ${p.add(interviewId)} AND "orphaned" = FALSE AND "start" < ${p.add(to)} AND "end" > ${p.add(from)}`;
  const q = new Params(dialect);
  const storedSql = `SELECT "rowid", "sourceId", "codeIds", "dimensions" FROM "SearchEntry" WHERE "kind" = 'paragraph' AND "sourceId" IN (${q.list(sourceIds)})`;
  // One after another: a transaction is one connection (pg warns of overlapping queries on one client, and pg 9
  // will refuse them).
  const codingRows = await tx.$queryRawUnsafe<{ codeId: string; start: number; end: number }[]>(codingsSql, ...p.values);
  const storedRows = await tx.$queryRawUnsafe<{ rowid: number; sourceId: string; codeIds: string; dimensions: string }[]>(storedSql, ...q.values);
  const dimensions = await codeDimensions(tx);
  if (storedRows.length !== touched.length) return null;
  const stored = new Map(storedRows.map((s) => [s.sourceId, { rowid: Number(s.rowid), codeIds: s.codeIds, dimensions: s.dimensions }]));
  const codings = codingRows.map((c) => ({ codeId: c.codeId, start: Number(c.start), end: Number(c.end) }));
  const updates: CodeUpdate[] = [];
  for (const l of touched) {
    const sourceId = paragraphSourceId(transcriptId, l.position);
    const update = codeUpdate(stored.get(sourceId)!, sourceId, codings.filter((c) => c.start < l.end && c.end > l.start), dimensions);
    if (update) updates.push(update);
  }
  return { transcriptId, updates };
}
