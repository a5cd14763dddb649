// Data-gap figures: for each indicator and municipality, how many ACTIVE cases have a known current value
// (current or stale; "not applicable" is a known answer), how many of those are stale, and how many are
// unknown or missing. Integration managers and admins see counts and shares of their scope with links to
// the cases; the commissioner and researchers see the whole district as counts with small cells suppressed and the
// published ones perturbed by the cell key method (ADR 0021).
import { db } from "../db/client.server.ts";
import { requireUser } from "../auth/session.server.ts";
import { hasPermission, municipalityScope, municipalityWhere, requirePermission, type Grant } from "../permissions/permissions.server.ts";
import { gapCountsByMunicipality, gapKeySumsByMunicipality, type CaseSelection, type GapCounts, type GapKeySums } from "../indicators/current.server.ts";
import { type Dimension, type DashboardFilters } from "./filters.ts";
import { suppressMargin, suppressTable } from "../statistics/suppression.ts";
import { byGermanName } from "../statistics/order.ts";
import { released } from "../statistics/releases.server.ts";
import { perturbFigures } from "../statistics/cell-key.ts";

export type DashboardAccess =
  | { mode: "cases"; grant: Grant; canReadCases: boolean } // counts of the own scope, drill-down to cases
  | { mode: "suppressed"; grant: Grant }; // whole district, disclosure control, no case lists

/** The dashboard's permission check: read:dashboard (cases), else read:statistics:suppressed, else 403. */
export async function requireDashboardAccess(request: Request): Promise<DashboardAccess> {
  const user = await requireUser(request);
  if (hasPermission(user, "read", "dashboard")) {
    const grant = await requirePermission(request, "read", "dashboard");
    return { mode: "cases", grant, canReadCases: hasPermission(user, "read", "case") };
  }
  const grant = await requirePermission(request, "read", "statistics");
  if (grant.access !== "suppressed") throw new Response("forbidden", { status: 403 });
  return { mode: "suppressed", grant };
}

const emptyCounts = (): GapCounts => ({ total: 0, current: 0, stale: 0, unknown: 0, missing: 0 });

export async function dashboardIndicators(dimension: Dimension | null) {
  return db.indicatorDefinition.findMany({
    where: { active: true, category: { in: ["hard", "soft"] }, ...(dimension ? { dimension: dimension === "none" ? null : dimension } : {}) },
    select: { id: true, code: true, labelDe: true, labelEn: true, category: true, dimension: true, stalenessMonths: true },
    orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
  });
}

type Indicator = Awaited<ReturnType<typeof dashboardIndicators>>[number];

/**
 * Counts per indicator and municipality for the active cases of `selection` (scope included by the caller).
 * Returns the cases per municipality and indicatorId -> municipalityId -> counts.
 */
export function gapCounts(selection: CaseSelection, indicators: Indicator[], now = new Date()) {
  return gapCountsByMunicipality({ ...selection, status: "active" }, indicators, now);
}

/** One row of a table: null = suppressed; a share is null when it is not computable from published cells. */
export type GapRow = {
  total: number | null;
  current: number | null;
  stale: number | null;
  unknownOrMissing: number | null;
  knownShare: number | null;
  staleShare: number | null;
};

export type DashboardModel = {
  mode: DashboardAccess["mode"];
  municipalities: { id: string; ags: string; name: string }[];
  indicators: {
    code: string;
    labelDe: string;
    labelEn: string;
    category: string;
    dimension: string | null;
    /** one per municipality, same order */
    rows: GapRow[];
    sum: GapRow;
  }[];
  /** suppressed view only: the month's frozen figures (releases.server.ts) */
  release?: { asOf: Date; nextFrom: string };
};

function shares(total: number | null, current: number | null, stale: number | null, unknownOrMissing: number | null) {
  const known = current !== null && stale !== null ? current + stale : total !== null && unknownOrMissing !== null ? total - unknownOrMissing : null;
  const staleCount = stale ?? (total !== null && current !== null && unknownOrMissing !== null ? total - current - unknownOrMissing : null);
  const ok = total !== null && total > 0;
  // Perturbed figures need not add up (ADR 0021): a share is kept within 0..100 %.
  const share = (part: number) => Math.min(1, Math.max(0, part / total!));
  return { knownShare: ok && known !== null ? share(known) : null, staleShare: ok && staleCount !== null ? share(staleCount) : null };
}

function openRow(c: GapCounts): GapRow {
  const unknownOrMissing = c.unknown + c.missing;
  return { total: c.total, current: c.current, stale: c.stale, unknownOrMissing, ...shares(c.total, c.current, c.stale, unknownOrMissing) };
}

export async function dashboardModel(access: DashboardAccess, filters: DashboardFilters, now = new Date()): Promise<DashboardModel> {
  const indicators = await dashboardIndicators(filters.dimension);
  if (access.mode === "cases") {
    // The scope goes into the query: another municipality's cases are never read.
    const { casesByMunicipality, counts } = await gapCounts({ municipalities: municipalityScope(access.grant), group: filters.group }, indicators, now);
    const inScope = (await db.municipality.findMany({ where: municipalityWhere(access.grant), select: { id: true, ags: true, name: true } })).sort(byGermanName);
    // Admins: municipalities with cases; integration managers: all of theirs (few, and they expect them).
    const municipalities = inScope.filter((m) => access.grant.access === "own" || (casesByMunicipality.get(m.id) ?? 0) > 0);
    return {
      mode: "cases",
      municipalities,
      indicators: indicators.map((ind) => {
        const per = counts.get(ind.id)!;
        const rows = municipalities.map((m) => openRow(per.get(m.id) ?? emptyCounts()));
        const sum = emptyCounts();
        for (const m of municipalities) {
          const c = per.get(m.id);
          if (!c) continue;
          for (const k of Object.keys(sum) as (keyof GapCounts)[]) sum[k] += c[k];
        }
        return { code: ind.code, labelDe: ind.labelDe, labelEn: ind.labelEn, category: ind.category, dimension: ind.dimension, rows, sum: openRow(sum) };
      }),
    };
  }

  // The statistics roles get this month's frozen figures of every indicator (ADR 0017); a dimension only selects
  // among them (each indicator's table is suppressed on its own, with the same locked municipality totals).
  const { figures, asOf, nextFrom } = await released("dashboard", districtModel, now);
  // Only the figures are frozen: labels come from today's definitions, so an administrator's correction of a
  // label reaches every view at once, not next month.
  const current = new Map(indicators.map((i) => [i.code, i]));
  return {
    ...figures,
    indicators: figures.indicators.flatMap((i) => {
      const def = current.get(i.code);
      return def ? [{ ...i, labelDe: def.labelDe, labelEn: def.labelEn }] : [];
    }),
    release: { asOf, nextFrom },
  };
}

/** Whole district, every active indicator, suppressed on the true counts and then perturbed: what the statistics roles may see. */
export async function districtModel(now = new Date()): Promise<DashboardModel> {
  const indicators = await dashboardIndicators(null);
  // Aggregates only, never split by group: each filtered table would be suppressed on its
  // own, and comparing them with the unfiltered one could recover a hidden small cell by differencing.
  // The municipality totals are the same in every indicator's table, so
  // their suppression is decided once (suppressMargin) and locked: no table may publish what another hides.
  const { casesByMunicipality, counts } = await gapCounts({ municipalities: "all" }, indicators, now);
  // The record keys behind each count: a municipality's total has the same cases, so the same value, in every table.
  const { keysByMunicipality, sums } = await gapKeySumsByMunicipality({ municipalities: "all", status: "active" }, indicators, now);
  // Every municipality, and 0 counts as small: listing only places with cases, or a 0 beside ".", would tell the
  // empty villages from those with a few persons (with a narrative's "very small municipality", one family).
  const municipalities = (await db.municipality.findMany({ select: { id: true, ags: true, name: true } })).sort(byGermanName);
  const margin = suppressMargin(
    municipalities.map((m) => casesByMunicipality.get(m.id) ?? 0),
    undefined,
    { zerosSmall: true },
  );
  return {
    mode: "suppressed",
    municipalities,
    indicators: indicators.map((ind) => {
      const per = counts.get(ind.id)!;
      const cells = municipalities.map((m) => {
        const c = per.get(m.id) ?? emptyCounts();
        return [c.current, c.stale, c.unknown + c.missing];
      });
      const keysOf = sums.get(ind.id)!;
      const cellKeys = municipalities.map((m) => {
        const k: GapKeySums = keysOf.get(m.id) ?? { total: 0, current: 0, stale: 0, unknownOrMissing: 0 };
        return [k.current, k.stale, k.unknownOrMissing];
      });
      const rowKeys = municipalities.map((m) => keysByMunicipality.get(m.id) ?? 0);
      // Suppressed on the true counts, then each published figure (totals too) perturbed by its cell key.
      const table = perturbFigures(suppressTable(cells, { lockedRowTotals: margin, hiddenRows: margin.suppressed }), {
        cells: cellKeys,
        rowTotals: rowKeys,
        columnTotals: [0, 1, 2].map((c) => cellKeys.reduce((sum, row) => sum + row[c]!, 0)),
        grandTotal: rowKeys.reduce((a, b) => a + b, 0),
      });
      const row = (total: number | null, [current, stale, unknownOrMissing]: (number | null)[]): GapRow => ({
        total,
        current: current ?? null,
        stale: stale ?? null,
        unknownOrMissing: unknownOrMissing ?? null,
        ...shares(total, current ?? null, stale ?? null, unknownOrMissing ?? null),
      });
      return {
        code: ind.code,
        labelDe: ind.labelDe,
        labelEn: ind.labelEn,
        category: ind.category,
        dimension: ind.dimension,
        rows: table.cells.map((cellsOfRow, i) => row(table.rowTotals[i]!, cellsOfRow)),
        sum: row(table.grandTotal, table.columnTotals),
      };
    }),
  };
}
