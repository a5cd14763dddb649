// The cases behind one dashboard cell (indicator x municipality), for users who may read cases. The
// municipality must be in the user's scope (404 otherwise) and the case query carries the scope itself.
import { db, type Prisma } from "../db/client.server.ts";
import { caseScope, municipalityScope, municipalityWhere, type Grant } from "../permissions/permissions.server.ts";
import { currentValues } from "../indicators/current.server.ts";
import { displayState, type DisplayState } from "../indicators/format.ts";
import { notFound } from "../utils/responses.server.ts";
import type { CaseGroup } from "../cases/case-fields.ts";

export async function cellCases(grant: Grant, params: { indicator: string; municipalityId: string; group: CaseGroup | null }, now = new Date()) {
  const municipality = await db.municipality.findFirst({
    where: { AND: [{ id: params.municipalityId }, municipalityWhere(grant)] },
    select: { id: true, name: true },
  });
  if (!municipality) throw notFound();
  const indicator = await db.indicatorDefinition.findFirst({
    where: { code: params.indicator, active: true },
    select: { id: true, code: true, labelDe: true, labelEn: true, stalenessMonths: true },
  });
  if (!indicator) throw notFound();
  const where: Prisma.CaseWhereInput = {
    AND: [caseScope(grant), { municipalityId: municipality.id, status: "active" }, params.group ? { group: params.group } : {}],
  };
  const cases = await db.case.findMany({ where, select: { id: true, pseudonym: true }, orderBy: { pseudonym: "asc" } });
  const current = await currentValues({ municipalities: municipalityScope(grant), municipalityId: municipality.id, status: "active", group: params.group }, [indicator], now);
  const order: DisplayState[] = ["missing", "unknown", "stale", "not_applicable", "current"];
  const rank = (s: DisplayState) => order.indexOf(s);
  const rows = cases
    .map((c) => {
      const value = current.get(c.id)?.get(indicator.id);
      return { id: c.id, pseudonym: c.pseudonym, state: displayState(value), observedAt: value?.observedAt ?? null };
    })
    .sort((a, b) => rank(a.state) - rank(b.state) || a.pseudonym.localeCompare(b.pseudonym));
  return { municipality, indicator, cases: rows };
}
