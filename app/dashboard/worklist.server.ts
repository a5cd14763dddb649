// The work list: active cases in scope whose hard or soft indicators lack a current known value (missing,
// unknown or stale), the case whose data was updated longest ago first, so the oldest gaps come up first.
import { db, type Prisma } from "../db/client.server.ts";
import { caseScope, municipalityWhere, type Grant } from "../permissions/permissions.server.ts";
import { currentValues, gapState } from "../indicators/current.server.ts";
import { byGermanName } from "../statistics/order.ts";

export const WORKLIST_PAGE_SIZE = 25;

export type OpenIndicator = { code: string; labelDe: string; labelEn: string; state: "missing" | "unknown" | "stale" };

export async function worklist(grant: Grant, options: { page: number; municipalityId: string | null }, now = new Date()) {
  const municipalities = (await db.municipality.findMany({ where: municipalityWhere(grant), select: { id: true, name: true } })).sort(byGermanName);
  // A municipality outside the scope is simply not offered (and ignored when typed into the URL).
  const municipalityId = municipalities.some((m) => m.id === options.municipalityId) ? options.municipalityId : null;
  const where: Prisma.CaseWhereInput = { AND: [caseScope(grant), { status: "active" }, municipalityId ? { municipalityId } : {}] };
  const indicators = await db.indicatorDefinition.findMany({
    where: { active: true, category: { in: ["hard", "soft"] } },
    select: { id: true, code: true, labelDe: true, labelEn: true, stalenessMonths: true },
    orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
  });
  const cases = await db.case.findMany({ where, select: { id: true, pseudonym: true, municipality: { select: { name: true } } } });
  const current = await currentValues(where, indicators, now);

  const open = [];
  let complete = 0;
  for (const c of cases) {
    const values = current.get(c.id);
    let lastObservedAt: Date | null = null;
    const gaps: OpenIndicator[] = [];
    for (const ind of indicators) {
      const value = values?.get(ind.id);
      if (value && (!lastObservedAt || value.observedAt > lastObservedAt)) lastObservedAt = value.observedAt;
      const state = gapState(value);
      if (state !== "current") gaps.push({ code: ind.code, labelDe: ind.labelDe, labelEn: ind.labelEn, state });
    }
    if (gaps.length === 0) complete++;
    else open.push({ id: c.id, pseudonym: c.pseudonym, municipality: c.municipality.name, lastObservedAt, gaps });
  }
  // Never updated first, then the oldest last observation; the pseudonym keeps the order stable.
  open.sort((a, b) => (a.lastObservedAt?.getTime() ?? -Infinity) - (b.lastObservedAt?.getTime() ?? -Infinity) || a.pseudonym.localeCompare(b.pseudonym));
  const pageCount = Math.max(1, Math.ceil(open.length / WORKLIST_PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page), pageCount);
  return {
    municipalities,
    municipalityId,
    total: open.length,
    complete,
    page,
    pageCount,
    cases: open.slice((page - 1) * WORKLIST_PAGE_SIZE, page * WORKLIST_PAGE_SIZE),
  };
}
