// The code matrix for researchers: how often each code (or dimension) was coded per case or per case attribute
// (attributes as they were at the interview's date), and which codes co-occur (two codings overlap in the same
// transcript). Exact counts: only read:coding:any reaches this; the commissioner's figures are in
// app/statistics (suppressed). The same consent rule as retrieval applies inside every query.
import { db } from "../db/client.server.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { byGermanName } from "../statistics/order.ts";
import { loadCodeTree, type CodeTree } from "./codes.server.ts";
import { AGE_BANDS, type AttributeIndicator } from "./filters.ts";
import type { MatrixOptions, MatrixRows } from "./matrix-options.ts";
import { indicatorIds } from "./segments.server.ts";
import { ageAtInterview, analysable, join, raw, sql, valueAtInterview, type Sql } from "./sql.server.ts";

export type MatrixColumn = { key: string; label: string; labelEn: string | null; colour: string };
/** A row: its key and what to show (pseudonym, municipality name, or a category key the page translates). */
export type MatrixRow = { key: string; label: string; translate: boolean };

export type CodeMatrix = {
  options: MatrixOptions;
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** rows x columns: number of coded segments */
  counts: number[][];
  rowTotals: number[];
  columnTotals: number[];
  /** columns x columns: overlapping pairs of codings */
  cooccurrence: number[][];
  dimensions: { key: string; label: string; labelEn: string | null }[];
};

/** The SQL expression of the row variable for a coding (c, i, k in scope). */
function rowExpression(rows: MatrixRows, ids: Awaited<ReturnType<typeof indicatorIds>>): Sql {
  switch (rows) {
    case "case":
      return raw(`k."id"`);
    case "municipality":
      return raw(`k."municipalityId"`);
    case "group":
      return raw(`k."group"`);
    case "ageBand": {
      if (!ids.birthYear) return raw(`'unknown'`);
      const age = ageAtInterview(ids.birthYear);
      const cases = AGE_BANDS.map((b) => sql`WHEN ${age} BETWEEN ${b.min} AND ${b.max} THEN ${b.key}`);
      return sql`CASE ${join(cases, " ")} ELSE 'unknown' END`;
    }
    default: {
      const id = ids.indicators.get(rows as AttributeIndicator);
      return id ? valueAtInterview(id) : raw(`'unknown'`);
    }
  }
}

/** Column of a code: itself, or its dimension (root). Codes outside the chosen dimension drop out (null). */
function columnOf(tree: CodeTree, options: MatrixOptions) {
  return (codeId: string): string | null => {
    const node = tree.byId.get(codeId);
    if (!node) return null;
    if (options.level === "dimension") return node.dimension;
    if (options.dimension && node.dimension !== options.dimension) return null;
    return node.id;
  };
}

export async function codeMatrix(grant: Grant, options: MatrixOptions): Promise<CodeMatrix> {
  const tree = await loadCodeTree();
  const roots = tree.nodes.filter((n) => n.depth === 0);
  const dimensions = roots.map((r) => ({ key: r.dimension, label: r.name, labelEn: r.nameEn }));
  const columns: MatrixColumn[] =
    options.level === "dimension"
      ? roots.map((r) => ({ key: r.dimension, label: r.key ?? r.name, labelEn: r.nameEn, colour: r.colour }))
      : tree.nodes
          .filter((n) => n.depth > 0 && (!options.dimension || n.dimension === options.dimension))
          .map((n) => ({ key: n.id, label: n.key ?? n.name, labelEn: n.nameEn, colour: n.colour }));
  const empty = { options, columns, rows: [], counts: [], rowTotals: [], columnTotals: columns.map(() => 0), cooccurrence: columns.map(() => columns.map(() => 0)), dimensions };
  if (grant.access !== "any") return empty;
  const ids = await indicatorIds();
  const rowExpr = rowExpression(options.rows, ids);
  type CountRow = { row: string | null; codeId: string; n: number | bigint };
  type PairRow = { a: string; b: string; n: number | bigint };
  const [countRows, pairRows] = await Promise.all([
    db.$queryRaw<CountRow[]>(sql`
      SELECT ${rowExpr} AS "row", c."codeId" AS "codeId", COUNT(*) AS "n"
      FROM "Coding" c JOIN "Code" cd ON cd."id" = c."codeId" JOIN "Interview" i ON i."id" = c."interviewId" JOIN "Case" k ON k."id" = i."caseId"
      WHERE ${analysable()}
      GROUP BY 1, 2`),
    db.$queryRaw<PairRow[]>(sql`
      SELECT c."codeId" AS "a", b."codeId" AS "b", COUNT(*) AS "n"
      FROM "Coding" c JOIN "Code" cd ON cd."id" = c."codeId" JOIN "Interview" i ON i."id" = c."interviewId"
        JOIN "Coding" b ON b."transcriptId" = c."transcriptId" AND b."id" <> c."id" AND b."start" < c."end" AND b."end" > c."start"
        JOIN "Code" bcd ON bcd."id" = b."codeId"
      WHERE ${analysable()} AND b."orphaned" = false AND b."codeId" <> c."codeId"
        AND (bcd."specialCategory" = false OR EXISTS (SELECT 1 FROM "ConsentRecord" bcr WHERE bcr."interviewId" = i."id" AND bcr."current" = true AND bcr."scopeSpecialCategories" = true))
      GROUP BY c."codeId", b."codeId"`),
  ]);
  const colOf = columnOf(tree, options);
  const colIndex = new Map(columns.map((c, i) => [c.key, i]));
  const rowKeyOf = (value: string | null) => {
    if (value === null) return "unknown";
    if (options.rows.includes(".")) {
      // "known:\"B1\"" -> B1; unknown / not applicable / never recorded -> unknown
      if (!value.startsWith("known:")) return "unknown";
      try {
        return String(JSON.parse(value.slice("known:".length)));
      } catch {
        return "unknown";
      }
    }
    return value;
  };
  const perRow = new Map<string, number[]>();
  for (const r of countRows) {
    const col = colOf(r.codeId);
    const index = col === null ? undefined : colIndex.get(col);
    if (index === undefined) continue;
    const key = rowKeyOf(r.row);
    const counts = perRow.get(key) ?? columns.map(() => 0);
    counts[index]! += Number(r.n);
    perRow.set(key, counts);
  }
  const rows = await rowLabels(options.rows, [...perRow.keys()]);
  const counts = rows.map((r) => perRow.get(r.key)!);
  const cooccurrence = columns.map(() => columns.map(() => 0));
  for (const p of pairRows) {
    const a = colOf(p.a);
    const b = colOf(p.b);
    const ia = a === null ? undefined : colIndex.get(a);
    const ib = b === null ? undefined : colIndex.get(b);
    if (ia === undefined || ib === undefined) continue;
    cooccurrence[ia]![ib]! += Number(p.n);
  }
  return {
    options,
    columns,
    rows,
    counts,
    rowTotals: counts.map((row) => row.reduce((a, b) => a + b, 0)),
    columnTotals: columns.map((_, c) => counts.reduce((s, row) => s + row[c]!, 0)),
    cooccurrence,
    dimensions,
  };
}

/** Rows in a readable order: pseudonyms, municipality names (German order), or category keys (unknown last). */
async function rowLabels(rows: MatrixRows, keys: string[]): Promise<MatrixRow[]> {
  if (rows === "case") {
    const cases = await db.case.findMany({ where: { id: { in: keys } }, select: { id: true, pseudonym: true }, orderBy: { pseudonym: "asc" } });
    return cases.map((c) => ({ key: c.id, label: c.pseudonym, translate: false }));
  }
  if (rows === "municipality") {
    const ms = (await db.municipality.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } })).sort(byGermanName);
    return ms.map((m) => ({ key: m.id, label: m.name, translate: false }));
  }
  const order = rows === "ageBand" ? AGE_BANDS.map((b) => b.key as string) : [];
  return [...keys]
    .sort((a, b) => (a === "unknown" ? 1 : b === "unknown" ? -1 : order.length ? order.indexOf(a) - order.indexOf(b) : a.localeCompare(b, "de")))
    .map((key) => ({ key, label: key, translate: true }));
}
