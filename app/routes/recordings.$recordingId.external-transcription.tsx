import type { LoaderFunctionArgs } from "@remix-run/node";
import { mayTranscribeExternally } from "../consent/gates.server.ts";
import { db } from "../db/client.server.ts";
import { caseScope, requirePermission } from "../permissions/permissions.server.ts";
import { recordingDownload } from "../recordings/media.server.ts";
import { notFound, refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The recording as a file for an external transcription service: needs consent to external transcription. */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "transcribe", "interview");
  const recording = await db.recording.findFirst({
    where: { id: params.recordingId ?? "", interview: { case: caseScope(grant) } },
    select: { id: true, interviewId: true, storageKey: true, contentType: true, sizeBytes: true, sha256: true, createdAt: true, displayName: true },
  });
  if (!recording) throw notFound();
  const gate = await mayTranscribeExternally(recording.interviewId);
  // Plain text, not the JSON of consentRefusal: this is a link the browser opens, so the reader sees the reason.
  if (!gate.ok) throw new Response(`consent missing: ${gate.missing}`, { status: 403 });
  return recordingDownload(request, grant.user, recording);
});

// No ErrorBoundary on purpose: a resource route (a download), not a page.
