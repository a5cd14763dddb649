// Identity access for the case register: the case must lie within the caller's scope (checked in the
// query) before readIdentity / writeIdentity touch the encrypted record; both audit.
import { db } from "../db/client.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mergeFields, pickMerged } from "../utils/field-merge.ts";
import { readIdentity, readIdentityForWrite, writeIdentity } from "./identity.server.ts";
import { IDENTITY_FIELDS, identityFormValues, type IdentityData, type IdentityField, type IdentityFormValues } from "./identity.ts";

async function requireCase(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({ where: { id: caseId, ...caseScope(grant) }, select: { id: true } });
  if (!row) throw notFound();
}

/** Decrypts the identity record of a case in scope; every call writes an identity.view audit entry. */
export async function readCaseIdentity(request: Request, grant: Grant, caseId: string): Promise<IdentityData | null> {
  await requireCase(grant, caseId);
  return readIdentity(request, grant.user, caseId);
}

export type IdentityUpdate = { keptTheirs: IdentityField[] } | { conflicts: IdentityField[]; current: IdentityFormValues; nextBase: IdentityFormValues; proposed: IdentityFormValues };

/**
 * Writes the identity record of a case in scope. `base` (the values the form was loaded with) merges the save with
 * one made meanwhile, field by field; fields both changed are refused and nothing is written. The newer values the
 * refusal shows are a read of the record and audited as one.
 */
export async function writeCaseIdentity(request: Request, grant: Grant, caseId: string, data: IdentityData, base: Partial<IdentityFormValues> | null = null): Promise<IdentityUpdate> {
  await requireCase(grant, caseId);
  return db.$transaction(async (tx) => {
    const current = identityFormValues(await readIdentityForWrite(caseId, tx));
    const mine = identityFormValues(data);
    const merge = mergeFields(IDENTITY_FIELDS, base, mine, current);
    if (merge.conflicts.length) {
      await audit(request, grant.user, { action: "identity.view", entity: "case", entityId: caseId }, tx);
      return { conflicts: merge.conflicts, current, nextBase: merge.nextBase, proposed: merge.proposed };
    }
    const merged = pickMerged(merge.take, mine, current);
    await writeIdentity(request, grant.user, caseId, Object.fromEntries(IDENTITY_FIELDS.filter((f) => merged[f] !== "").map((f) => [f, merged[f]])), tx);
    return { keptTheirs: merge.keptTheirs };
  });
}
