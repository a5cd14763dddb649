// The database engines: SQLite FTS5 (embedded default) and PostgreSQL text search. One SQL shape for both;
// they differ in the match expression, the score, JSON arrays and placeholders. Role and consent filters are
// part of the WHERE clause (joins to indexed columns of SearchEntry and to the current consent), never a step
// after the query.
import type { Db } from "../../app/db/client.server.ts";
import { Params, type Dialect } from "../raw-sql.server.ts";
import type { Kind } from "../documents.server.ts";
import { toFts5, toTsquery } from "../query/compile.ts";
import { emptyFacets, FACETS, type EngineRequest, type EngineResult, type Facet, type FacetCounts, type SearchEngine, type SearchFilters, type Visibility } from "../query/types.ts";

/** Interviews whose current consent allows analysis (withdrawn ones never). */
const ANALYSIS_ALLOWED = `SELECT c."interviewId" FROM "ConsentRecord" c JOIN "Interview" i ON i."id" = c."interviewId" WHERE c."current" = TRUE AND c."scopeAnalysis" = TRUE AND i."status" <> 'withdrawn'`;

export function visibilitySql(v: Visibility, p: Params): string {
  const parts: string[] = [];
  if (v.research) parts.push(`(e."audience" = 'research' AND (e."interviewId" IS NULL OR e."interviewId" IN (${ANALYSIS_ALLOWED})))`);
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

/** FROM + WHERE of the matching, visible, filtered entries (alias e), and the score expression. */
function matchSql(dialect: Dialect, req: Omit<EngineRequest, "offset" | "limit" | "sort">, p: Params) {
  if (dialect === "sqlite") {
    // FTS5 hands out its matches already in rank order (ORDER BY rank inside, consumed by the virtual table),
    // so the join reads rows best first and stops after the page: no sort over every match.
    const match = p.add(toFts5(req.query));
    const where = [visibilitySql(req.visibility, p), ...filterSql(req.filters, p, dialect)];
    return {
      from: `(SELECT "rowid", rank FROM "SearchEntryFts" WHERE "SearchEntryFts" MATCH ${match} ORDER BY rank) f JOIN "SearchEntry" e ON e."rowid" = f."rowid"`,
      where: where.join(" AND "),
      score: "f.rank",
      better: "ASC",
    };
  }
  const tsquery = `CAST(${p.add(toTsquery(req.query))} AS tsquery)`;
  const where = [`lw_search_vector(e."text") @@ ${tsquery}`, visibilitySql(req.visibility, p), ...filterSql(req.filters, p, dialect)];
  return { from: `"SearchEntry" e`, where: where.join(" AND "), score: `ts_rank(lw_search_vector(e."text"), ${tsquery})`, better: "DESC" };
}

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

export class SqlEngine implements SearchEngine {
  readonly name: "fts5" | "postgres";
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {
    this.name = dialect === "sqlite" ? "fts5" : "postgres";
  }

  async search(req: EngineRequest): Promise<EngineResult> {
    const p = new Params(this.dialect);
    const m = matchSql(this.dialect, req, p);
    const order = req.sort === "date" ? `e."docDate" DESC, e."rowid" DESC` : this.dialect === "sqlite" ? "f.rank" : `score ${m.better}, e."rowid"`;
    const sql = `SELECT e."kind", e."sourceId", e."title", e."interviewId", e."caseId", e."speaker", e."startMs", e."codeIds", e."docDate", ${m.score} AS score
      FROM ${m.from} WHERE ${m.where} ORDER BY ${order} LIMIT ${p.add(req.limit)} OFFSET ${p.add(req.offset)}`;
    const rows = await this.db.$queryRawUnsafe<HitRow[]>(sql, ...p.values);
    // A short first page is the whole answer; otherwise count apart (a window count over every match costs
    // several times the count itself on frequent words).
    const total = req.offset === 0 && rows.length < req.limit ? rows.length : await this.count(req);
    return {
      total: Math.min(total, MAX_COUNT),
      exact: total <= MAX_COUNT,
      hits: rows.map((r) => ({
        kind: r.kind as Kind,
        sourceId: r.sourceId,
        title: r.title,
        interviewId: r.interviewId,
        caseId: r.caseId,
        speaker: r.speaker,
        startMs: r.startMs === null ? null : Number(r.startMs),
        codeIds: parseArray(r.codeIds),
        docDate: r.docDate === null ? null : new Date(r.docDate),
      })),
    };
  }

  /** Matches, counted up to MAX_COUNT + 1 (beyond, the page says "more than"). */
  async count(req: Omit<EngineRequest, "offset" | "limit" | "sort">): Promise<number> {
    const p = new Params(this.dialect);
    const m = matchSql(this.dialect, req, p);
    const rows = await this.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${m.from} WHERE ${m.where} LIMIT ${MAX_COUNT + 1}) counted`, ...p.values);
    return Number(rows[0]?.n ?? 0);
  }

  async facets(req: Omit<EngineRequest, "offset" | "limit" | "sort">): Promise<FacetCounts> {
    const p = new Params(this.dialect);
    const m = matchSql(this.dialect, req, p);
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
    const each = (column: string) => (this.dialect === "sqlite" ? `json_each(m."${column}") j` : `LATERAL jsonb_array_elements_text(m."${column}"::jsonb) AS j(value)`);
    const parts = [
      ...columns.map(([facet, column]) => `SELECT '${facet}' AS facet, m."${column}" AS value, count(*) AS n FROM m WHERE m."${column}" IS NOT NULL GROUP BY m."${column}"`),
      ...arrays.map(([facet, column]) => `SELECT '${facet}' AS facet, j.value AS value, count(*) AS n FROM m, ${each(column)} WHERE m."${column}" IS NOT NULL GROUP BY j.value`),
    ];
    const sql = `WITH m AS MATERIALIZED (SELECT e."kind", e."municipalityId", e."caseGroup", e."speaker", e."authorId", e."language", e."codeIds", e."dimensions" FROM ${m.from} WHERE ${m.where})
      ${parts.join("\nUNION ALL ")}`;
    const rows = await this.db.$queryRawUnsafe<{ facet: string; value: string; n: number | bigint }[]>(sql, ...p.values);
    const out = emptyFacets();
    for (const r of rows) if ((FACETS as readonly string[]).includes(r.facet)) out[r.facet as Facet][String(r.value)] = Number(r.n);
    return out;
  }
}
