// The current value of an indicator for a case is its latest observation. This module turns snapshot
// history into per-case current states, the basis of the gap dashboard, the work list and filters.
// District-wide figures are counted by the database: reading every snapshot of 5,000 cases through Prisma to keep
// the latest in JavaScript took a second and more per page (npm run bench:register); only the latest observation
// of each case and indicator is read (`LATEST`, served by the index on caseId, indicatorId, observedAt), and the
// dashboard and work list get counts, not rows. `CROSS JOIN` keeps SQLite's join order (the selected cases first,
// then their snapshots by the index): from the indicator's index it probed every snapshot of the district, 4x slower;
// PostgreSQL plans it as any inner join.
import { db } from "../db/client.server.ts";
import { dialectOf, fromDbDate, Params, toDbDate, type Dialect } from "../../search/raw-sql.server.ts";
import { decodeValue, staleBefore, type SnapshotState } from "./values.ts";

/** missing = never recorded; the other states come from the latest snapshot. */
export type GapState = "current" | "stale" | "unknown" | "missing";

export type CurrentValue = {
  state: SnapshotState;
  value: unknown;
  observedAt: Date;
  stale: boolean;
};

export type IndicatorRef = { id: string; stalenessMonths: number };

/** The cases a figure covers, in terms SQL can state. The caller's scope is part of it (`municipalities`). */
export type CaseSelection = {
  /** the user's scope: these municipalities' cases, or all */
  municipalities: "all" | readonly string[];
  /** filters inside the scope */
  municipalityId?: string | null;
  status?: string | null;
  group?: string | null;
  ids?: readonly string[];
};

function caseFilter(selection: CaseSelection, p: Params): string {
  const parts: string[] = [];
  const within = (column: string, values: readonly string[]) => (values.length ? `c."${column}" IN (${p.list(values)})` : "1 = 0");
  if (selection.municipalities !== "all") parts.push(within("municipalityId", selection.municipalities));
  if (selection.ids) parts.push(within("id", selection.ids));
  if (selection.municipalityId) parts.push(`c."municipalityId" = ${p.add(selection.municipalityId)}`);
  if (selection.status) parts.push(`c."status" = ${p.add(selection.status)}`);
  if (selection.group) parts.push(`c."group" = ${p.add(selection.group)}`);
  return parts.length ? parts.join(" AND ") : "1 = 1";
}

/** No later observation of the same case and indicator (the later entry wins on the same moment, then the id). */
const LATEST = `NOT EXISTS (SELECT 1 FROM "Snapshot" n WHERE n."caseId" = s."caseId" AND n."indicatorId" = s."indicatorId"
  AND (n."observedAt" > s."observedAt" OR (n."observedAt" = s."observedAt" AND (n."createdAt" > s."createdAt" OR (n."createdAt" = s."createdAt" AND n."id" > s."id")))))`;

/** A date compared with a DateTime column: SQLite holds Prisma's ISO text, PostgreSQL a timestamp. */
function dateParam(p: Params, d: Date, dialect: Dialect): string {
  const placeholder = p.add(toDbDate(d, dialect));
  return dialect === "postgres" ? `CAST(${placeholder} AS timestamp(3))` : placeholder;
}

/** SQL for "this (latest) observation counts as current": known or not applicable, and observed recently enough. */
function currentSql(indicators: readonly IndicatorRef[], now: Date, p: Params, dialect: Dialect): string {
  const cutoff = `CASE s."indicatorId" ${indicators.map((i) => `WHEN ${p.add(i.id)} THEN ${dateParam(p, staleBefore(now, i.stalenessMonths), dialect)}`).join(" ")} END`;
  return `(s."state" <> 'unknown' AND s."observedAt" >= ${cutoff})`;
}

/**
 * Current values of the given indicators for every case in `selection`. Returns caseId -> indicatorId -> current
 * value (no entry: never recorded).
 */
export async function currentValues(selection: CaseSelection, indicators: IndicatorRef[], now = new Date()) {
  const result = new Map<string, Map<string, CurrentValue>>();
  if (!indicators.length) return result;
  const dialect = dialectOf(db);
  const p = new Params(dialect);
  const rows = await db.$queryRawUnsafe<{ caseId: string; indicatorId: string; state: string; value: string | null; observedAt: unknown }[]>(
    `SELECT s."caseId", s."indicatorId", s."state", s."value", s."observedAt" FROM "Case" c CROSS JOIN "Snapshot" s
     WHERE s."caseId" = c."id" AND ${caseFilter(selection, p)} AND s."indicatorId" IN (${p.list(indicators.map((i) => i.id))}) AND ${LATEST}`,
    ...p.values,
  );
  const staleFrom = new Map(indicators.map((i) => [i.id, staleBefore(now, i.stalenessMonths).getTime()]));
  for (const row of rows) {
    let perCase = result.get(row.caseId);
    if (!perCase) result.set(row.caseId, (perCase = new Map()));
    const observedAt = fromDbDate(row.observedAt)!;
    perCase.set(row.indicatorId, {
      state: row.state as SnapshotState,
      value: decodeValue(row.value),
      observedAt,
      stale: observedAt.getTime() < staleFrom.get(row.indicatorId)!,
    });
  }
  return result;
}

export type GapCounts = { total: number; current: number; stale: number; unknown: number; missing: number };

/**
 * Per municipality: how many cases the selection holds, and per indicator how many of them have a current, stale,
 * unknown or no value, counted by the database.
 */
export async function gapCountsByMunicipality(selection: CaseSelection, indicators: readonly IndicatorRef[], now = new Date()) {
  const { byMunicipality: casesByMunicipality, rows } = await gapAggregates(selection, indicators, now, "1");
  const counts = new Map<string, Map<string, GapCounts>>();
  for (const indicator of indicators) {
    counts.set(indicator.id, new Map([...casesByMunicipality].map(([m, total]) => [m, { total, current: 0, stale: 0, unknown: 0, missing: total }])));
  }
  for (const row of rows) {
    const cell = counts.get(row.indicatorId)?.get(row.municipalityId);
    if (!cell) continue;
    cell.unknown = row.unknown;
    cell.current = row.current;
    cell.stale = row.known - cell.unknown - cell.current;
    cell.missing = cell.total - row.known;
  }
  return { casesByMunicipality, counts };
}

/** Sums of the record keys of the cases in each gap count (cell key method, ADR 0021): never published themselves. */
export type GapKeySums = { total: number; current: number; stale: number; unknownOrMissing: number };

/**
 * The record keys behind gapCountsByMunicipality's counts, summed by the database alike: per municipality, and per
 * indicator and municipality. Keys are multiples of 2^-31; cellKey takes the sums back onto that grid.
 */
export async function gapKeySumsByMunicipality(selection: CaseSelection, indicators: readonly IndicatorRef[], now = new Date()) {
  const { byMunicipality: keysByMunicipality, rows } = await gapAggregates(selection, indicators, now, `c."recordKey"`);
  const sums = new Map<string, Map<string, GapKeySums>>();
  for (const indicator of indicators) {
    sums.set(indicator.id, new Map([...keysByMunicipality].map(([m, total]) => [m, { total, current: 0, stale: 0, unknownOrMissing: total }])));
  }
  for (const row of rows) {
    const cell = sums.get(row.indicatorId)?.get(row.municipalityId);
    if (!cell) continue;
    cell.current = row.current;
    cell.stale = row.known - row.unknown - cell.current;
    // unknown, or never recorded
    cell.unknownOrMissing = row.unknown + (cell.total - row.known);
  }
  return { keysByMunicipality, sums };
}

/**
 * What the gap counts and their key sums are made of, added up by the database: per municipality the cases of the
 * selection, and per indicator and municipality the cases whose latest value is unknown, current, or recorded at all.
 * `measure` is what each case adds: 1 (counts) or its record key (the cell key method's sums).
 */
async function gapAggregates(selection: CaseSelection, indicators: readonly IndicatorRef[], now: Date, measure: "1" | `c."recordKey"`) {
  const dialect = dialectOf(db);
  const p = new Params(dialect);
  const caseRows = await db.$queryRawUnsafe<{ municipalityId: string; n: unknown }[]>(
    `SELECT c."municipalityId", SUM(${measure}) AS "n" FROM "Case" c WHERE ${caseFilter(selection, p)} GROUP BY c."municipalityId"`,
    ...p.values,
  );
  const byMunicipality = new Map(caseRows.map((r) => [r.municipalityId, Number(r.n)]));
  if (!indicators.length || !caseRows.length) return { byMunicipality, rows: [] };
  const q = new Params(dialect);
  const current = currentSql(indicators, now, q, dialect);
  const rows = await db.$queryRawUnsafe<{ municipalityId: string; indicatorId: string; unknown: unknown; current: unknown; known: unknown }[]>(
    `SELECT c."municipalityId", s."indicatorId",
       SUM(CASE WHEN s."state" = 'unknown' THEN ${measure} ELSE 0 END) AS "unknown",
       SUM(CASE WHEN ${current} THEN ${measure} ELSE 0 END) AS "current",
       SUM(${measure}) AS "known"
     FROM "Case" c CROSS JOIN "Snapshot" s
     WHERE s."caseId" = c."id" AND ${caseFilter(selection, q)} AND s."indicatorId" IN (${q.list(indicators.map((i) => i.id))}) AND ${LATEST}
     GROUP BY c."municipalityId", s."indicatorId"`,
    ...q.values,
  );
  return {
    byMunicipality,
    rows: rows.map((r) => ({ municipalityId: r.municipalityId, indicatorId: r.indicatorId, unknown: Number(r.unknown), current: Number(r.current), known: Number(r.known) })),
  };
}

/**
 * Per case of the selection: how many of the indicators have a current value, and when the latest of their
 * values was observed (null: none recorded). For the work list, which orders every open case by that date.
 */
export async function caseCurrency(selection: CaseSelection, indicators: readonly IndicatorRef[], now = new Date()) {
  const dialect = dialectOf(db);
  const p = new Params(dialect);
  const current = indicators.length ? currentSql(indicators, now, p, dialect) : "1 = 0";
  const rows = await db.$queryRawUnsafe<{ id: string; pseudonym: string; municipality: string; lastObservedAt: unknown; current: unknown }[]>(
    `SELECT c."id", c."pseudonym", m."name" AS "municipality", MAX(s."observedAt") AS "lastObservedAt", SUM(CASE WHEN ${current} THEN 1 ELSE 0 END) AS "current"
     FROM "Case" c JOIN "Municipality" m ON m."id" = c."municipalityId"
     LEFT JOIN "Snapshot" s ON s."caseId" = c."id" AND s."indicatorId" IN (${indicators.length ? p.list(indicators.map((i) => i.id)) : "NULL"}) AND ${LATEST}
     WHERE ${caseFilter(selection, p)}
     GROUP BY c."id", c."pseudonym", m."name"`,
    ...p.values,
  );
  return rows.map((r) => ({ id: r.id, pseudonym: r.pseudonym, municipality: r.municipality, lastObservedAt: fromDbDate(r.lastObservedAt), current: Number(r.current ?? 0) }));
}

/** Classifies a current value for gap reporting. "Not applicable" counts as a known answer. */
export function gapState(current: CurrentValue | undefined): GapState {
  if (!current) return "missing";
  if (current.state === "unknown") return "unknown";
  return current.stale ? "stale" : "current";
}
