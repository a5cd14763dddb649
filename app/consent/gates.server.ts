// "May this interview be processed for X?" answered in one place. Every processing step (upload,
// transcription, external transcription, analysis, linking, quotation, export) asks here on the server; a
// refusal names the missing scope (docs/decisions/0018). The current consent is the newest version
// (ConsentRecord.current).
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
