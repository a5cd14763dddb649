// Identity access for the case register: the case must lie within the caller's scope (checked in the
// query) before readIdentity / writeIdentity touch the encrypted record; both audit.
import { db } from "../db/client.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { audit } from "../audit/audit.server.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";
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

export type IdentityUpdate =
  | { keptTheirs: IdentityField[] }
  | { conflicts: IdentityField[]; current: IdentityFormValues; nextBase: IdentityFormValues; proposed: IdentityFormValues }
  | { groundMissing: IdentityField[] };

/**
 * Writes the identity record of a case in scope. `base` (the values the form was loaded with) merges the save with
 * one made meanwhile, field by field; fields both changed are refused and nothing is written. The newer values the
 * refusal shows are a read of the record and audited as one. Emptying a stored field deletes personal data: without
 * `erasure` (the legal ground, ADR 0012) nothing is written; with it the audit entry names the fields and the ground.
 */
export async function writeCaseIdentity(
  request: Request,
  grant: Grant,
  caseId: string,
  data: IdentityData,
  base: Partial<IdentityFormValues> | null = null,
  erasure?: { ground?: ErasureGround | undefined; note?: string | undefined },
): Promise<IdentityUpdate> {
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
    // Replacing a value corrects it; emptying one erases it, and that needs a legal ground.
    const cleared = IDENTITY_FIELDS.filter((f) => current[f] !== "" && merged[f] === "");
    if (cleared.length && !erasure?.ground) return { groundMissing: cleared };
    const detail = cleared.length && erasure?.ground ? { fieldsCleared: cleared, ...erasureAuditDetail({ ground: erasure.ground, note: erasure.note }) } : {};
    await writeIdentity(request, grant.user, caseId, Object.fromEntries(IDENTITY_FIELDS.filter((f) => merged[f] !== "").map((f) => [f, merged[f]])), tx, detail);
    return { keptTheirs: merge.keptTheirs };
  });
}
