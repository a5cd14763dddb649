// Integration plans: a dated plan with one or more areas, each with its own status.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { requireCaseInScope } from "./cases.server.ts";

export async function listPlans(grant: Grant, caseId: string) {
  await requireCaseInScope(grant, caseId);
  return db.integrationPlan.findMany({
    where: { caseId, case: caseScope(grant) },
    select: { id: true, drawnUpAt: true, areas: { select: { id: true, area: true, status: true } } },
    orderBy: [{ drawnUpAt: "desc" }, { createdAt: "desc" }],
  });
}

export async function createPlan(request: Request | null, grant: Grant, caseId: string, input: { drawnUpAt: Date; areas: { area: string; status: string }[] }) {
  return db.$transaction(async (tx) => {
    await requireCaseInScope(grant, caseId, tx);
    const plan = await tx.integrationPlan.create({
      data: { caseId, drawnUpAt: input.drawnUpAt, createdById: grant.user.id, areas: { create: input.areas } },
      select: { id: true },
    });
    await audit(request, grant.user, { action: "plan.create", entity: "case", entityId: caseId, detail: { planId: plan.id, areas: input.areas.map((a) => a.area) } }, tx);
    return plan;
  });
}

export async function updatePlanAreaStatus(request: Request | null, grant: Grant, caseId: string, areaId: string, status: string) {
  await db.$transaction(async (tx) => {
    const area = await tx.integrationPlanArea.findFirst({ where: { id: areaId, plan: { caseId, case: caseScope(grant) } }, select: { id: true, area: true, status: true, planId: true } });
    if (!area) throw notFound();
    if (area.status === status) return;
    await tx.integrationPlanArea.update({ where: { id: area.id }, data: { status } });
    await audit(request, grant.user, { action: "plan.area.update", entity: "case", entityId: caseId, detail: { planId: area.planId, area: area.area, from: area.status, to: status } }, tx);
  });
}
