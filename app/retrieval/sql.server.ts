// SQL pieces shared by retrieval and the code matrix. Raw SQL because two conditions are correlated with the
// coding row itself, which Prisma's relation filters cannot express: "overlaps a coding of code X in the same
// transcript" and "the indicator value as it was at this interview's date". Everything else is a plain
// join on indexed columns (Coding.codeId, Coding.transcriptId+start, Snapshot.caseId+indicatorId+observedAt).
// The same text runs on SQLite and PostgreSQL; the few dialect differences are functions here.
//
// Aliases used by every query: c = Coding, cd = Code, i = Interview, k = Case.
// Prisma's SQL template functions from its runtime: the same for either database, without loading a generated client.
import { empty as emptySql, join as joinSql, raw as rawSql, sqltag, type Sql as PrismaSql } from "@prisma/client/runtime/client";
import { isPostgres } from "../env.server.ts";
import { AGE_BANDS, type SegmentFilters } from "./filters.ts";
import { expandCode, type CodeTree } from "./codes.server.ts";

export type Sql = PrismaSql;
export const sql = sqltag;
export const join = joinSql;
export const empty = emptySql;
export const raw = rawSql;

/** The year of a DateTime column (SQLite stores ISO text). */
export function yearOf(column: string): Sql {
  return isPostgres() ? raw(`CAST(EXTRACT(YEAR FROM ${column}) AS INTEGER)`) : raw(`CAST(substr(${column}, 1, 4) AS INTEGER)`);
}

/**
 * Only what may be analysed: not orphaned, the interview not withdrawn, its current consent with the analysis
 * scope, and a special-category code (X.GES) only where that consent also has the Art. 9 scope.
 */
export function analysable(c = "c", cd = "cd", i = "i"): Sql {
  return raw(`${c}."orphaned" = false
    AND ${i}."status" <> 'withdrawn'
    AND EXISTS (SELECT 1 FROM "ConsentRecord" cr WHERE cr."interviewId" = ${i}."id" AND cr."current" = true AND cr."scopeAnalysis" = true
      AND (${cd}."specialCategory" = false OR cr."scopeSpecialCategories" = true))`);
}

/** "state:value" of the latest snapshot of the indicator observed on or before the interview's date. */
export function valueAtInterview(indicatorId: string): Sql {
  return sql`(SELECT s."state" || ':' || COALESCE(s."value", '') FROM "Snapshot" s
    WHERE s."caseId" = k."id" AND s."indicatorId" = ${indicatorId} AND s."observedAt" <= i."date"
    ORDER BY s."observedAt" DESC, s."createdAt" DESC LIMIT 1)`;
}

/** Age at the interview: interview year minus the latest known birth year (P.GEBJ does not change over time). */
export function ageAtInterview(birthYearIndicatorId: string): Sql {
  return sql`(${yearOf('i."date"')} - (SELECT CAST(s."value" AS INTEGER) FROM "Snapshot" s
    WHERE s."caseId" = k."id" AND s."indicatorId" = ${birthYearIndicatorId} AND s."state" = 'known'
    ORDER BY s."observedAt" DESC, s."createdAt" DESC LIMIT 1))`;
}

/**
 * Length in code points of one paragraph's block in the transcript's plain text (writeText of
 * app/transcripts/formats/text.ts): "<label>: <text> #hh:mm:ss-t#" plus the blank line after it. The label is
 * "?" for an unassigned speaker; a paragraph without text has no space for it; the timestamp has 12 characters
 * (13 from 100 hours on). SQLite's and PostgreSQL's length() both count characters (code points).
 */
export const BLOCK_LENGTH = raw(`(length(CASE WHEN p."speaker" = '' THEN '?' ELSE p."speaker" END) + 1
  + CASE WHEN length(p."text") > 0 THEN 1 + length(p."text") ELSE 0 END
  + 1 + CASE WHEN p."endMs" >= 360000000 THEN 13 ELSE 12 END + 2)`);

/** Paragraphs of the given transcripts with the end offset of their block ("blockEnd") and its length. */
export function paragraphBlocks(transcriptFilter: Sql, columns: Sql = empty): Sql {
  return sql`SELECT p."transcriptId", p."speaker", p."position"${columns},
      SUM(${BLOCK_LENGTH}) OVER (PARTITION BY p."transcriptId" ORDER BY p."position" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "blockEnd",
      ${BLOCK_LENGTH} AS "blockLen"
    FROM "TranscriptParagraph" p WHERE ${transcriptFilter}`;
}

export type Ids = { birthYear: string | null; indicators: Map<string, string> };

/** Groups of code ids: one per selected code (with its sub-codes when asked). */
export function codeGroups(tree: CodeTree, filters: Pick<SegmentFilters, "codeIds" | "subcodes">): string[][] {
  return filters.codeIds.map((id) => expandCode(tree, id, filters.subcodes)).filter((g) => g.length > 0);
}

const inList = (column: string, values: string[]) => (values.length ? sql`${raw(column)} IN (${join(values)})` : sql`1 = 0`);

/**
 * The WHERE conditions of a filter set (besides analysable()). Selected codes that no longer exist match
 * nothing, rather than everything.
 */
export function filterConditions(filters: SegmentFilters, groups: string[][], ids: Ids, interviewId: string | null | undefined): Sql[] {
  const where: Sql[] = [];
  if (filters.codeIds.length) {
    const all = [...new Set(groups.flat())];
    where.push(inList('c."codeId"', all));
    if (filters.mode === "and" && groups.length > 1) {
      // The segment overlaps (shares at least one character with) an analysable coding of every selected code.
      for (const group of groups) {
        where.push(sql`EXISTS (SELECT 1 FROM "Coding" o JOIN "Code" ocd ON ocd."id" = o."codeId"
          WHERE o."transcriptId" = c."transcriptId" AND o."orphaned" = false AND ${inList('o."codeId"', group)}
            AND o."start" < c."end" AND o."end" > c."start"
            AND (ocd."specialCategory" = false OR EXISTS (SELECT 1 FROM "ConsentRecord" ocr WHERE ocr."interviewId" = c."interviewId" AND ocr."current" = true AND ocr."scopeSpecialCategories" = true)))`);
      }
    }
  }
  if (filters.municipalityIds.length) where.push(inList('k."municipalityId"', filters.municipalityIds));
  if (filters.groups.length) where.push(inList('k."group"', filters.groups));
  if (interviewId !== undefined) where.push(interviewId === null ? sql`1 = 0` : sql`c."interviewId" = ${interviewId}`);
  if (filters.authorId) where.push(sql`c."createdById" = ${filters.authorId}`);
  for (const f of filters.indicators) {
    const id = ids.indicators.get(f.code);
    where.push(id ? sql`${valueAtInterview(id)} = ${`known:${JSON.stringify(f.value)}`}` : sql`1 = 0`);
  }
  if (filters.ageBand) {
    const band = AGE_BANDS.find((b) => b.key === filters.ageBand)!;
    where.push(ids.birthYear ? sql`${ageAtInterview(ids.birthYear)} BETWEEN ${band.min} AND ${band.max}` : sql`1 = 0`);
  }
  return where;
}

/**
 * The role of paragraph p's speaker, as speakerRole (transcripts/speakers.ts) gives it: the role the editor stored for
 * the label (Transcript.speakerRoles), else by the label: I, I1 ... interviewer; D, D1 ... interpreter; unassigned ("")
 * other; any other label interviewee. tests/retrieval/segments.test.ts compares it with speakerRole.
 */
export function speakerRoleOf(): Sql {
  const given = isPostgres()
    ? `(SELECT CAST(t."speakerRoles" AS jsonb) ->> p."speaker" FROM "Transcript" t WHERE t."id" = p."transcriptId")`
    : `(SELECT j."value" FROM "Transcript" t, json_each(t."speakerRoles") j WHERE t."id" = p."transcriptId" AND j."key" = p."speaker")`;
  // The letter and nothing but digits after it (ltrim with a set of characters works alike in both dialects).
  const numbered = (letter: string) => `(substr(p."speaker", 1, 1) = '${letter}' AND ltrim(substr(p."speaker", 2), '0123456789') = '')`;
  return raw(`COALESCE(${given}, CASE WHEN p."speaker" = '' THEN 'other' WHEN ${numbered("I")} THEN 'interviewer' WHEN ${numbered("D")} THEN 'interpreter' ELSE 'interviewee' END)`);
}

/**
 * The speaker filter: a join of each coding to the paragraph in which it starts, spoken in the role (or, for an
 * address from before the role filter, carrying the label itself). The paragraph offsets are computed once (a
 * materialized CTE over the transcripts that hold candidate codings), not once per coding.
 */
export function speakerJoin(filters: SegmentFilters, groups: string[][]): { with: Sql; join: Sql } {
  if (!filters.speaker && !filters.speakerLabel) return { with: empty, join: empty };
  const codeIds = [...new Set(groups.flat())];
  const transcripts = filters.codeIds.length ? sql`p."transcriptId" IN (SELECT DISTINCT x."transcriptId" FROM "Coding" x WHERE ${inList('x."codeId"', codeIds)})` : sql`1 = 1`;
  const speaks = filters.speaker ? sql`para."role" = ${filters.speaker}` : sql`para."speaker" = ${filters.speakerLabel}`;
  return {
    with: sql`WITH para AS MATERIALIZED (${paragraphBlocks(transcripts, filters.speaker ? sql`, ${speakerRoleOf()} AS "role"` : empty)})`,
    join: sql`JOIN para ON para."transcriptId" = c."transcriptId" AND ${speaks}
      AND c."start" >= para."blockEnd" - para."blockLen" AND c."start" < para."blockEnd"`,
  };
}

export const and = (parts: Sql[]) => (parts.length ? join(parts, " AND ") : sql`1 = 1`);
