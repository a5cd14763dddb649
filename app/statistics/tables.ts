// The table-definition layer of the commissioner's statistics: every published table is declared here as
// rows x columns over named variables and a population, and defineTable() refuses crossings that would
// identify people before any count is made. Pure (no database): app/statistics/commissioner.server.ts fills
// the counts, app/statistics/suppression.ts protects them.
import { suppressMargin, suppressTable, type SuppressedTable, type SuppressionOptions } from "./suppression.ts";

/** What a variable says about a person; the refusal rules are about kinds, so a new place variable is covered too. */
export type VariableKind = "place" | "nationality" | "other";

export const VARIABLES = {
  municipality: { kind: "place" },
  municipalityGroup: { kind: "place" },
  nationality: { kind: "nationality" },
  arrivalGroup: { kind: "other" },
  germanLevel: { kind: "other" },
  residenceStatus: { kind: "other" },
  caseGroup: { kind: "other" },
  sex: { kind: "other" },
  ageBand: { kind: "other" },
  dimension: { kind: "other" },
} as const satisfies Record<string, { kind: VariableKind }>;
export type VariableKey = keyof typeof VARIABLES;

/**
 * activeCases: every active case of the register (current indicator values).
 * interviewedCases: cases with at least one interview whose current consent allows analysis.
 */
export type Population = "activeCases" | "interviewedCases";

export type TableDefinition = { key: string; rows: VariableKey; columns: VariableKey; population: Population };

export class DisclosureRefusal extends Error {
  constructor(readonly reason: "nationality-by-place" | "place-of-active-cases" | "same-variable") {
    super(`statistics: table refused (${reason})`);
    this.name = "DisclosureRefusal";
  }
}

/**
 * Declares a table, or refuses it:
 * - nationality crossed with any place variable (a rare nationality in a small place is one family);
 * - a place variable over active cases: the gap dashboard already publishes active cases per municipality
 *   (suppressed), and a municipality group's total minus its published members would give a hidden one away;
 * - a variable crossed with itself.
 */
export function defineTable(def: TableDefinition): TableDefinition {
  const kinds = [VARIABLES[def.rows].kind, VARIABLES[def.columns].kind];
  if (def.rows === def.columns) throw new DisclosureRefusal("same-variable");
  if (kinds.includes("nationality") && kinds.includes("place")) throw new DisclosureRefusal("nationality-by-place");
  if (def.population === "activeCases" && kinds.includes("place")) throw new DisclosureRefusal("place-of-active-cases");
  return def;
}

/** The categories of each variable, in display order (labels: i18n namespace "statistics", categories.<variable>.<key>). */
export const CATEGORIES: Record<VariableKey, readonly string[]> = {
  municipality: [],
  municipalityGroup: ["large", "medium", "small"],
  nationality: [],
  arrivalGroup: ["to2015", "2016-2018", "2019-2021", "2022-2023", "from2024"],
  germanLevel: ["none_a1", "a2", "b1", "b2plus", "unknown"],
  residenceStatus: ["asylum_procedure", "toleration", "humanitarian", "settlement", "eu", "naturalised", "other", "unknown"],
  caseGroup: ["refugee", "eu_migrant", "other_migrant"],
  sex: ["w", "m", "other_unknown"],
  ageBand: ["under18", "18-29", "30-44", "45-64", "65plus", "unknown"],
  dimension: ["STR", "KUL", "SOZ", "IDE", "X"],
};

/** The tables the commissioner (and researchers) see. */
export const TABLES: readonly TableDefinition[] = [
  defineTable({ key: "german-by-arrival", rows: "arrivalGroup", columns: "germanLevel", population: "activeCases" }),
  defineTable({ key: "residence-by-group", rows: "residenceStatus", columns: "caseGroup", population: "activeCases" }),
  defineTable({ key: "age-by-sex", rows: "ageBand", columns: "sex", population: "activeCases" }),
  defineTable({ key: "codes-by-municipality-group", rows: "municipalityGroup", columns: "dimension", population: "interviewedCases" }),
];

export type PublishedTable = {
  key: string;
  rows: VariableKey;
  columns: VariableKey;
  population: Population;
  rowKeys: readonly string[];
  columnKeys: readonly string[];
  /** null = suppressed (shown as ".") */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  grandTotal: number | null;
  /**
   * additive: cells add up to the totals. perColumn: a person can count in several columns (a case with codes of
   * two dimensions); each column is then its own table "with / without" over the row base, and rowTotals are the
   * base (persons per row), not sums.
   */
  shape: "additive" | "perColumn";
};

/** A count per (row, column) of records, each record giving its category of each variable (null: not counted). */
export function crossCount(records: Iterable<Partial<Record<VariableKey, string | null>>>, def: TableDefinition): number[][] {
  const rowKeys = CATEGORIES[def.rows];
  const colKeys = CATEGORIES[def.columns];
  const cells = rowKeys.map(() => colKeys.map(() => 0));
  for (const rec of records) {
    const r = rowKeys.indexOf(rec[def.rows] ?? "");
    const c = colKeys.indexOf(rec[def.columns] ?? "");
    if (r >= 0 && c >= 0) cells[r]![c]!++;
  }
  return cells;
}

/**
 * Zeros count as small in tables of interviewed persons (ADR 0022): a handful of people whose places are all hidden
 * would otherwise be located by the zeros beside them ("none in the middle-sized towns"). Over the register's active
 * cases zeros stay published (hundreds of cases; the dashboard's place list hides them itself).
 */
export const zerosSmallIn = (def: TableDefinition) => def.population === "interviewedCases";

/** An additive table with primary and complementary suppression. */
export function publishAdditive(def: TableDefinition, counts: number[][], threshold?: number, hiddenTotals?: SuppressionOptions["hiddenTotals"]): PublishedTable {
  defineTable(def);
  const t: SuppressedTable = suppressTable(counts, { threshold, hiddenTotals, zerosSmall: zerosSmallIn(def) });
  return { ...frame(def), cells: t.cells, rowTotals: t.rowTotals, columnTotals: t.columnTotals, grandTotal: t.grandTotal, shape: "additive" };
}

/**
 * A table whose columns overlap (a person in several columns): `with[r][c]` persons of row r in column c,
 * `base[r]` persons of row r. Each column is protected as the two-column table (with, without) whose row totals
 * are the base, locked once for all columns (suppressMargin) so no column publishes a base another hides.
 */
export function publishPerColumn(def: TableDefinition, withCounts: number[][], base: number[], threshold?: number): PublishedTable {
  defineTable(def);
  withCounts.forEach((row, r) => row.forEach((v) => {
    if (v > base[r]!) throw new Error("statistics: a column count exceeds its base");
  }));
  const zerosSmall = zerosSmallIn(def);
  const margin = suppressMargin(base, threshold, { zerosSmall });
  const cols = CATEGORIES[def.columns].length;
  const cells: (number | null)[][] = base.map(() => new Array<number | null>(cols).fill(null));
  const columnTotals: (number | null)[] = [];
  let grandTotal: number | null = null;
  for (let c = 0; c < cols; c++) {
    const t = suppressTable(
      base.map((b, r) => [withCounts[r]![c]!, b - withCounts[r]![c]!]),
      // A row whose base is hidden is "." throughout, as on the dashboard: its zeros would tell an empty group apart.
      { threshold, lockedRowTotals: margin, hiddenRows: margin.suppressed, zerosSmall },
    );
    t.cells.forEach((row, r) => (cells[r]![c] = row[0]!));
    columnTotals.push(t.columnTotals[0]!);
    grandTotal = t.grandTotal;
  }
  const rowTotals = base.map((b, r) => (margin.suppressed[r] ? null : b));
  return { ...frame(def), cells, rowTotals, columnTotals, grandTotal: margin.grandTotalSuppressed ? null : (grandTotal ?? base.reduce((a, b) => a + b, 0)), shape: "perColumn" };
}

function frame(def: TableDefinition) {
  return { key: def.key, rows: def.rows, columns: def.columns, population: def.population, rowKeys: CATEGORIES[def.rows], columnKeys: CATEGORIES[def.columns] };
}
