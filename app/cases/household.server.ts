// Households group cases of people living together. Linking two cases that each belong to a household
// merges the two households into one.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";

export type LinkResult = { ok: true; householdId: string } | { ok: false; error: "notFound" | "self" | "already" };

/** Members of the case's household that the caller may see, the case itself included. */
export async function householdOf(grant: Grant, caseId: string) {
  const scope = caseScope(grant);
  const row = await db.case.findFirst({
    where: { id: caseId, ...scope },
    select: { householdId: true, household: { select: { cases: { where: scope, select: { id: true, pseudonym: true, status: true }, orderBy: { pseudonym: "asc" } } } } },
  });
  if (!row) throw notFound();
  return { householdId: row.householdId, members: row.household?.cases ?? [] };
}

/** Links the case with the case of that pseudonym (in the caller's scope) into one household. */
export async function linkHousehold(request: Request | null, grant: Grant, caseId: string, otherPseudonym: string): Promise<LinkResult> {
  return db.$transaction(async (tx) => {
    const scope = caseScope(grant);
    const self = await tx.case.findFirst({ where: { id: caseId, ...scope }, select: { id: true, householdId: true } });
    if (!self) throw notFound();
    // A case outside the caller's municipalities looks exactly like one that does not exist.
    const other = await tx.case.findFirst({ where: { pseudonym: otherPseudonym, ...scope }, select: { id: true, householdId: true } });
    if (!other) return { ok: false, error: "notFound" } as const;
    if (other.id === self.id) return { ok: false, error: "self" } as const;
    if (self.householdId && self.householdId === other.householdId) return { ok: false, error: "already" } as const;

    let householdId = self.householdId ?? other.householdId;
    let merged: string | null = null;
    if (!householdId) {
      householdId = (await tx.household.create({ data: {}, select: { id: true } })).id;
    } else if (self.householdId && other.householdId) {
      // Both have one: the other household's members move over and it is removed.
      merged = other.householdId;
      await tx.case.updateMany({ where: { householdId: merged }, data: { householdId } });
      await tx.household.delete({ where: { id: merged } });
    }
    await tx.case.updateMany({ where: { id: { in: [self.id, other.id] } }, data: { householdId } });
    for (const [subject, partner] of [[self.id, other.id], [other.id, self.id]] as const) {
      await audit(request, grant.user, { action: "household.link", entity: "case", entityId: subject, detail: { householdId, linkedWith: partner, ...(merged ? { mergedHousehold: merged } : {}) } }, tx);
    }
    return { ok: true, householdId } as const;
  });
}

/** Takes a case (in scope) out of its household; a household left with one member is dissolved. */
export async function unlinkHousehold(request: Request | null, grant: Grant, memberId: string) {
  await db.$transaction(async (tx) => {
    const member = await tx.case.findFirst({ where: { id: memberId, ...caseScope(grant), householdId: { not: null } }, select: { id: true, householdId: true } });
    if (!member?.householdId) throw notFound();
    const householdId = member.householdId;
    await tx.case.update({ where: { id: member.id }, data: { householdId: null } });
    const remaining = await tx.case.findMany({ where: { householdId }, select: { id: true } });
    const dissolved = remaining.length <= 1;
    if (dissolved) {
      await tx.case.updateMany({ where: { householdId }, data: { householdId: null } });
      await tx.household.delete({ where: { id: householdId } });
    }
    await audit(request, grant.user, { action: "household.unlink", entity: "case", entityId: member.id, detail: { householdId, dissolved } }, tx);
    for (const last of dissolved ? remaining : []) {
      await audit(request, grant.user, { action: "household.unlink", entity: "case", entityId: last.id, detail: { householdId, dissolved: true } }, tx);
    }
  });
}
