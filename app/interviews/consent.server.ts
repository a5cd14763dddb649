// Versioned consent: a change never edits a version, it adds the next one and moves the `current` flag, in
// one transaction, so exactly one version is current and the history stays readable. The gates
// (app/consent/gates.server.ts) read the current version.
import { db, type Db, type Prisma } from "../db/client.server.ts";
import { lockCaseInterviews } from "../consent/gates.server.ts";
import { audit } from "../audit/audit.server.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { withRaceRetry } from "../db/race-retry.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { CONSENT_SCOPES, scopeColumn, type ConsentScope } from "../consent/scopes.ts";
import { journalConsentRevocation } from "../withdrawal/journal.server.ts";
import { codingsChanged } from "../../search/hooks.server.ts";

/**
 * Scopes whose data a withdrawal part erases (recording, transcript, codings, links): taking one back on the form
 * would stop the processing but leave the data, and a restore would grant it again. The form sends these to the
 * withdrawal page. The other scopes may be taken back here: journaled, and special categories erase their codings.
 */
export const REVOKED_BY_WITHDRAWAL: readonly ConsentScope[] = ["recording", "transcription", "analysis", "linking"];

/** The values of a consent version (as consentSelect reads it) with `scopes` taken away: the next version's. */
export function withoutScopes(consent: Prisma.ConsentRecordGetPayload<{ select: typeof consentSelect }>, scopes: readonly ConsentScope[]): ConsentValues {
  const { id: _id, version: _v, current: _c, createdById: _by, createdAt: _at, ...values } = consent;
  return { ...values, ...Object.fromEntries(scopes.map((s) => [scopeColumn(s), false])) };
}

/** Codings with special-category codes (Art. 9) of an interview, once that consent is taken back. */
export async function eraseSpecialCategoryCodings(tx: Prisma.TransactionClient, interviewId: string): Promise<number> {
  const gone = await tx.coding.deleteMany({ where: { interviewId, code: { specialCategory: true } } });
  if (gone.count) await codingsChanged(tx, interviewId);
  return gone.count;
}

const conflict = () => new Response("conflict", { status: 409, statusText: "Conflict" });

type ScopeFlags = Record<`scope${Capitalize<ConsentScope>}`, boolean>;

export type ConsentValues = {
  givenBy: string;
  givenAt: Date;
  takenById: string | null;
  form: string;
  language: string;
  infoSheetVersion: string;
  copyHandedOver: boolean;
  interpreterPresent: boolean;
  interpreterConfidentiality: boolean;
} & ScopeFlags;

const scopeSelect = Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), true])) as Record<keyof ScopeFlags, true>;

export const consentSelect = {
  id: true,
  version: true,
  current: true,
  note: true,
  givenBy: true,
  givenAt: true,
  takenById: true,
  form: true,
  language: true,
  infoSheetVersion: true,
  copyHandedOver: true,
  interpreterPresent: true,
  interpreterConfidentiality: true,
  createdById: true,
  createdAt: true,
  ...scopeSelect,
} satisfies Prisma.ConsentRecordSelect;

/** The scopes a consent version grants, in the order of CONSENT_SCOPES. */
export function grantedScopes(consent: Partial<ScopeFlags>): ConsentScope[] {
  return CONSENT_SCOPES.filter((s) => consent[scopeColumn(s)] === true);
}

/** Every version, newest first, with the names of who took and who recorded it. */
export async function consentHistory(interviewId: string) {
  const versions = await db.consentRecord.findMany({ where: { interviewId }, orderBy: { version: "desc" }, select: consentSelect });
  const userIds = [...new Set(versions.flatMap((v) => [v.takenById, v.createdById]).filter((id): id is string => !!id))];
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  return versions.map((v) => ({
    ...v,
    takenBy: v.takenById ? (users.get(v.takenById) ?? null) : null,
    createdBy: v.createdById ? (users.get(v.createdById) ?? null) : null,
    scopes: grantedScopes(v),
  }));
}

export async function currentConsent(interviewId: string) {
  return db.consentRecord.findFirst({ where: { interviewId, current: true }, select: consentSelect });
}

type ConsentTx = Pick<Prisma.TransactionClient, "consentRecord" | "auditLog">;

/**
 * Adds a version after the newest one and makes it current. Runs inside the caller's transaction; the unique
 * (interviewId, version) index refuses a second writer with the same number, which then retries.
 */
export async function addConsentVersion(request: Request | null, actor: Grant["user"] | null, tx: ConsentTx, interviewId: string, values: ConsentValues, reason: "record" | "withdrawal" = "record") {
  const last = await tx.consentRecord.findFirst({ where: { interviewId }, orderBy: { version: "desc" }, select: { version: true } });
  const version = (last?.version ?? 0) + 1;
  await tx.consentRecord.updateMany({ where: { interviewId, current: true }, data: { current: false } });
  const created = await tx.consentRecord.create({ data: { interviewId, version, current: true, createdById: actor?.id ?? null, ...values }, select: { id: true, version: true } });
  // Which scopes, never names or free text.
  await audit(request, actor, { action: "consent.record", entity: "interview", entityId: interviewId, detail: { version, scopes: grantedScopes(values), reason } }, tx);
  return created;
}

/**
 * Records a new consent version for an interview that is not withdrawn. `basedOn` is the version the form was
 * filled from (0: none): if another version was recorded meanwhile, nothing is recorded and the newer version is
 * named, because a form filled from the older one would silently undo what the newer one changed (a scope revoked
 * would be granted again). Consent is a legal record: no merging, the person decides against the newer version.
 * `client` lets tests race two connections.
 */
const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : (a ?? null) === (b ?? null));

export async function recordConsent(
  request: Request | null,
  grant: Grant,
  interviewId: string,
  values: ConsentValues,
  basedOn: number | null = null,
  client: Db = db,
): Promise<{ id: string; version: number } | { newer: number } | { unchanged: number } | { needsWithdrawal: ConsentScope[] }> {
  return withRaceRetry(() =>
    client.$transaction(
      async (tx) => {
        const ofCase = await tx.interview.findUnique({ where: { id: interviewId }, select: { caseId: true } });
        if (!ofCase) throw notFound();
        // A new version may take recontact back: a follow-up being created meanwhile is waited for, one that starts
        // now waits for this version (lockCaseInterviews). Taken first, so what follows reads past any withdrawal.
        await lockCaseInterviews(tx, ofCase.caseId, "update");
        const interview = await tx.interview.findUnique({ where: { id: interviewId }, select: { status: true } });
        if (!interview) throw notFound();
        if (interview.status === "withdrawn") throw conflict();
        if (basedOn !== null) {
          const last = await tx.consentRecord.findFirst({ where: { interviewId }, orderBy: { version: "desc" }, select: { version: true } });
          if ((last?.version ?? 0) !== basedOn) return { newer: last?.version ?? 0 };
        }
        // The same entries again (a form saved without a change) make no new version: the history is a legal record.
        const current = await tx.consentRecord.findFirst({ where: { interviewId, current: true } });
        if (current && (Object.keys(values) as (keyof ConsentValues)[]).every((k) => sameValue(current[k], values[k]))) return { unchanged: current.version };
        const revoked = current ? CONSENT_SCOPES.filter((scope) => current[scopeColumn(scope)] && !values[scopeColumn(scope)]) : [];
        const needsWithdrawal = revoked.filter((scope) => REVOKED_BY_WITHDRAWAL.includes(scope));
        if (needsWithdrawal.length) return { needsWithdrawal };
        // On disk before the version is saved: a restore of an older backup takes these scopes back again.
        if (revoked.length) journalConsentRevocation({ kind: "consent", interviewId, scopes: revoked, requestedAt: new Date().toISOString(), createdById: grant.user.id });
        const created = await addConsentVersion(request, grant.user, tx, interviewId, values);
        if (revoked.includes("specialCategories")) {
          const erased = await eraseSpecialCategoryCodings(tx, interviewId);
          if (erased) await audit(request, grant.user, { action: "coding.erase-special-categories", entity: "interview", entityId: interviewId, detail: { codings: erased } }, tx);
        }
        return created;
      },
      { maxWait: 15_000, timeout: 15_000 },
    ),
  );
}

/** Scanned consent forms of the interview (files live in storage; rows hold display text and metadata). */
export async function consentDocuments(interviewId: string) {
  const rows = await db.consentDocument.findMany({
    where: { interviewId },
    orderBy: { createdAt: "desc" },
    select: { id: true, displayName: true, contentType: true, sizeBytes: true, createdAt: true, consentRecord: { select: { version: true } } },
  });
  return rows.map((r) => ({ id: r.id, displayName: r.displayName, contentType: r.contentType, sizeBytes: Number(r.sizeBytes), createdAt: r.createdAt, version: r.consentRecord?.version ?? null }));
}
