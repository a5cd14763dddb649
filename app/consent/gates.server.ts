// "May this interview be processed for X?" answered in one place. Every processing step (upload,
// transcription, external transcription, analysis, linking, quotation, export, a follow-up interview) asks here
// on the server; a refusal names the missing scope (docs/decisions/0018). The current consent is the newest
// version (ConsentRecord.current).
import { db } from "../db/client.server.ts";
import { scopeColumn, type ConsentScope } from "./scopes.ts";

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

export type RecontactResult =
  | { ok: true; basedOn: { id: string; code: string } | null }
  | { ok: false; basedOn: { id: string; code: string } | null; reason: "scope-missing" | "withdrawn" };

/**
 * May the person of this case be approached again for research (a follow-up interview)? Their latest decision
 * counts: the recontact scope of the latest interview with a recorded consent (by date). A whole withdrawal
 * requested after that consent was recorded refuses, even once the withdrawn interview is erased. Without any
 * consented interview there is nothing to come back to: a first interview needs no recontact consent (basedOn
 * null). Counselling contacts of the case register never ask here (Art. 7(4) GDPR).
 */
export async function mayRecontact(caseId: string): Promise<RecontactResult> {
  const latest = await db.interview.findFirst({
    where: { caseId, OR: [{ status: "withdrawn" }, { consents: { some: { current: true } } }] },
    orderBy: [{ date: "desc" }, { code: "desc" }],
    select: { id: true, code: true, status: true, consents: { where: { current: true }, take: 1, select: { createdAt: true, scopeRecontact: true } } },
  });
  const consent = latest?.consents[0];
  const withdrawn = await db.withdrawal.findFirst({
    where: { caseId, scope: "whole", ...(consent ? { requestedAt: { gte: consent.createdAt } } : {}) },
    select: { id: true },
  });
  const basedOn = latest ? { id: latest.id, code: latest.code } : null;
  if (withdrawn || latest?.status === "withdrawn") return { ok: false, basedOn, reason: "withdrawn" };
  if (!latest) return { ok: true, basedOn: null };
  return consent?.scopeRecontact ? { ok: true, basedOn } : { ok: false, basedOn, reason: "scope-missing" };
}
