import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireScope } from "../consent/gates.server.ts";
import { db } from "../db/client.server.ts";
import { caseScope, requirePermission } from "../permissions/permissions.server.ts";
import { storage } from "../storage/storage.server.ts";
import { recordingPeaks } from "../transcripts/peaks.server.ts";
import { notFound, refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** Waveform peaks of a recording for the transcript editor; same permission and consent as playing it. */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "recording");
  const recording = await db.recording.findFirst({
    where: { id: params.recordingId ?? "", interview: { case: caseScope(grant) } },
    select: { id: true, interviewId: true, storageKey: true, sha256: true },
  });
  if (!recording) throw notFound();
  await requireScope(recording.interviewId, "recording");
  if (!(await storage().stat(recording.storageKey))) throw notFound();
  const peaks = await recordingPeaks(`${recording.id}:${recording.sha256}`, () => storage().probeSource(recording.storageKey));
  return json(peaks, { headers: { "Cache-Control": "private, no-store" } });
});

// No ErrorBoundary on purpose: this is a resource route (JSON), not a page.
