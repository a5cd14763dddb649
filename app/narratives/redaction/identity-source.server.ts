// The identity records a narrative's redaction must know: the case's, its household members' and the
// interpreters' of the case's interviews. Decrypted here, on the server, only to search the narrative's own
// text; the values never leave this module except as search terms, and every read is audited (who, which
// narrative, how many records; never a value).
import { db } from "../../db/client.server.ts";
import { audit } from "../../audit/audit.server.ts";
import type { SessionUser } from "../../auth/session.server.ts";
import { open } from "../../identity/crypto.server.ts";
import type { IdentityData } from "../../identity/identity.ts";
import { identityTerms, nameTerms, type IdentityTerm } from "./identity-terms.ts";

/** Why the terms are read, for the audit entry: a narrative's redaction, or an export replacing identifying details. */
export type IdentityPurpose = { purpose: "narrative-redaction"; narrativeId: string | null } | { purpose: "export-redaction"; format: string };

export async function identityTermsForCase(request: Request | null, user: SessionUser | null, caseId: string, why: IdentityPurpose): Promise<IdentityTerm[]> {
  const kase = await db.case.findUnique({ where: { id: caseId }, select: { id: true, householdId: true } });
  if (!kase) return [];
  const caseIds = kase.householdId
    ? (await db.case.findMany({ where: { householdId: kase.householdId }, select: { id: true } })).map((c) => c.id)
    : [caseId];
  const [identities, interpreters] = await Promise.all([
    db.identity.findMany({ where: { caseId: { in: caseIds } }, select: { caseId: true, keyId: true, iv: true, tag: true, ciphertext: true } }),
    db.interviewIdentity.findMany({ where: { interview: { caseId } }, select: { interviewId: true, keyId: true, iv: true, tag: true, ciphertext: true } }),
  ]);
  const terms: IdentityTerm[] = [];
  for (const row of identities) terms.push(...identityTerms(open<IdentityData>(row, row.caseId), row.caseId === caseId ? "case" : "household"));
  for (const row of interpreters) terms.push(...nameTerms(open<{ interpreterName?: string }>(row, row.interviewId).interpreterName, "interpreter"));
  await audit(request, user, {
    action: "identity.view",
    entity: "case",
    entityId: caseId,
    detail: { ...why, records: identities.length, interpreters: interpreters.length },
  });
  return terms;
}
