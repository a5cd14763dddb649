// Key figures for the ministry, per municipality and quarter: persons advised, counselling contacts,
// integration plans drawn up, active cases, integration managers assigned and the caseload per manager.
// Scope: the user's municipalities (integration managers) or all (admins), inside every query.
import { db, type Prisma } from "../db/client.server.ts";
import { caseScope, municipalityWhere, type Grant } from "../permissions/permissions.server.ts";
import type { Quarter } from "./quarter.ts";
import { byGermanName } from "../statistics/order.ts";

export type KeyFigures = {
  personsAdvised: number;
  contacts: number;
  plans: number;
  activeCases: number;
  managers: number;
  /** null when no manager is assigned */
  casesPerManager: number | null;
};

export type KeyFigureRow = KeyFigures & { municipalityId: string; ags: string; name: string };

const ratio = (cases: number, managers: number) => (managers > 0 ? cases / managers : null);

export async function keyFigures(grant: Grant, period: Quarter): Promise<{ rows: KeyFigureRow[]; total: KeyFigures }> {
  const inQuarter = { gte: period.start, lt: period.end };
  const scope: Prisma.CaseWhereInput = caseScope(grant);
  const municipalities = (await db.municipality.findMany({ where: municipalityWhere(grant), select: { id: true, ags: true, name: true } })).sort(byGermanName);

  const contacts = await db.contact.findMany({ where: { date: inQuarter, case: scope }, select: { caseId: true, case: { select: { municipalityId: true } } } });
  const plans = await db.integrationPlan.findMany({ where: { drawnUpAt: inQuarter, case: scope }, select: { case: { select: { municipalityId: true } } } });
  // Active on at least one day of the quarter: started before it ended and not archived before it began.
  const active = await db.case.groupBy({
    by: ["municipalityId"],
    where: { AND: [scope, { imStart: { lt: period.end } }, { OR: [{ status: "active" }, { archivedAt: { gte: period.start } }] }] },
    _count: { _all: true },
  });
  // Today's assignments: the register keeps no history of who served where.
  const assignments = await db.userMunicipality.findMany({
    where: { municipality: municipalityWhere(grant), user: { active: true, roles: { some: { role: "integration_manager" } } } },
    select: { userId: true, municipalityId: true },
  });

  const contactCount = new Map<string, number>();
  const advised = new Map<string, Set<string>>();
  for (const c of contacts) {
    const m = c.case.municipalityId;
    contactCount.set(m, (contactCount.get(m) ?? 0) + 1);
    if (!advised.has(m)) advised.set(m, new Set());
    advised.get(m)!.add(c.caseId);
  }
  const planCount = new Map<string, number>();
  for (const p of plans) planCount.set(p.case.municipalityId, (planCount.get(p.case.municipalityId) ?? 0) + 1);
  const activeCount = new Map(active.map((a) => [a.municipalityId, a._count._all]));
  const managerCount = new Map<string, number>();
  for (const a of assignments) managerCount.set(a.municipalityId, (managerCount.get(a.municipalityId) ?? 0) + 1);

  const rows = municipalities.map((m) => {
    const activeCases = activeCount.get(m.id) ?? 0;
    const managers = managerCount.get(m.id) ?? 0;
    return {
      municipalityId: m.id,
      ags: m.ags,
      name: m.name,
      personsAdvised: advised.get(m.id)?.size ?? 0,
      contacts: contactCount.get(m.id) ?? 0,
      plans: planCount.get(m.id) ?? 0,
      activeCases,
      managers,
      casesPerManager: ratio(activeCases, managers),
    };
  });
  const sum = (k: "personsAdvised" | "contacts" | "plans" | "activeCases") => rows.reduce((s, r) => s + r[k], 0);
  // A manager serving three municipalities is one person in the total.
  const managers = new Set(assignments.map((a) => a.userId)).size;
  const activeCases = sum("activeCases");
  return {
    rows,
    total: { personsAdvised: sum("personsAdvised"), contacts: sum("contacts"), plans: sum("plans"), activeCases, managers, casesPerManager: ratio(activeCases, managers) },
  };
}
