// Deleting a recording that is no longer needed (data minimisation): "audio deleted once the transcript is checked is
// good practice" (../shared/domain/consent-and-privacy.md). Not a withdrawal: the consent stays as it is, the
// transcript, codings and links stay, and the person may still allow a new upload. What goes: the stored file (local
// disk or S3) and the Recording row; jobs that are done keep their history row (it names no file).
// The file goes first, then the row: a deletion interrupted in between leaves a row whose file is gone, and deleting
// again finishes it (deleting a missing file is no error).
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { storage } from "../storage/storage.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { databaseFileEraser } from "../withdrawal/database-file-eraser.server.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";

export type DeleteRecordingResult = { ok: true; name: string } | { ok: false; reason: "transcribing" };

export async function deleteRecording(request: Request | null, user: SessionUser, interviewId: string, recordingId: string, erasure: { ground: ErasureGround; note?: string | undefined }): Promise<DeleteRecordingResult> {
  const recording = await db.recording.findFirst({
    where: { id: recordingId, interviewId },
    select: { id: true, storageKey: true, displayName: true, mediaType: true, sizeBytes: true, interview: { select: { status: true } } },
  });
  if (!recording) throw notFound();
  // A job still reading the file would fail halfway; it is cancelled (or finishes) first.
  const active = await db.transcriptionJob.count({ where: { recordingId, status: { in: ["queued", "running"] } } });
  if (active) return { ok: false, reason: "transcribing" };
  await storage().delete(recording.storageKey);
  await db.$transaction(async (tx) => {
    await tx.recording.deleteMany({ where: { id: recordingId } });
    // The file name can hold a name: the entry keeps kind, size and the transcript's state, never the name.
    await audit(request, user, { action: "recording.delete", entity: "recording", entityId: recordingId, detail: { interviewId, mediaType: recording.mediaType, sizeBytes: Number(recording.sizeBytes), interviewStatus: recording.interview.status, ...erasureAuditDetail(erasure) } }, tx);
  });
  // The row's bytes are zeroed in the database file (secure_delete); its earlier image leaves SQLite's write-ahead log
  // with the next checkpoint. Tried now; if a reader holds the log, SQLite's own checkpoints empty it later.
  await databaseFileEraser.erase({ interviewId, caseId: null, parts: new Set(["recording"]) }).catch(() => undefined);
  return { ok: true, name: recording.displayName };
}
