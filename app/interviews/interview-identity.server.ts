// The interpreter's name is identity data: sealed (AES-256-GCM, bound to the interview id) in
// InterviewIdentity, never in a plain column. Researchers may enter or remove it but never read it back;
// reading needs read:identity for the interview's case and is audited like every identity read.
import { db, type Db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { caseScope } from "../permissions/permissions.server.ts";
import { accessFor } from "../permissions/roles.ts";
import { open, seal } from "../identity/crypto.server.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";

export type InterviewIdentityData = { interpreterName?: string };

type Tx = Pick<Db, "interviewIdentity" | "auditLog">;

/**
 * Stores (or, with null, removes) the interpreter's name; audits that it changed, never the name. A removal by hand
 * names its legal ground (`erasure`, ADR 0012), kept in the audit entry.
 */
export async function writeInterpreterName(request: Request | null, user: SessionUser | null, interviewId: string, name: string | null, tx: Tx = db, erasure?: { ground: ErasureGround; note?: string | undefined }) {
  if (!name) {
    const { count } = await tx.interviewIdentity.deleteMany({ where: { interviewId } });
    if (count) await audit(request, user, { action: "interview.identity.delete", entity: "interview", entityId: interviewId, detail: { fields: ["interpreterName"], ...(erasure ? erasureAuditDetail(erasure) : {}) } }, tx);
    return;
  }
  const sealed = seal({ interpreterName: name } satisfies InterviewIdentityData, interviewId);
  await tx.interviewIdentity.upsert({ where: { interviewId }, create: { interviewId, ...sealed }, update: sealed });
  await audit(request, user, { action: "interview.identity.update", entity: "interview", entityId: interviewId, detail: { fieldsSet: ["interpreterName"] } }, tx);
}

/** Whether the user may read identity data of this case (read:identity, the case within its scope). */
export async function mayReadInterviewIdentity(user: SessionUser, caseId: string): Promise<boolean> {
  const access = accessFor(user.roles, "read", "identity");
  if (!access) return false;
  const row = await db.case.findFirst({ where: { id: caseId, ...caseScope({ user, access }) }, select: { id: true } });
  return row !== null;
}

/**
 * The interpreter's name for a user allowed to read the case's identity data, else undefined (nothing is
 * decrypted). Every read is audited.
 */
export async function readInterpreterName(request: Request, user: SessionUser, interview: { id: string; caseId: string }): Promise<string | null | undefined> {
  if (!(await mayReadInterviewIdentity(user, interview.caseId))) return undefined;
  const row = await db.interviewIdentity.findUnique({ where: { interviewId: interview.id }, select: { keyId: true, iv: true, tag: true, ciphertext: true } });
  if (!row) return null;
  await audit(request, user, { action: "identity.view", entity: "interview", entityId: interview.id, detail: { fields: ["interpreterName"] } });
  return open<InterviewIdentityData>(row, interview.id).interpreterName ?? null;
}
