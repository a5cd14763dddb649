// The work list: active cases in scope whose hard or soft indicators lack a current known value (missing,
// unknown or stale), the case whose data was updated longest ago first, so the oldest gaps come up first.
import { db } from "../db/client.server.ts";
import { municipalityScope, municipalityWhere, type Grant } from "../permissions/permissions.server.ts";
import { caseCurrency, currentValues, gapState } from "../indicators/current.server.ts";
import { byGermanName } from "../statistics/order.ts";

export const WORKLIST_PAGE_SIZE = 25;

export type OpenIndicator = { code: string; labelDe: string; labelEn: string; state: "missing" | "unknown" | "stale" };

export async function worklist(grant: Grant, options: { page: number; municipalityId: string | null }, now = new Date()) {
  const municipalities = (await db.municipality.findMany({ where: municipalityWhere(grant), select: { id: true, name: true } })).sort(byGermanName);
  // A municipality outside the scope is simply not offered (and ignored when typed into the URL).
  const municipalityId = municipalities.some((m) => m.id === options.municipalityId) ? options.municipalityId : null;
  const selection = { municipalities: municipalityScope(grant), status: "active", municipalityId };
  const indicators = await db.indicatorDefinition.findMany({
    where: { active: true, category: { in: ["hard", "soft"] } },
    select: { id: true, code: true, labelDe: true, labelEn: true, stalenessMonths: true },
    orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
  });
  // Counted by the database for every case; the open indicators are read for the page's cases only.
  const cases = await caseCurrency(selection, indicators, now);
  const open = cases.filter((c) => c.current < indicators.length);
  const complete = cases.length - open.length;
  // Never updated first, then the oldest last observation; the pseudonym keeps the order stable.
  open.sort((a, b) => (a.lastObservedAt?.getTime() ?? -Infinity) - (b.lastObservedAt?.getTime() ?? -Infinity) || a.pseudonym.localeCompare(b.pseudonym));
  const pageCount = Math.max(1, Math.ceil(open.length / WORKLIST_PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page), pageCount);
  const shown = open.slice((page - 1) * WORKLIST_PAGE_SIZE, page * WORKLIST_PAGE_SIZE);
  const current = await currentValues({ ...selection, ids: shown.map((c) => c.id) }, indicators, now);
  return {
    municipalities,
    municipalityId,
    total: open.length,
    complete,
    page,
    pageCount,
    cases: shown.map((c) => {
      const values = current.get(c.id);
      const gaps: OpenIndicator[] = [];
      for (const ind of indicators) {
        const state = gapState(values?.get(ind.id));
        if (state !== "current") gaps.push({ code: ind.code, labelDe: ind.labelDe, labelEn: ind.labelEn, state });
      }
      return { id: c.id, pseudonym: c.pseudonym, municipality: c.municipality, lastObservedAt: c.lastObservedAt, gaps };
    }),
  };
}
