// A finished job becomes the interview's transcript (source "whisper"). Runs inside the queue's guarded
// finish transaction, so it happens exactly once. An existing transcript (imported, edited, an earlier run) is
// not lost: its state stays in the version history, like an import that replaces one.
import type { Prisma } from "../app/db/client.server.ts";
import { audit } from "../app/audit/audit.server.ts";
import { versionCounts } from "../app/transcripts/formats/types.ts";
import { indexTranscript } from "../search/hooks.server.ts";
import { segmentsToParagraphs, type WhisperParagraph } from "./paragraphs.ts";
import type { Segment } from "./windows.ts";

type Tx = Prisma.TransactionClient;

const paragraphSelect = { speaker: true, startMs: true, endMs: true, text: true, words: true } as const;

function toJson(paragraphs: readonly WhisperParagraph[]): string {
  return JSON.stringify(paragraphs.map((p) => ({ speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text, words: p.words })));
}

export async function writeWhisperTranscript(
  tx: Tx,
  job: { id: string; interviewId: string; createdById: string | null },
  segments: readonly Segment[],
  language: string | null,
): Promise<{ transcriptId: string; version: number; paragraphs: number }> {
  const paragraphs = segmentsToParagraphs(segments);
  const existing = await tx.transcript.findUnique({ where: { interviewId: job.interviewId }, select: { id: true, version: true } });
  let transcriptId: string;
  let version: number;
  if (existing) {
    // Keep what was there as a version (the editor writes one on every save; an unedited one may have none).
    const kept = await tx.transcriptVersion.findUnique({ where: { transcriptId_version: { transcriptId: existing.id, version: existing.version } }, select: { id: true } });
    if (!kept) {
      const rows = await tx.transcriptParagraph.findMany({ where: { transcriptId: existing.id }, orderBy: { position: "asc" }, select: paragraphSelect });
      const old = rows.map((r) => ({ speaker: r.speaker, startMs: r.startMs, endMs: r.endMs, text: r.text, words: r.words ? (JSON.parse(r.words) as WhisperParagraph["words"]) : null }));
      await tx.transcriptVersion.create({ data: { transcriptId: existing.id, version: existing.version, paragraphs: toJson(old), ...versionCounts(old), createdById: null, kind: "kept" } });
    }
    version = existing.version + 1;
    transcriptId = existing.id;
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
  await tx.transcriptVersion.create({ data: { transcriptId, version, paragraphs: toJson(paragraphs), ...versionCounts(paragraphs), createdById: job.createdById, kind: "whisper" } });
  await tx.interview.updateMany({ where: { id: job.interviewId, status: { not: "withdrawn" } }, data: { status: "transcribed" } });
  await indexTranscript(tx, job.interviewId); // the search index in the same transaction as the text
  // The worker acts for the user who started the job; no content in the log.
  await audit(null, null, { action: "transcription.done", entity: "interview", entityId: job.interviewId, detail: { jobId: job.id, transcriptId, version, paragraphs: paragraphs.length, segments: segments.length } }, tx);
  return { transcriptId, version, paragraphs: paragraphs.length };
}
