// The case list: filters, sorting and paging read from the URL (anything invalid is ignored), and the gap
// filter, which keeps cases whose current value of one indicator is missing, unknown or stale.
import { db, type Prisma } from "../db/client.server.ts";
import { caseScope, municipalityScope, municipalityWhere, type Grant } from "../permissions/permissions.server.ts";
import { currentValues, gapState, type GapState } from "../indicators/current.server.ts";
import { CASE_GROUPS, CASE_STATUSES, type CaseGroup } from "./case-fields.ts";
import { GAP_FILTERS, PAGE_SIZE, SORT_KEYS, type GapFilter, type SortKey } from "./case-list.ts";
import { byGermanName } from "../statistics/order.ts";


export type IndicatorOption = { id: string; code: string; labelDe: string; labelEn: string; stalenessMonths: number; category: string };

export type CaseListQuery = {
  page: number;
  sort: SortKey;
  dir: "asc" | "desc";
  municipalityId?: string;
  /** part of a pseudonym ("LOE-2016-0003", "2016-00"), upper case */
  pseudonym?: string;
  status?: (typeof CASE_STATUSES)[number];
  group?: CaseGroup;
  indicator?: IndicatorOption;
  gap?: GapFilter;
};

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined => (v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined);

/** Active soft indicators, the ones with gaps worth filtering by. */
export async function gapIndicators(): Promise<IndicatorOption[]> {
  return db.indicatorDefinition.findMany({
    where: { active: true, category: "soft" },
    select: { id: true, code: true, labelDe: true, labelEn: true, stalenessMonths: true, category: true },
    orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
  });
}

/**
 * Reads the list parameters. Municipalities outside scope and unknown indicators are dropped, not refused;
 * a drill-down may also name an active hard indicator, which is then looked up on its own.
 */
export async function parseCaseListQuery(params: URLSearchParams, ctx: { municipalityIds: string[]; indicators: IndicatorOption[] }): Promise<CaseListQuery> {
  const page = Number(params.get("page"));
  const query: CaseListQuery = {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    sort: oneOf(SORT_KEYS, params.get("sort")) ?? "pseudonym",
    dir: params.get("dir") === "desc" ? "desc" : "asc",
    municipalityId: oneOf(ctx.municipalityIds, params.get("municipality")),
    status: oneOf(CASE_STATUSES, params.get("status")),
    group: oneOf(CASE_GROUPS, params.get("group")),
  };
  const pseudonym = (params.get("q") ?? "").trim().toUpperCase().slice(0, 30);
  if (pseudonym) query.pseudonym = pseudonym;
  const code = params.get("indicator");
  if (code) {
    query.indicator =
      ctx.indicators.find((i) => i.code === code) ??
      (await db.indicatorDefinition.findFirst({
        where: { code, active: true },
        select: { id: true, code: true, labelDe: true, labelEn: true, stalenessMonths: true, category: true },
      })) ??
      undefined;
    // An indicator alone means "any gap".
    if (query.indicator) query.gap = oneOf(GAP_FILTERS, params.get("gap")) ?? "open";
  }
  return query;
}

export function matchesGap(state: GapState, gap: GapFilter): boolean {
  return gap === "open" ? state !== "current" : state === gap;
}

function orderBy(sort: SortKey, dir: "asc" | "desc"): Prisma.CaseOrderByWithRelationInput[] {
  // The pseudonym breaks ties, so paging is stable.
  switch (sort) {
    case "municipality":
      return [{ municipality: { name: dir } }, { pseudonym: "asc" }];
    case "start":
      return [{ imStart: dir }, { pseudonym: "asc" }];
    case "status":
      return [{ status: dir }, { pseudonym: "asc" }];
    default:
      return [{ pseudonym: dir }];
  }
}

const rowSelect = {
  id: true,
  pseudonym: true,
  group: true,
  imStart: true,
  status: true,
  municipality: { select: { name: true } },
} satisfies Prisma.CaseSelect;

export async function listCases(grant: Grant, query: CaseListQuery, { now = new Date(), gapCountIndicators }: { now?: Date; gapCountIndicators: IndicatorOption[] }) {
  const where: Prisma.CaseWhereInput = {
    AND: [
      caseScope(grant),
      query.municipalityId ? { municipalityId: query.municipalityId } : {},
      query.pseudonym ? { pseudonym: { contains: query.pseudonym } } : {},
      query.status ? { status: query.status } : {},
      query.group ? { group: query.group } : {},
    ],
  };
  const order = orderBy(query.sort, query.dir);
  let total: number;
  let pageIds: string[] | null = null;
  let page = query.page;
  if (query.indicator && query.gap) {
    // The latest observation decides, which a where clause cannot express: classify every case in
    // scope (ids only), then load the one page of rows.
    const { indicator, gap } = query;
    const [ordered, current] = await Promise.all([db.case.findMany({ where, orderBy: order, select: { id: true } }), currentValues({ municipalities: municipalityScope(grant), municipalityId: query.municipalityId, status: query.status, group: query.group }, [indicator], now)]);
    const matching = ordered.filter((c) => matchesGap(gapState(current.get(c.id)?.get(indicator.id)), gap)).map((c) => c.id);
    total = matching.length;
    page = Math.min(page, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    pageIds = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  } else {
    total = await db.case.count({ where });
    page = Math.min(page, Math.max(1, Math.ceil(total / PAGE_SIZE)));
  }
  let rows = pageIds
    ? await db.case.findMany({ where: { AND: [where, { id: { in: pageIds } }] }, select: rowSelect })
    : await db.case.findMany({ where, orderBy: order, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE, select: rowSelect });
  if (pageIds) {
    const position = new Map(pageIds.map((id, i) => [id, i]));
    rows = rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  }
  const openGaps = await countOpenGaps(rows.map((r) => r.id), gapCountIndicators, now);
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((r) => ({ ...r, municipality: r.municipality.name, openGaps: openGaps.get(r.id) ?? 0 })),
  };
}

/** Per case: how many of the indicators have no current value (missing, unknown or stale). */
export async function countOpenGaps(caseIds: string[], indicators: IndicatorOption[], now = new Date()) {
  const counts = new Map<string, number>();
  if (caseIds.length === 0 || indicators.length === 0) return counts;
  const current = await currentValues({ municipalities: "all", ids: caseIds }, indicators, now); // ids of a scoped list
  for (const id of caseIds) {
    const perCase = current.get(id);
    counts.set(id, indicators.filter((i) => gapState(perCase?.get(i.id)) !== "current").length);
  }
  return counts;
}

/** Filter choices: the caller's municipalities only. */
export async function filterMunicipalities(grant: Grant) {
  // German order (Schönau before Schwörstadt): the database sorts by bytes.
  return (await db.municipality.findMany({ where: municipalityWhere(grant), select: { id: true, name: true } })).sort(byGermanName);
}
