// The transcript editor's coding actions as a JSON resource route: GET lists the codings of the interview's
// transcript; POST (a form with the session's CSRF token and a JSON `payload`) applies codes to a passage, resizes,
// re-anchors or comments a coding, or removes one. The editor calls it with fetch, so no page loader reruns.
import { endedSessionReply } from "../auth/session.server.ts";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readScriptForm } from "../auth/csrf.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { findInterview } from "../transcripts/transcripts.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { applyCodes, listCodings, removeCoding, updateCoding, type CodingRefusal } from "../coding/codings.server.ts";
import { codingActionSchema } from "../coding/editor/schemas.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** Refusals as HTTP answers: consent missing is forbidden, an outdated text a conflict, a bad passage unprocessable. */
const STATUS: Record<CodingRefusal, number> = { "consent-analysis": 403, "consent-special": 403, stale: 409, range: 422, "unknown-code": 422 };

export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "coding");
  const interview = await findInterview(grant, params.interviewId ?? "");
  const codings = await listCodings(grant, interview.id);
  // The coding panel's list holds the coded passages' text: a read of the interview's research data.
  await auditView(request, grant.user, { action: "coding.retrieve", entity: "interview", entityId: interview.id, detail: { interviewId: interview.id } });
  return json(codings, { headers: { "Cache-Control": "no-store" } });
});

export const action = refusalsInReadersLanguage(async ({ request, params }: ActionFunctionArgs) => {
  // Called by the coding script: an ended session is a refusal it shows, not a redirect.
  const ended = await endedSessionReply(request, { ok: false as const, reason: "session" as const });
  if (ended) return ended;
  const grant = await requirePermission(request, "write", "coding");
  const form = await readScriptForm(request, grant.user);
  if (!form) return json({ ok: false as const, reason: "session" as const }, { status: 403 });
  const interview = await findInterview(grant, params.interviewId ?? "");
  let payload: unknown;
  try {
    payload = JSON.parse(String(form.get("payload") ?? ""));
  } catch {
    return json({ ok: false as const, reason: "invalid" as const }, { status: 400 });
  }
  const parsed = codingActionSchema.safeParse(payload);
  if (!parsed.success) return json({ ok: false as const, reason: "invalid" as const }, { status: 400 });
  const input = parsed.data;
  switch (input.intent) {
    case "apply": {
      const result = await applyCodes(request, grant, interview.id, input);
      return result.ok ? json(result) : json(result, { status: STATUS[result.reason] });
    }
    case "update": {
      const { codingId, intent: _intent, ...changes } = input;
      const result = await updateCoding(request, grant, codingId, changes);
      return result.ok ? json(result) : json(result, { status: STATUS[result.reason] });
    }
    case "remove":
      return json(await removeCoding(request, grant, input.codingId));
  }
});
