// Withdrawal: deletes the stored files (local disk or S3) of an interview's recordings and scanned consent forms.
// Runs before the database eraser (order 20 < 90), which deletes the rows afterwards, so an interrupted
// withdrawal still finds the storage keys when it is run again. Deleting a missing file is no error.
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "../withdrawal/erasers.server.ts";
import { storage, type Storage } from "../storage/storage.server.ts";

/** Which stored kinds the withdrawal covers: a whole withdrawal (part "interview") takes both. */
function kinds(ctx: EraseContext) {
  const whole = ctx.parts.has("interview");
  return { recordings: whole || ctx.parts.has("recording"), consentDocuments: whole || ctx.parts.has("consent_documents") };
}

async function keysOf(ctx: EraseContext) {
  const want = kinds(ctx);
  const [recordings, documents] = await Promise.all([
    want.recordings ? db.recording.findMany({ where: { interviewId: ctx.interviewId }, select: { storageKey: true } }) : [],
    want.consentDocuments ? db.consentDocument.findMany({ where: { interviewId: ctx.interviewId }, select: { storageKey: true } }) : [],
  ]);
  return { recordings: recordings.map((r) => r.storageKey), consentDocuments: documents.map((d) => d.storageKey) };
}

export function createStorageEraser(store: () => Storage): Eraser {
  return {
    name: "storage",
    order: 20,
    async preview(ctx) {
      const keys = await keysOf(ctx);
      return { recordingFiles: keys.recordings.length, consentDocumentFiles: keys.consentDocuments.length };
    },
    async erase(ctx) {
      const keys = await keysOf(ctx);
      const target = store();
      // One by one: a failure stops here and the next run repeats the deletes that are still due.
      for (const key of [...keys.recordings, ...keys.consentDocuments]) await target.delete(key);
      return { recordingFiles: keys.recordings.length, consentDocumentFiles: keys.consentDocuments.length };
    },
  };
}

export const storageEraser: Eraser = createStorageEraser(storage);
