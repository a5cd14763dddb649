// The commissioner's statistics: the tables of tables.ts filled from the register (active cases, current
// indicator values) and from the codings (cases with an interview released for analysis), every one of them
// suppressed on the true counts and then perturbed by the cell key method (cell-key.ts, ADR 0021) before it leaves
// this module. No pseudonym, no identity, no case id and no record key is ever part of the result.
import { db } from "../db/client.server.ts";
import { withScope } from "../consent/gates.server.ts";
import { currentValues } from "../indicators/current.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { forbidden } from "../utils/responses.server.ts";
import { CATEGORIES, TABLES, crossCount, publishAdditive, publishPerColumn, type PublishedTable, type TableDefinition, type VariableKey } from "./tables.ts";
import { ageBandAt, arrivalGroupOf, germanLevelOf, municipalityGroupOf, residenceStatusOf, sexOf } from "./categories.ts";
import { released } from "./releases.server.ts";
import { DEFAULT_THRESHOLD } from "./suppression.ts";
import { additiveKeySums, perturbFigures, type KeySums } from "./cell-key.ts";

/** read:statistics:suppressed (commissioner, researchers); nobody gets the statistics unsuppressed here. */
export async function requireStatisticsAccess(request: Request) {
  const grant = await requirePermission(request, "read", "statistics");
  if (grant.access !== "suppressed") throw forbidden();
  return grant;
}

type CaseRecord = Partial<Record<VariableKey, string | null>> & {
  /** the case's record key (cell key method); only summed, never published */
  recordKey: number;
  /**
   * Variables whose "unknown" category holds this case although the gap dashboard counts its value as known (a
   * "divers" or "keine Angabe", a "not applicable", a rare value): the dashboard publishes the truly unknown, so an
   * "unknown" total minus it counts exactly these cases.
   */
  knownButUnknownHere?: VariableKey[];
};

/** The indicator each case variable comes from. */
const INDICATOR_OF: Partial<Record<VariableKey, string>> = { germanLevel: "S.DTNIV", residenceStatus: "S.AUFST", sex: "P.GESCHL", ageBand: "P.GEBJ" };

/** The category that collects what a variable does not publish on its own. */
const UNKNOWN_CATEGORY: Partial<Record<VariableKey, string>> = { germanLevel: "unknown", residenceStatus: "unknown", sex: "other_unknown", ageBand: "unknown" };

async function activeCaseRecords(now: Date): Promise<CaseRecord[]> {
  const where = { status: "active" };
  const indicators = await db.indicatorDefinition.findMany({ where: { code: { in: ["S.DTNIV", "S.AUFST", "P.GESCHL", "P.GEBJ"] } }, select: { id: true, code: true, stalenessMonths: true } });
  const idOf = (code: string) => indicators.find((i) => i.code === code)?.id ?? "";
  const [cases, current] = await Promise.all([db.case.findMany({ where, select: { id: true, group: true, imStart: true, recordKey: true } }), currentValues({ municipalities: "all", status: "active" }, indicators, now)]);
  return cases.map((c) => {
    const values = current.get(c.id);
    const value = (code: string) => values?.get(idOf(code));
    const record: CaseRecord = {
      recordKey: c.recordKey,
      arrivalGroup: arrivalGroupOf(c.imStart.getUTCFullYear()),
      germanLevel: germanLevelOf(value("S.DTNIV")),
      residenceStatus: residenceStatusOf(value("S.AUFST")),
      caseGroup: c.group,
      sex: sexOf(value("P.GESCHL")),
      ageBand: ageBandAt(value("P.GEBJ"), now),
    };
    // The dashboard's "unknown or missing" is: no snapshot, or the latest says unknown.
    record.knownButUnknownHere = (Object.keys(INDICATOR_OF) as VariableKey[]).filter((v) => {
      const cur = value(INDICATOR_OF[v]!);
      return record[v] === UNKNOWN_CATEGORY[v] && cur !== undefined && cur.state !== "unknown";
    });
    return record;
  });
}

/**
 * Cases with an interview released for analysis, per municipality group, and those of them with at least one
 * coding in each dimension. Special-category codes (X.GES) are left out of the commissioner's figures.
 */
async function codeDimensionCounts(def: TableDefinition) {
  const groups = CATEGORIES[def.rows];
  const dims = CATEGORIES[def.columns];
  const [codes, cases, codings] = await Promise.all([
    db.code.findMany({ select: { id: true, key: true, parentId: true } }),
    db.case.findMany({ where: { interviews: { some: withScope("analysis") } }, select: { id: true, recordKey: true, municipality: { select: { population: true } } } }),
    db.coding.findMany({
      where: { orphaned: false, code: { specialCategory: false }, interview: withScope("analysis") },
      distinct: ["interviewId", "codeId"],
      select: { codeId: true, interview: { select: { caseId: true } } },
    }),
  ]);
  const parent = new Map(codes.map((c) => [c.id, c]));
  const dimensionOf = (id: string): string | null => {
    let node = parent.get(id);
    for (let depth = 0; node?.parentId && depth < 50; depth++) node = parent.get(node.parentId);
    return node?.key ?? null;
  };
  const groupOfCase = new Map(cases.map((c) => [c.id, municipalityGroupOf(c.municipality.population)]));
  const keyOf = new Map(cases.map((c) => [c.id, c.recordKey]));
  const inGroup = (g: string) => cases.filter((c) => groupOfCase.get(c.id) === g);
  const base = groups.map((g) => inGroup(g).length);
  const baseKeys = groups.map((g) => inGroup(g).reduce((sum, c) => sum + c.recordKey, 0));
  const seen = new Set<string>();
  const withCounts = groups.map(() => dims.map(() => 0));
  const withKeys = groups.map(() => dims.map(() => 0));
  for (const c of codings) {
    const caseId = c.interview.caseId;
    const dim = dimensionOf(c.codeId);
    const group = groupOfCase.get(caseId);
    if (!dim || !group || seen.has(`${caseId}:${dim}`)) continue;
    const r = groups.indexOf(group);
    const col = dims.indexOf(dim);
    if (r < 0 || col < 0) continue;
    seen.add(`${caseId}:${dim}`);
    withCounts[r]![col]!++;
    withKeys[r]![col]! += keyOf.get(caseId)!;
  }
  // A column's total counts the cases with codes of that dimension, the grand total every case of the base.
  const keys: KeySums = {
    cells: withKeys,
    rowTotals: baseKeys,
    columnTotals: dims.map((_, col) => withKeys.reduce((sum, row) => sum + row[col]!, 0)),
    grandTotal: baseKeys.reduce((a, b) => a + b, 0),
  };
  return { withCounts, base, keys };
}

/**
 * Totals of "unknown" categories to hide although they are not small: when 1-4 cases in them have a value the gap
 * dashboard counts as known (e.g. "divers" together with "keine Angabe"), that total minus the dashboard's published
 * "unknown or missing" would count those few (QA, 2026-11-30). The suppression then protects the total like a small one.
 */
function remainderTotals(records: CaseRecord[], def: TableDefinition) {
  const smallRemainder = (variable: VariableKey) => {
    const n = records.filter((r) => r.knownButUnknownHere?.includes(variable)).length;
    return n > 0 && n < DEFAULT_THRESHOLD;
  };
  const mark = (variable: VariableKey) => CATEGORIES[variable].map((k) => k === UNKNOWN_CATEGORY[variable] && smallRemainder(variable));
  return { rows: mark(def.rows), columns: mark(def.columns) };
}

/** The record keys of an additive table's cells, counted like crossCount (a case without both categories in none). */
function crossKeySums(records: CaseRecord[], def: TableDefinition): KeySums {
  const rowKeys = CATEGORIES[def.rows];
  const colKeys = CATEGORIES[def.columns];
  const sums = rowKeys.map(() => colKeys.map(() => 0));
  for (const rec of records) {
    const r = rowKeys.indexOf(rec[def.rows] ?? "");
    const c = colKeys.indexOf(rec[def.columns] ?? "");
    if (r >= 0 && c >= 0) sums[r]![c]! += rec.recordKey;
  }
  return additiveKeySums(sums);
}

/**
 * The declared tables, suppressed on the true counts, and the record keys of every figure. Exact figures: only for
 * commissionerTables and the tests of the suppression; nothing published comes from here unperturbed.
 */
export async function suppressedTables(now = new Date()): Promise<{ table: PublishedTable; keys: KeySums }[]> {
  const needsCases = TABLES.some((t) => t.population === "activeCases");
  const records = needsCases ? await activeCaseRecords(now) : [];
  const out: { table: PublishedTable; keys: KeySums }[] = [];
  for (const def of TABLES) {
    if (def.population === "activeCases") out.push({ table: publishAdditive(def, crossCount(records, def), undefined, remainderTotals(records, def)), keys: crossKeySums(records, def) });
    else {
      const { withCounts, base, keys } = await codeDimensionCounts(def);
      out.push({ table: publishPerColumn(def, withCounts, base), keys });
    }
  }
  return out;
}

/**
 * What the statistics roles see: suppressed on the true counts (which cells are hidden is decided on the truth, as
 * the threshold rules state it), then every published figure perturbed by its cell key (ADR 0021).
 */
export async function commissionerTables(now = new Date()): Promise<PublishedTable[]> {
  return (await suppressedTables(now)).map(({ table, keys }) => perturbFigures(table, keys));
}

/** What /statistics and its CSV show: this month's frozen tables (releases.server.ts, ADR 0017). */
export function publishedTables(now = new Date()) {
  return released("statistics", commissionerTables, now);
}
