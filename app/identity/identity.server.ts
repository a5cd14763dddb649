// Reading and writing identity data. Only callers holding read/write:identity may reach these, every
// read and change is audited, and nothing on the research side imports this module (tests/identity).
import { db, type Db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { open, seal } from "./crypto.server.ts";
import { IDENTITY_FIELDS, type IdentityData } from "./identity.ts";

export async function readIdentity(request: Request, user: SessionUser, caseId: string): Promise<IdentityData | null> {
  const row = await db.identity.findUnique({ where: { caseId }, select: { id: true, keyId: true, iv: true, tag: true, ciphertext: true } });
  await audit(request, user, { action: "identity.view", entity: "case", entityId: caseId });
  if (!row) return null;
  return open<IdentityData>(row, caseId);
}

/** The record as a write inside `tx` finds it, not audited: the caller audits whatever of it is shown. */
export async function readIdentityForWrite(caseId: string, tx: Pick<Db, "identity">): Promise<IdentityData | null> {
  const row = await tx.identity.findUnique({ where: { caseId }, select: { id: true, keyId: true, iv: true, tag: true, ciphertext: true } });
  return row ? open<IdentityData>(row, caseId) : null;
}

/**
 * `tx` lets a caller write the identity inside its own transaction (e.g. together with a new case); `detail` adds to
 * the audit entry (the fields emptied and the legal ground of that deletion).
 */
export async function writeIdentity(request: Request | null, user: SessionUser | null, caseId: string, data: IdentityData, tx: Pick<Db, "identity" | "auditLog"> = db, detail: Record<string, unknown> = {}) {
  const sealed = seal(data, caseId);
  await tx.identity.upsert({ where: { caseId }, create: { caseId, ...sealed }, update: sealed });
  const fields = IDENTITY_FIELDS.filter((f) => (data[f] ?? "") !== "");
  await audit(request, user, { action: "identity.update", entity: "case", entityId: caseId, detail: { fieldsSet: fields, ...detail } }, tx);
}
