import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireScope } from "../consent/gates.server.ts";
import { db } from "../db/client.server.ts";
import { caseScope, requirePermission } from "../permissions/permissions.server.ts";
import { recordingResponse } from "../recordings/media.server.ts";
import { notFound, refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The recording for the player: Range requests, permission and consent checked on every request (every seek). */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "recording");
  const recording = await db.recording.findFirst({
    where: { id: params.recordingId ?? "", interview: { case: caseScope(grant) } },
    select: { id: true, interviewId: true, storageKey: true, contentType: true, sizeBytes: true, sha256: true, createdAt: true },
  });
  if (!recording) throw notFound();
  await requireScope(recording.interviewId, "recording");
  return recordingResponse(request, grant.user, recording);
});

// No ErrorBoundary here on purpose: Remix treats a route that exports one as a page, not a resource route,
// and would render HTML instead of sending the media.
