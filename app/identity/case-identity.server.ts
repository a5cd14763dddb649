// Identity access for the case register: the case must lie within the caller's scope (checked in the
// query) before readIdentity / writeIdentity touch the encrypted record; both audit.
import { db } from "../db/client.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { readIdentity, writeIdentity } from "./identity.server.ts";
import type { IdentityData } from "./identity.ts";

async function requireCase(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({ where: { id: caseId, ...caseScope(grant) }, select: { id: true } });
  if (!row) throw notFound();
}

/** Decrypts the identity record of a case in scope; every call writes an identity.view audit entry. */
export async function readCaseIdentity(request: Request, grant: Grant, caseId: string): Promise<IdentityData | null> {
  await requireCase(grant, caseId);
  return readIdentity(request, grant.user, caseId);
}

export async function writeCaseIdentity(request: Request, grant: Grant, caseId: string, data: IdentityData) {
  await requireCase(grant, caseId);
  await writeIdentity(request, grant.user, caseId, data);
}
