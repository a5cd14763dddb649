// Counselling contacts of a case. The case's scope is part of every query.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { requireCaseInScope } from "./cases.server.ts";
import type { CONTACT_KINDS } from "./case-fields.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";

export type ContactInput = { date: Date; kind: (typeof CONTACT_KINDS)[number]; durationMinutes: number };

export async function listContacts(grant: Grant, caseId: string) {
  await requireCaseInScope(grant, caseId);
  return db.contact.findMany({
    where: { caseId, case: caseScope(grant) },
    select: { id: true, date: true, kind: true, durationMinutes: true },
    orderBy: [{ date: "desc" }, { createdAt: "desc" }],
  });
}

export async function addContact(request: Request | null, grant: Grant, caseId: string, input: ContactInput) {
  return db.$transaction(async (tx) => {
    await requireCaseInScope(grant, caseId, tx);
    const contact = await tx.contact.create({ data: { caseId, ...input, createdById: grant.user.id }, select: { id: true } });
    await audit(request, grant.user, { action: "contact.create", entity: "case", entityId: caseId, detail: { contactId: contact.id, kind: input.kind } }, tx);
    return contact;
  });
}

/** Deletes a contact for good; the audit entry names the legal ground and the optional note. */
export async function deleteContact(request: Request | null, grant: Grant, caseId: string, contactId: string, erasure: { ground: ErasureGround; note?: string | undefined }) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.contact.deleteMany({ where: { id: contactId, caseId, case: caseScope(grant) } });
    if (count === 0) throw notFound();
    await audit(request, grant.user, { action: "contact.delete", entity: "case", entityId: caseId, detail: { contactId, ...erasureAuditDetail(erasure) } }, tx);
  });
}
