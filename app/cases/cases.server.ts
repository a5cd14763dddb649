// Cases of the register. Every function takes the caller's grant and puts its scope into the query, so a
// case of another municipality is never read: for the caller it does not exist (404).
import { db, type Db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, counsellingCaseScope, municipalityWhere, type Grant } from "../permissions/permissions.server.ts";
import { writeIdentity } from "../identity/identity.server.ts";
import { IDENTITY_FIELDS, type IdentityData } from "../identity/identity.ts";
import { notFound } from "../utils/responses.server.ts";
import { mergeFields, pickMerged, type FormValues } from "../utils/field-merge.ts";
import { nextPseudonym, withConflictRetry } from "./pseudonym.server.ts";
import { CASE_FORM_FIELDS, type ArchiveReason, type CaseFormField, type CaseGroup } from "./case-fields.ts";
import { byGermanName } from "../statistics/order.ts";
import { caseChanged } from "../../search/hooks.server.ts";
import { newRecordKey } from "../statistics/record-key.server.ts";

// A second tab archived or reactivated the case meanwhile.
const conflict = () => new Response("conflict", { status: 409, statusText: "Conflict" });

export type CaseFields = { municipalityId: string; group: CaseGroup; imStart: Date };

/** Municipalities the grant covers, by name; `activeOnly` for new assignments (plus `keepId`, the current one). */
export async function municipalityOptions(grant: Grant, { activeOnly = false, keepId }: { activeOnly?: boolean; keepId?: string } = {}) {
  const rows = await db.municipality.findMany({
    where: { ...municipalityWhere(grant), ...(activeOnly ? { OR: [{ active: true }, ...(keepId ? [{ id: keepId }] : [])] } : {}) },
    select: { id: true, name: true },
  });
  // German order (Häg-Ehrsberg before Hausen): the database sorts by bytes.
  return rows.sort(byGermanName);
}

/** The case header every case page shows, or 404. */
export async function getCaseHeader(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({
    where: { id: caseId, ...caseScope(grant) },
    select: { id: true, pseudonym: true, status: true, municipality: { select: { name: true } } },
  });
  if (!row) throw notFound();
  return row;
}

/**
 * Cases research knows: those with an interview. Researchers have no register scope; a case without an interview
 * does not exist for them (404), whatever its id.
 */
export const researchCaseWhere = { interviews: { some: {} } } satisfies Prisma.CaseWhereInput;

/** The header for researchers (pseudonym, municipality, status: what their interview pages show anyway), or 404. */
export async function getResearchCaseHeader(caseId: string) {
  const row = await db.case.findFirst({
    where: { id: caseId, ...researchCaseWhere },
    select: { id: true, pseudonym: true, status: true, municipality: { select: { name: true } } },
  });
  if (!row) throw notFound();
  return row;
}

/** Whether the grant may read the case's counselling side (timeline, notes): see counsellingCaseScope. */
export async function isLinkedCase(grant: Grant, caseId: string): Promise<boolean> {
  return (await db.case.count({ where: { AND: [{ id: caseId }, counsellingCaseScope(grant)] } })) > 0;
}

/** Only checks that the case exists within scope (for actions on its sub-records). */
export async function requireCaseInScope(grant: Grant, caseId: string, client: Pick<Db, "case"> = db) {
  const row = await client.case.findFirst({ where: { id: caseId, ...caseScope(grant) }, select: { id: true, imStart: true, status: true, householdId: true } });
  if (!row) throw notFound();
  return row;
}

export async function getCaseOverview(grant: Grant, caseId: string) {
  const scope = caseScope(grant);
  const row = await db.case.findFirst({
    where: { id: caseId, ...scope },
    select: {
      id: true,
      group: true,
      imStart: true,
      status: true,
      archiveReason: true,
      archivedAt: true,
      household: {
        select: {
          // Members outside the caller's municipalities stay invisible.
          cases: { where: { id: { not: caseId }, ...scope }, select: { id: true, pseudonym: true }, orderBy: { pseudonym: "asc" } },
        },
      },
      contacts: { select: { id: true, date: true, kind: true, durationMinutes: true }, orderBy: [{ date: "desc" }, { createdAt: "desc" }], take: 5 },
      plans: {
        select: { id: true, drawnUpAt: true, areas: { select: { area: true, status: true } } },
        orderBy: [{ drawnUpAt: "desc" }, { createdAt: "desc" }],
        take: 1,
      },
      _count: { select: { contacts: true } },
    },
  });
  if (!row) throw notFound();
  const { household, plans, _count, ...rest } = row;
  return { ...rest, householdMembers: household?.cases ?? [], currentPlan: plans[0] ?? null, contactCount: _count.contacts };
}

export async function getCaseFields(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({
    where: { id: caseId, ...caseScope(grant) },
    select: { id: true, municipalityId: true, group: true, imStart: true, status: true, archiveReason: true, archivedAt: true },
  });
  if (!row) throw notFound();
  return row;
}

function hasIdentityValues(identity: IdentityData | null): identity is IdentityData {
  return !!identity && IDENTITY_FIELDS.some((f) => (identity[f] ?? "") !== "");
}

/**
 * Creates a case with a fresh pseudonym, and its identity record when any identity field is filled, in one
 * transaction: if any step fails, nothing is saved. `client` exists so tests can race two connections.
 */
export async function createCase(request: Request | null, grant: Grant, fields: CaseFields, identity: IdentityData | null, client: Db = db) {
  const year = fields.imStart.getUTCFullYear();
  return withConflictRetry(() =>
    client.$transaction(
      async (tx) => {
        const municipality = await tx.municipality.findFirst({ where: { id: fields.municipalityId, active: true, ...municipalityWhere(grant) }, select: { id: true } });
        if (!municipality) throw notFound();
        const pseudonym = await nextPseudonym(tx, year);
        const created = await tx.case.create({
          data: { recordKey: newRecordKey(), pseudonym, municipalityId: fields.municipalityId, group: fields.group, imStart: fields.imStart, createdById: grant.user.id },
          select: { id: true, pseudonym: true },
        });
        await audit(request, grant.user, { action: "case.create", entity: "case", entityId: created.id, detail: { pseudonym, municipalityId: fields.municipalityId, group: fields.group } }, tx);
        if (hasIdentityValues(identity)) await writeIdentity(request, grant.user, created.id, identity, tx);
        return created;
      },
      // Creations queue on SQLite's single writer; give them time rather than failing under load.
      { maxWait: 15_000, timeout: 15_000 },
    ),
  );
}

/** The case's fields as its edit form holds them (the base of a three-way merge, app/utils/field-merge.ts). */
export function caseFormValues(fields: CaseFields): FormValues<CaseFormField> {
  return { municipalityId: fields.municipalityId, group: fields.group, imStart: fields.imStart.toISOString().slice(0, 10) };
}

export type CaseUpdate = { changed: string[]; keptTheirs: CaseFormField[] } | { conflicts: CaseFormField[]; current: FormValues<CaseFormField>; nextBase: FormValues<CaseFormField>; proposed: FormValues<CaseFormField> };

/**
 * Changes municipality, group and start; audits the names of the changed fields. `base` (the values the form was
 * loaded with) merges a save with one made meanwhile; fields both changed are refused (nothing saved).
 */
export async function updateCase(request: Request | null, grant: Grant, caseId: string, mine: CaseFields, base: Partial<FormValues<CaseFormField>> | null = null): Promise<CaseUpdate> {
  return db.$transaction(async (tx) => {
    const before = await tx.case.findFirst({ where: { id: caseId, ...caseScope(grant) }, select: { municipalityId: true, group: true, imStart: true } });
    if (!before) throw notFound();
    const theirs: CaseFields = { ...before, group: before.group as CaseGroup };
    const current = caseFormValues(theirs);
    const merge = mergeFields(CASE_FORM_FIELDS, base, caseFormValues(mine), current);
    if (merge.conflicts.length) return { conflicts: merge.conflicts, current, nextBase: merge.nextBase, proposed: merge.proposed };
    const fields = pickMerged(merge.take, mine, theirs);
    const municipality = await tx.municipality.findFirst({ where: { id: fields.municipalityId, ...municipalityWhere(grant) }, select: { id: true } });
    if (!municipality) throw notFound();
    const changed: string[] = [];
    if (before.municipalityId !== fields.municipalityId) changed.push("municipalityId");
    if (before.group !== fields.group) changed.push("group");
    if (before.imStart.getTime() !== fields.imStart.getTime()) changed.push("imStart");
    if (changed.length === 0) return { changed, keptTheirs: merge.keptTheirs };
    await tx.case.update({ where: { id: caseId }, data: { municipalityId: fields.municipalityId, group: fields.group, imStart: fields.imStart } });
    // Search entries carry the case's municipality and group (who may find a note, the filters): in the same transaction.
    if (changed.includes("municipalityId") || changed.includes("group")) await caseChanged(tx, caseId);
    await audit(request, grant.user, { action: "case.update", entity: "case", entityId: caseId, detail: { changed } }, tx);
    return { changed, keptTheirs: merge.keptTheirs };
  });
}

export async function archiveCase(request: Request | null, grant: Grant, caseId: string, { reason, archivedAt }: { reason: ArchiveReason; archivedAt: Date }) {
  await db.$transaction(async (tx) => {
    const current = await requireCaseInScope(grant, caseId, tx);
    if (current.status !== "active") throw conflict();
    await tx.case.update({ where: { id: caseId }, data: { status: "archived", archiveReason: reason, archivedAt } });
    await audit(request, grant.user, { action: "case.archive", entity: "case", entityId: caseId, detail: { reason } }, tx);
  });
}

export async function reactivateCase(request: Request | null, grant: Grant, caseId: string) {
  await db.$transaction(async (tx) => {
    const current = await requireCaseInScope(grant, caseId, tx);
    if (current.status !== "archived") throw conflict();
    await tx.case.update({ where: { id: caseId }, data: { status: "active", archiveReason: null, archivedAt: null } });
    await audit(request, grant.user, { action: "case.reactivate", entity: "case", entityId: caseId }, tx);
  });
}
