// Withdrawal eraser for transcription (order 10, before storage and database): stops the interview's jobs and
// deletes its jobs, their checkpoint windows (transcript text) and the transcript with its paragraphs and
// versions, for the parts "transcript" and "interview". A running worker notices within about a second (its
// lease guard finds no job) and kills its engine; it cannot write a transcript any more, because that write
// needs the job row this eraser deleted. Idempotent.
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";

const applies = (ctx: EraseContext) => ctx.parts.has("transcript") || ctx.parts.has("interview");

async function counts(ctx: EraseContext): Promise<Record<string, number>> {
  if (!applies(ctx)) return {};
  const where = { interviewId: ctx.interviewId };
  const [transcriptionJobs, runningJobs, transcriptionWindows, transcripts, transcriptParagraphs, transcriptVersions] = await Promise.all([
    db.transcriptionJob.count({ where }),
    db.transcriptionJob.count({ where: { ...where, status: { in: ["queued", "running"] } } }),
    db.transcriptionWindow.count({ where: { job: where } }),
    db.transcript.count({ where }),
    db.transcriptParagraph.count({ where: { transcript: where } }),
    db.transcriptVersion.count({ where: { transcript: where } }),
  ]);
  return { transcriptionJobs, runningJobs, transcriptionWindows, transcripts, transcriptParagraphs, transcriptVersions };
}

export const transcriptionEraser: Eraser = {
  name: "transcription",
  order: 10,
  preview: counts,
  async erase(ctx) {
    if (!applies(ctx)) return {};
    const where = { interviewId: ctx.interviewId };
    return db.$transaction(async (tx) => {
      // Stop first: a worker that looks now sees the cancel; one that does not finds its job gone.
      const stopped = await tx.transcriptionJob.updateMany({ where: { ...where, status: { in: ["queued", "running"] } }, data: { cancelRequested: true, status: "cancelled" } });
      const transcriptionWindows = (await tx.transcriptionWindow.deleteMany({ where: { job: where } })).count;
      const transcriptionJobs = (await tx.transcriptionJob.deleteMany({ where })).count;
      const transcriptParagraphs = (await tx.transcriptParagraph.deleteMany({ where: { transcript: where } })).count;
      const transcriptVersions = (await tx.transcriptVersion.deleteMany({ where: { transcript: where } })).count;
      const transcripts = (await tx.transcript.deleteMany({ where })).count;
      return { stoppedJobs: stopped.count, transcriptionJobs, transcriptionWindows, transcripts, transcriptParagraphs, transcriptVersions };
    });
  },
};
