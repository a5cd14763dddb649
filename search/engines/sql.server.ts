// The database engines: SQLite FTS5 (embedded default) and PostgreSQL text search. One SQL shape for both;
// they differ in the match expression, the score, JSON arrays and placeholders. Role and consent filters are
// part of the WHERE clause (joins to indexed columns of SearchEntry and to the current consent), never a step
// after the query.
import type { Db } from "../../app/db/client.server.ts";
import { dialectOf, Params, type Dialect } from "../raw-sql.server.ts";
import type { Kind } from "../documents.server.ts";
import type { PartForms } from "../text/normalize.ts";
import { toFts5, toTsquery } from "../query/compile.ts";
import { emptyFacets, FACETS, type EngineHit, type EngineRequest, type EngineResult, type Facet, type FacetResult, type SearchEngine, type SearchFilters, type Visibility } from "../query/types.ts";

/** Interviews whose current consent allows analysis (withdrawn ones never). */
const ANALYSIS_ALLOWED = `SELECT c."interviewId" FROM "ConsentRecord" c JOIN "Interview" i ON i."id" = c."interviewId" WHERE c."current" = TRUE AND c."scopeAnalysis" = TRUE AND i."status" <> 'withdrawn'`;

/**
 * Cases with an interview but none whose current consent allows analysis: research may not read their case memos
 * (ADR 0018, readableMemo). A case without any interview is not among them.
 */
const CASES_WITHOUT_ANALYSIS = `SELECT i."caseId" FROM "Interview" i LEFT JOIN (${ANALYSIS_ALLOWED}) a0 ON a0."interviewId" = i."id" GROUP BY i."caseId" HAVING count(a0."interviewId") = 0`;

/**
 * `allowedJoined`: the query left-joins ANALYSIS_ALLOWED as `a` and CASES_WITHOUT_ANALYSIS as `hc` on SearchEntry
 * (PostgreSQL, see matchSql). Otherwise subqueries; PostgreSQL charges a hashed subplan in a filter on every probe
 * of a nested loop, so with it the planner scanned all of SearchEntry even for a word in 60 passages (49 ms instead
 * of 3.5 ms on 1,000 interviews).
 */
export function visibilitySql(v: Visibility, p: Params, allowedJoined = false): string {
  const parts: string[] = [];
  const allowed = allowedJoined ? `a."interviewId" IS NOT NULL` : `e."interviewId" IN (${ANALYSIS_ALLOWED})`;
  // A research entry with a case but no interview is a case memo: hidden while its case has interviews but none
  // allows analysis. On FTS5, e is SearchEntryFilters (no caseId): the case is read from SearchEntry by rowid, only
  // for the few research entries without an interview.
  const caseReadable = allowedJoined
    ? `hc."caseId" IS NULL`
    : `NOT EXISTS (SELECT 1 FROM "SearchEntry" s WHERE s."rowid" = e."rowid" AND s."caseId" IN (${CASES_WITHOUT_ANALYSIS}))`;
  if (v.research) parts.push(`(e."audience" = 'research' AND ((e."interviewId" IS NULL AND ${caseReadable}) OR ${allowed}))`);
  if (v.codebook) parts.push(`e."audience" = 'codebook'`);
  if (v.counselling === "all") parts.push(`e."audience" = 'counselling'`);
  else if (v.counselling?.length) parts.push(`(e."audience" = 'counselling' AND e."municipalityId" IN (${p.list(v.counselling)}))`);
  if (v.narratives) parts.push(`e."audience" = 'commissioner'`);
  return parts.length ? `(${parts.join(" OR ")})` : "1 = 0";
}

function dateParam(d: Date, dialect: Dialect): string {
  // SQLite holds Prisma DateTimes as text "2025-04-01T00:00:00.000+00:00"; compared as text, so the same form.
  return dialect === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString().replace("Z", "");
}

function filterSql(f: SearchFilters, p: Params, dialect: Dialect): string[] {
  const out: string[] = [];
  const jsonHasAny = (column: string, values: string[]) =>
    dialect === "sqlite"
      ? `EXISTS (SELECT 1 FROM json_each(e."${column}") j WHERE j.value IN (${p.list(values)}))`
      : `jsonb_exists_any(e."${column}"::jsonb, ARRAY[${p.list(values)}]::text[])`;
  if (f.kinds?.length) out.push(`e."kind" IN (${p.list(f.kinds)})`);
  if (f.codeIds?.length) {
    const codes = [...new Set(f.codeIds)];
    out.push(
      dialect === "sqlite"
        ? `(SELECT count(DISTINCT j.value) FROM json_each(e."codeIds") j WHERE j.value IN (${p.list(codes)})) = ${codes.length}`
        : `e."codeIds"::jsonb @> CAST(${p.add(JSON.stringify(codes))} AS jsonb)`,
    );
  }
  if (f.dimensions?.length) out.push(jsonHasAny("dimensions", f.dimensions));
  if (f.languages?.length) out.push(`e."language" IS NOT NULL AND ${jsonHasAny("language", f.languages)}`);
  if (f.municipalityIds?.length) out.push(`e."municipalityId" IN (${p.list(f.municipalityIds)})`);
  if (f.caseGroups?.length) out.push(`e."caseGroup" IN (${p.list(f.caseGroups)})`);
  if (f.speakers?.length) out.push(`e."speaker" IN (${p.list(f.speakers)})`);
  if (f.authorIds?.length) out.push(`e."authorId" IN (${p.list(f.authorIds)})`);
  const ts = dialect === "postgres" ? (x: string) => `CAST(${x} AS timestamp)` : (x: string) => x;
  if (f.from) out.push(`e."docDate" >= ${ts(p.add(dateParam(f.from, dialect)))}`);
  if (f.to) out.push(`e."docDate" <= ${ts(p.add(dateParam(f.to, dialect)))}`);
  return out;
}

/** FROM + WHERE of the matching, visible, filtered entries (alias e), and the score expression (PostgreSQL). */
function matchSql(req: Omit<EngineRequest, "offset" | "limit" | "sort">, p: Params) {
  const tsquery = `CAST(${p.add(toTsquery(req.query))} AS tsquery)`;
  // The stored vector (SearchEntryVector, kept by a trigger): ranking reads it instead of rebuilding it per match.
  const where = [`v."vector" @@ ${tsquery}`, visibilitySql(req.visibility, p, true), ...filterSql(req.filters, p, "postgres")];
  // DISTINCT: one row per interview even if two consent records were ever marked current.
  const allowed = `LEFT JOIN (SELECT DISTINCT a0."interviewId" FROM (${ANALYSIS_ALLOWED}) a0) a ON a."interviewId" = e."interviewId"`;
  // Only entries without an interview (case memos) are joined to a hidden case; GROUP BY makes one row per case.
  const hiddenCases = `LEFT JOIN (${CASES_WITHOUT_ANALYSIS}) hc ON hc."caseId" = e."caseId" AND e."interviewId" IS NULL`;
  return { from: `"SearchEntry" e JOIN "SearchEntryVector" v ON v."rowid" = e."rowid" ${allowed} ${hiddenCases}`, where: where.join(" AND "), score: `ts_rank(v."vector", ${tsquery})`, better: "DESC" };
}

// ---- SQLite FTS5 ------------------------------------------------------------------------------------------
// FTS5 finds matches fast, in rowid order; the costs are ranking (bm25 over every match) and filtering (a row
// read per match). So: bm25 is computed by an outer ORDER BY ... LIMIT (a top-N heap; FTS5's own ORDER BY rank
// sorts every match first, about twice the time), and the filters read the narrow SearchEntryFilters table
// (migration 20261129020000_search_fts5), not SearchEntry with its text.

/** The FTS5 matches of the query that the user may see and that pass the filters (alias e: SearchEntryFilters). */
function ftsFiltered(req: Omit<EngineRequest, "offset" | "limit" | "sort">, p: Params): string {
  const match = p.add(toFts5(req.query));
  // Filters before visibility: SQLite tests the terms in this order, and the consent look-up costs the most.
  const where = [`"SearchEntryFts" MATCH ${match}`, ...filterSql(req.filters, p, "sqlite"), visibilitySql(req.visibility, p)];
  return `"SearchEntryFts" JOIN "SearchEntryFilters" e ON e."rowid" = "SearchEntryFts"."rowid" WHERE ${where.join(" AND ")}`;
}

/** Filtered matches counted in index order, up to MAX_COUNT + 1 (beyond, the page says "more than"). */
function countedSql(req: Omit<EngineRequest, "offset" | "limit" | "sort">, p: Params): string {
  return `(SELECT count(*) FROM (SELECT 1 FROM ${ftsFiltered(req, p)} LIMIT ${MAX_COUNT + 1}))`;
}

const HIT_COLUMNS = `h."kind", h."sourceId", h."title", h."interviewId", h."caseId", h."speaker", h."startMs", h."codeIds", h."docDate"`;

/**
 * Relevance, first try: the best `candidates` matches by bm25 before any filter, then the filters on those.
 * When enough of them pass, they are exactly the best filtered matches (every other match scores worse), and
 * a frequent word costs one bm25 heap, not a filter read per match. When all matches were candidates, the
 * passing ones are the whole answer and their number the exact total.
 */
function candidatesSql(req: EngineRequest, candidates: number, p: Params): string {
  const match = p.add(toFts5(req.query));
  const where = [...filterSql(req.filters, p, "sqlite"), visibilitySql(req.visibility, p)].join(" AND ");
  const counted = countedSql(req, p);
  return `WITH c AS MATERIALIZED (SELECT "rowid" AS r, bm25("SearchEntryFts") AS score FROM "SearchEntryFts" WHERE "SearchEntryFts" MATCH ${match} ORDER BY score LIMIT ${candidates}),
    m AS MATERIALIZED (SELECT c.r, c.score FROM c JOIN "SearchEntryFilters" e ON e."rowid" = c.r WHERE ${where})
    SELECT ${HIT_COLUMNS}, m.score AS score, (SELECT count(*) FROM c) AS candidates, (SELECT count(*) FROM m) AS passing,
      CASE WHEN (SELECT count(*) FROM c) < ${candidates} THEN (SELECT count(*) FROM m) ELSE ${counted} END AS total
    FROM m JOIN "SearchEntry" h ON h."rowid" = m.r ORDER BY m.score, m.r LIMIT ${p.add(req.limit)} OFFSET ${p.add(req.offset)}`;
}

/** Relevance when the filters are selective (too few of the best candidates pass), or sorted by date: every filtered match. */
function filteredSql(req: EngineRequest, p: Params): string {
  const order = req.sort === "date" ? `e."docDate" DESC, e."rowid" DESC` : `score, r`;
  const outer = req.sort === "date" ? `h."docDate" DESC, h."rowid" DESC` : `m.score, m.r`;
  const needed = req.offset + req.limit;
  const filtered = ftsFiltered(req, p);
  const counted = countedSql(req, p);
  return `WITH m AS MATERIALIZED (SELECT e."rowid" AS r, bm25("SearchEntryFts") AS score FROM ${filtered} ORDER BY ${order} LIMIT ${needed})
    SELECT ${HIT_COLUMNS}, m.score AS score, ${counted} AS total
    FROM m JOIN "SearchEntry" h ON h."rowid" = m.r ORDER BY ${outer} LIMIT ${p.add(req.limit)} OFFSET ${p.add(req.offset)}`;
}

/** How many of the best matches to rank before filtering: enough for the page when filters let a tenth pass. */
export const candidatesFor = (needed: number) => Math.max(500, needed * 10);

type HitRow = {
  kind: string;
  sourceId: string;
  title: string;
  interviewId: string | null;
  caseId: string | null;
  speaker: string | null;
  startMs: number | bigint | null;
  codeIds: string;
  docDate: string | Date | null;
};

function parseArray(value: string): string[] {
  try {
    const v: unknown = JSON.parse(value);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Counting stops here: a thousand results are read as "more than 1,000" (paging goes that far). */
export const MAX_COUNT = 1000;

/**
 * PostgreSQL's words matching `match` (a condition on w): the snapshot and the vectors of the entries changed since
 * (search/word-list.server.ts); before the first snapshot, the words of every stored vector.
 */
function wordListSql(match: string, limit: string): string {
  const fromVectors = (source: string) => `SELECT w FROM ${source}, unnest(tsvector_to_array(v."vector")) AS w WHERE (${match})`;
  return `SELECT w FROM (
      SELECT w FROM (SELECT "word" AS w FROM "SearchWordList") l WHERE (${match}) AND EXISTS (SELECT 1 FROM "SearchWordListState")
      UNION ${fromVectors(`(SELECT DISTINCT "rowid" FROM "SearchWordListPending") n JOIN "SearchEntryVector" v ON v."rowid" = n."rowid"`)} AND EXISTS (SELECT 1 FROM "SearchWordListState")
      UNION ${fromVectors(`"SearchEntryVector" v`)} AND NOT EXISTS (SELECT 1 FROM "SearchWordListState")
    ) t ORDER BY w LIMIT ${limit}`;
}

export class SqlEngine implements SearchEngine {
  readonly name: "fts5" | "postgres";
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {
    this.name = dialect === "sqlite" ? "fts5" : "postgres";
  }

  /**
   * The vocabulary: FTS5's own term list (the fts5vocab table "SearchEntryVocab", read in full: about 0.2 s on
   * 1,000 interviews, npm run bench:search), on PostgreSQL the word list of search/word-list.server.ts. Parts are
   * normalized words (letters, digits, marks), so they hold no GLOB or LIKE wildcard.
   */
  async wordsWithPart(forms: PartForms, at: "end" | "any", limit: number): Promise<string[]> {
    const p = new Params(this.dialect);
    const sqlite = this.dialect === "sqlite";
    const [any, one] = sqlite ? ["*", "?"] : ["%", "_"];
    const patterns = [`${any}${forms.own}${at === "end" ? "" : any}`, ...(forms.inCompound ? [`${one}${any}${forms.inCompound}`] : [])].map((x) => p.add(x));
    const sql = sqlite
      ? `SELECT "term" AS w FROM "SearchEntryVocab" WHERE ${patterns.map((x) => `"term" GLOB ${x}`).join(" OR ")} ORDER BY "term" LIMIT ${p.add(limit)}`
      : wordListSql(patterns.map((x) => `w LIKE ${x}`).join(" OR "), p.add(limit));
    const rows = await this.db.$queryRawUnsafe<{ w: string }[]>(sql, ...p.values);
    return rows.map((r) => r.w);
  }

  async search(req: EngineRequest): Promise<EngineResult> {
    if (this.dialect === "sqlite") return this.searchFts5(req);
    const p = new Params(this.dialect);
    const m = matchSql(req, p);
    const order = req.sort === "date" ? `e."docDate" DESC, e."rowid" DESC` : `score ${m.better}, e."rowid"`;
    const sql = `SELECT e."kind", e."sourceId", e."title", e."interviewId", e."caseId", e."speaker", e."startMs", e."codeIds", e."docDate", ${m.score} AS score
      FROM ${m.from} WHERE ${m.where} ORDER BY ${order} LIMIT ${p.add(req.limit)} OFFSET ${p.add(req.offset)}`;
    const rows = await this.db.$queryRawUnsafe<HitRow[]>(sql, ...p.values);
    // A short first page is the whole answer; otherwise count apart (a window count over every match costs
    // several times the count itself on frequent words).
    const total = req.offset === 0 && rows.length < req.limit ? rows.length : await this.count(req);
    return { total: Math.min(total, MAX_COUNT), exact: total <= MAX_COUNT, hits: rows.map(toHit) };
  }

  /** One statement in the common case (the page and the total), a second only when filters are selective. */
  private async searchFts5(req: EngineRequest): Promise<EngineResult> {
    const needed = req.offset + req.limit;
    const candidates = candidatesFor(needed);
    let rows: (HitRow & { total: number | bigint; candidates?: number | bigint; passing?: number | bigint })[] = [];
    let total: number | null = null;
    if (req.sort !== "date") {
      const p = new Params("sqlite");
      rows = await this.db.$queryRawUnsafe(candidatesSql(req, candidates, p), ...p.values);
      const first = rows[0];
      // Enough candidates passed, or there were no more matches than candidates: the page is exact.
      if (first && (Number(first.passing) >= needed || Number(first.candidates) < candidates)) total = Number(first.total);
    }
    if (total === null) {
      const p = new Params("sqlite");
      rows = await this.db.$queryRawUnsafe(filteredSql(req, p), ...p.values);
      total = rows.length ? Number(rows[0]!.total) : req.offset === 0 ? 0 : await this.count(req);
    }
    return { total: Math.min(total, MAX_COUNT), exact: total <= MAX_COUNT, hits: rows.map(toHit) };
  }

  /** Matches, counted up to MAX_COUNT + 1 (beyond, the page says "more than"). */
  async count(req: Omit<EngineRequest, "offset" | "limit" | "sort">): Promise<number> {
    const p = new Params(this.dialect);
    if (this.dialect === "sqlite") {
      const rows = await this.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT ${countedSql(req, p)} AS n`, ...p.values);
      return Number(rows[0]?.n ?? 0);
    }
    const m = matchSql(req, p);
    const rows = await this.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${m.from} WHERE ${m.where} LIMIT ${MAX_COUNT + 1}) counted`, ...p.values);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Facet counts over the first FACET_LIMIT filtered matches in index order (complete when there are no more), so
   * a frequent word costs no more than its count; the page says when the counts cover only part of the results.
   */
  async facets(req: Omit<EngineRequest, "offset" | "limit" | "sort">): Promise<FacetResult> {
    const p = new Params(this.dialect);
    let filtered: string;
    if (this.dialect === "sqlite") filtered = ftsFiltered(req, p);
    else {
      const m = matchSql(req, p);
      filtered = `${m.from} WHERE ${m.where}`;
    }
    return countFacets(this.db, this.dialect, filtered, p);
  }
}

/**
 * Facet counts over the SearchEntry rows (alias e) of `source` ("<tables> WHERE ..."), the first FACET_LIMIT of
 * them; complete false when there were more.
 */
async function countFacets(db: Db, dialect: Dialect, source: string, p: Params): Promise<FacetResult> {
  const columns: [Facet, string][] = [
    ["kind", "kind"],
    ["municipality", "municipalityId"],
    ["caseGroup", "caseGroup"],
    ["speaker", "speaker"],
    ["author", "authorId"],
  ];
  const arrays: [Facet, string][] = [
    ["language", "language"],
    ["code", "codeIds"],
    ["dimension", "dimensions"],
  ];
  const each = (column: string) => (dialect === "sqlite" ? `json_each(m."${column}") j` : `LATERAL jsonb_array_elements_text(m."${column}"::jsonb) AS j(value)`);
  const parts = [
    ...columns.map(([facet, column]) => `SELECT '${facet}' AS facet, m."${column}" AS value, count(*) AS n FROM m WHERE m."${column}" IS NOT NULL GROUP BY m."${column}"`),
    ...arrays.map(([facet, column]) => `SELECT '${facet}' AS facet, j.value AS value, count(*) AS n FROM m, ${each(column)} WHERE m."${column}" IS NOT NULL GROUP BY j.value`),
  ];
  const selected = `e."kind", e."municipalityId", e."caseGroup", e."speaker", e."authorId", e."language", e."codeIds", e."dimensions"`;
  const sql = `WITH m0 AS MATERIALIZED (SELECT ${selected} FROM ${source} LIMIT ${FACET_LIMIT + 1}),
      m AS (SELECT * FROM m0 LIMIT ${FACET_LIMIT})
      ${parts.join("\nUNION ALL ")}
      UNION ALL SELECT 'more' AS facet, NULL AS value, count(*) - ${FACET_LIMIT} AS n FROM m0`;
  const rows = await db.$queryRawUnsafe<{ facet: string; value: string; n: number | bigint }[]>(sql, ...p.values);
  const counts = emptyFacets();
  let complete = true;
  for (const r of rows) {
    if (r.facet === "more") complete = Number(r.n) <= 0;
    else if ((FACETS as readonly string[]).includes(r.facet)) counts[r.facet as Facet][String(r.value)] = Number(r.n);
  }
  return { counts, complete };
}

/**
 * Facet counts of the given entries, read from SearchEntry as the SQL engines count theirs: for an engine that can
 * name its matches but not count their facets without counting a match twice (Meilisearch's OR, one query a clause).
 */
export async function countFacetsOfEntries(db: Db, keys: readonly { kind: string; sourceId: string }[]): Promise<FacetResult> {
  const dialect = dialectOf(db);
  const p = new Params(dialect);
  const list = p.add(JSON.stringify(keys.map((k) => [k.kind, k.sourceId])));
  const source =
    dialect === "sqlite"
      ? `json_each(${list}) k JOIN "SearchEntry" e ON e."kind" = k.value ->> 0 AND e."sourceId" = k.value ->> 1`
      : `jsonb_array_elements(CAST(${list} AS jsonb)) k JOIN "SearchEntry" e ON e."kind" = k ->> 0 AND e."sourceId" = k ->> 1`;
  return countFacets(db, dialect, source, p);
}

/** Filtered matches the FTS5 facets count at most (the same bound as the total). */
export const FACET_LIMIT = MAX_COUNT;

function toHit(r: HitRow): EngineHit {
  return {
    kind: r.kind as Kind,
    sourceId: r.sourceId,
    title: r.title,
    interviewId: r.interviewId,
    caseId: r.caseId,
    speaker: r.speaker,
    startMs: r.startMs === null ? null : Number(r.startMs),
    codeIds: parseArray(r.codeIds),
    docDate: r.docDate === null ? null : new Date(r.docDate),
  };
}
