// A finished job becomes the interview's transcript (source "whisper"). Runs inside the queue's guarded
// finish transaction, so it happens exactly once. An existing transcript (imported, edited, an earlier run) is
// not lost: its state stays in the version history, like an import that replaces one, and its codings follow the
// new text the way they follow an import (app/coding/follow.server.ts): onto the same words, or orphaned for review.
import type { Prisma } from "../app/db/client.server.ts";
import { audit } from "../app/audit/audit.server.ts";
import { currentText, followText } from "../app/coding/follow.server.ts";
import { keepCurrentAsVersion, writeVersion } from "../app/transcripts/versions.server.ts";
import { indexTranscript } from "../search/hooks.server.ts";
import { TranscriptionError } from "./errors.ts";
import { recognizedSpeech, segmentsToParagraphs, wordCount } from "./paragraphs.ts";
import type { Segment } from "./windows.ts";

type Tx = Prisma.TransactionClient;

export async function writeWhisperTranscript(
  tx: Tx,
  job: { id: string; interviewId: string; createdById: string | null },
  segments: readonly Segment[],
  language: string | null,
): Promise<{ transcriptId: string; version: number; paragraphs: number }> {
  const paragraphs = segmentsToParagraphs(segments);
  const existing = await tx.transcript.findUnique({ where: { interviewId: job.interviewId }, select: { id: true, version: true } });
  // Nothing recognized (silence, a wrong language, a model that hears nothing): an empty transcript would replace
  // the researcher's text and call the interview "transcribed". The job fails with that reason instead; the throw
  // rolls the finish transaction back, so an existing transcript stays as it was.
  if (!recognizedSpeech(paragraphs)) throw new TranscriptionError(existing ? "transcription:errors.nothingRecognizedKept" : "transcription:errors.nothingRecognized");
  let transcriptId: string;
  let version: number;
  let oldText: string | null = null;
  if (existing) {
    // Keep what was there as a version (the editor writes one on every save; an unedited one may have none).
    await keepCurrentAsVersion(tx, existing.id, existing.version);
    version = existing.version + 1;
    transcriptId = existing.id;
    oldText = await currentText(tx, transcriptId);
    await tx.transcript.update({ where: { id: existing.id }, data: { version, source: "whisper", language, checkedAt: null, checkedById: null } });
    await tx.transcriptParagraph.deleteMany({ where: { transcriptId } });
  } else {
    version = 1;
    transcriptId = (await tx.transcript.create({ data: { interviewId: job.interviewId, source: "whisper", language, version }, select: { id: true } })).id;
  }
  await tx.transcriptParagraph.createMany({
    data: paragraphs.map((p, position) => ({
      transcriptId,
      position,
      speaker: p.speaker,
      startMs: p.startMs,
      endMs: p.endMs,
      text: p.text,
      words: p.words?.length ? JSON.stringify(p.words) : null,
    })),
  });
  // The new text as stored (the text codings index into), before search reads the codings.
  const codings = oldText === null ? null : await followText(tx, transcriptId, oldText, await currentText(tx, transcriptId), undefined, { replaced: true });
  await writeVersion(tx, transcriptId, version, paragraphs, job.createdById, "whisper");
  await tx.interview.updateMany({ where: { id: job.interviewId, status: { not: "withdrawn" } }, data: { status: "transcribed" } });
  await indexTranscript(tx, job.interviewId); // the search index in the same transaction as the text
  // The run's summary on the page: what this run produced, kept on the job (the transcript may be edited or replaced).
  await tx.transcriptionJob.update({
    where: { id: job.id },
    data: { resultLanguage: language, segmentCount: segments.filter((s) => s.text.trim()).length, paragraphCount: paragraphs.length, wordCount: wordCount(paragraphs) },
  });
  // The worker acts for the user who started the job; no content in the log.
  const codingDetail = codings?.moved ? { codingsMoved: codings.moved, codingsOrphaned: codings.orphaned } : {};
  await audit(null, null, { action: "transcription.done", entity: "interview", entityId: job.interviewId, detail: { jobId: job.id, transcriptId, version, paragraphs: paragraphs.length, segments: segments.length, ...codingDetail } }, tx);
  return { transcriptId, version, paragraphs: paragraphs.length };
}
