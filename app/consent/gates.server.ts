// "May this interview be processed for X?" answered in one place. Every processing step (upload,
// transcription, external transcription, analysis, linking, quotation, export, a follow-up interview) asks here
// on the server; a refusal names the missing scope (docs/decisions/0018). The current consent is the newest
// version (ConsentRecord.current).
import { db, type Prisma } from "../db/client.server.ts";
import { scopeColumn, type ConsentScope } from "./scopes.ts";
import { todayInGermany } from "../utils/validation.ts";
import { isPostgres } from "../env.server.ts";

export type GateResult = { ok: true } | { ok: false; missing: ConsentScope; reason: "no-consent" | "scope-missing" | "withdrawn" };

export async function mayProcess(interviewId: string, scope: ConsentScope): Promise<GateResult> {
  const interview = await db.interview.findUnique({
    where: { id: interviewId },
    select: { status: true, consents: { where: { current: true }, take: 1 } },
  });
  if (!interview || interview.status === "withdrawn") return { ok: false, missing: scope, reason: "withdrawn" };
  const consent = interview.consents[0];
  if (!consent) return { ok: false, missing: scope, reason: "no-consent" };
  return consent[scopeColumn(scope)] ? { ok: true } : { ok: false, missing: scope, reason: "scope-missing" };
}

/**
 * What a transcription job needs, asked before every window: the transcription scope and the recording it hears (a
 * withdrawal of only the recording must stop a running job too, not let it finish from the decoded copy).
 */
export async function mayTranscribe(interviewId: string): Promise<GateResult> {
  const transcription = await mayProcess(interviewId, "transcription");
  return transcription.ok ? mayProcess(interviewId, "recording") : transcription;
}

/** Throws a 403 whose body names the missing scope (shown by the page as "Einwilligung fehlt: ..."). */
export async function requireScope(interviewId: string, scope: ConsentScope): Promise<void> {
  const result = await mayProcess(interviewId, scope);
  if (!result.ok) throw consentRefusal(result);
}

/** The 403 of a refused gate, naming the missing scope. */
export function consentRefusal(result: Extract<GateResult, { ok: false }>): Response {
  return new Response(JSON.stringify({ error: "consent-missing", scope: result.missing, reason: result.reason }), {
    status: 403,
    headers: { "Content-Type": "application/json" },
  });
}

/** A Prisma where fragment: interviews whose current consent includes the scope (for lists and search). */
export function withScope(scope: ConsentScope) {
  return { status: { not: "withdrawn" }, consents: { some: { current: true, [scopeColumn(scope)]: true } } };
}

/**
 * Handing the recording to an external transcription service: the external scope and the recording it sends
 * (the local whisper path asks mayTranscribe and needs neither this scope nor an external service).
 */
export async function mayTranscribeExternally(interviewId: string): Promise<GateResult> {
  const external = await mayProcess(interviewId, "externalTranscription");
  return external.ok ? mayProcess(interviewId, "recording") : external;
}

/**
 * The person's decision a follow-up rests on: a consent version (the day it was given) or a whole withdrawal (the
 * German day it was requested; `code` is null once the interview is erased, the Withdrawal row keeps no code).
 * `date` is a calendar day, YYYY-MM-DD.
 */
export type RecontactBasis = { kind: "consent" | "withdrawal"; id: string; code: string | null; date: string };

export type RecontactResult =
  | { ok: true; basedOn: RecontactBasis | null }
  | { ok: false; basedOn: RecontactBasis | null; reason: "scope-missing" | "withdrawn" | "no-consent" };

type Decision = RecontactBasis & { recordedAt: number; version: number; recontact: boolean };

/**
 * Newest decision first: by the day the person decided; on the same day the one recorded later (the form records
 * days, not times: a consent recorded after a withdrawal of that day lifts it, one recorded before does not); then
 * the later version of the same decision (a clerical fix speaks for it). On the very same instant the withdrawal.
 */
const newestFirst = (a: Decision, b: Decision) =>
  b.date.localeCompare(a.date) || b.recordedAt - a.recordedAt || (a.kind === b.kind ? 0 : a.kind === "withdrawal" ? -1 : 1) || b.version - a.version;

type ConsentRow = { givenAt: Date; createdAt: Date; version: number; scopeRecontact: boolean };

/**
 * When each version's decision was recorded. A version that repeats the one before it (same day, same recontact
 * answer: a clerical fix, the version a partial withdrawal writes) is that decision, not a new one: it keeps the
 * earlier time, so a copy written after a same-day withdrawal does not lift it.
 */
function decidedAt(consents: ConsentRow[]): (ConsentRow & { recordedAt: number })[] {
  const out: (ConsentRow & { recordedAt: number })[] = [];
  for (const c of [...consents].sort((a, b) => a.version - b.version)) {
    const before = out[out.length - 1];
    const copy = before && before.givenAt.getTime() === c.givenAt.getTime() && before.scopeRecontact === c.scopeRecontact;
    out.push({ ...c, recordedAt: copy ? before.recordedAt : c.createdAt.getTime() });
  }
  return out;
}

/**
 * May the person of this case be approached again for research (a follow-up interview)? Their latest decision
 * counts, across every consent version of every interview of the case and every whole withdrawal (kept after the
 * interview is erased), ordered by when the person decided and, on the same day, when it was recorded (newestFirst). Without any interview there is nothing
 * to come back to: a first interview needs no recontact consent (basedOn null). Once the case has an interview, a
 * further one needs a recorded consent (no-consent otherwise). Counselling contacts of the case register never
 * ask here (Art. 7(4) GDPR). Rule and reasons: docs/decisions/0018. `client`: the transaction that creates the
 * follow-up (createFollowUp in interviews.server.ts), so the answer is the one the creation rests on.
 */
export async function mayRecontact(caseId: string, client: Pick<Prisma.TransactionClient, "interview" | "withdrawal"> = db): Promise<RecontactResult> {
  const [interviews, withdrawals] = await Promise.all([
    client.interview.findMany({
      where: { caseId },
      select: { id: true, code: true, status: true, consents: { select: { givenAt: true, createdAt: true, version: true, scopeRecontact: true } } },
    }),
    client.withdrawal.findMany({ where: { caseId, scope: "whole" }, select: { interviewId: true, requestedAt: true } }),
  ]);
  const codes = new Map(interviews.map((i) => [i.id, i.code]));
  const decisions: Decision[] = [
    // A withdrawn interview's consent no longer speaks; its withdrawal does.
    ...interviews
      .filter((i) => i.status !== "withdrawn")
      .flatMap((i) =>
        decidedAt(i.consents).map((c) => ({ kind: "consent" as const, id: i.id, code: i.code, date: c.givenAt.toISOString().slice(0, 10), recordedAt: c.recordedAt, version: c.version, recontact: c.scopeRecontact })),
      ),
    ...withdrawals.map((w) => ({ kind: "withdrawal" as const, id: w.interviewId, code: codes.get(w.interviewId) ?? null, date: todayInGermany(w.requestedAt), recordedAt: w.requestedAt.getTime(), version: 0, recontact: false })),
  ];
  const latest = decisions.sort(newestFirst)[0];
  // Coming back to an interview whose consent was never recorded would skip the person's say.
  if (!latest) return interviews.length ? { ok: false, basedOn: null, reason: "no-consent" } : { ok: true, basedOn: null };
  const basedOn: RecontactBasis = { kind: latest.kind, id: latest.id, code: latest.code, date: latest.date };
  if (latest.kind === "withdrawal") return { ok: false, basedOn, reason: "withdrawn" };
  return latest.recontact ? { ok: true, basedOn } : { ok: false, basedOn, reason: "scope-missing" };
}

/**
 * The lock both sides of a recontact race take on PostgreSQL (docs/decisions/0018): the case's interview rows, by id.
 * Creating a follow-up share-locks them before asking mayRecontact; a consent save, which may take recontact back,
 * locks them for update. So the two wait for each other: the follow-up either sees the saved version or is committed
 * before it. A withdrawal writes its interview's row, which waits for and blocks the share lock the same way. One
 * order for all: two transactions never each hold a row the other waits for. NO KEY UPDATE, as an UPDATE of the row
 * takes, leaves inserts that reference the interview (a segment, a coding) unblocked. SQLite has one writer and
 * fails a write from a stale snapshot (the retry asks again): nothing to lock there.
 */
export async function lockCaseInterviews(tx: Pick<Prisma.TransactionClient, "$queryRaw">, caseId: string, mode: "share" | "update"): Promise<void> {
  if (!isPostgres()) return;
  if (mode === "share") await tx.$queryRaw`SELECT "id" FROM "Interview" WHERE "caseId" = ${caseId} ORDER BY "id" FOR SHARE`;
  else await tx.$queryRaw`SELECT "id" FROM "Interview" WHERE "caseId" = ${caseId} ORDER BY "id" FOR NO KEY UPDATE`;
}

/**
 * What the case register shows of recontact, for the integration manager who arranges a follow-up (docs/decisions
 * 0018): allowed or not and the day of the deciding consent or withdrawal, nothing else of the consent or the
 * interviews (no scopes, no codes, no reason). null while the case has nothing to come back to (no interview).
 */
export type RecontactState = { state: "allowed" | "notAllowed" | "notRecorded"; date: string | null };

export function recontactState(result: RecontactResult): RecontactState | null {
  if (result.ok && !result.basedOn) return null;
  if (!result.basedOn) return { state: "notRecorded", date: null };
  return { state: result.ok ? "allowed" : "notAllowed", date: result.basedOn.date };
}
