// The database's eraser, run last (order 90): by then every other store has read what it needed from the
// rows (storage keys, index ids). A whole withdrawal deletes the interview with everything that hangs off it,
// so only the Withdrawal record and the audit log remain; a partial one deletes the rows of the named parts.
// Children are deleted explicitly (not left to ON DELETE CASCADE) so the result does not depend on the
// database enforcing foreign keys.
import { db } from "../db/client.server.ts";
import type { EraseContext, Eraser } from "./erasers.server.ts";

async function counts(ctx: EraseContext): Promise<Record<string, number>> {
  const where = { interviewId: ctx.interviewId };
  if (ctx.parts.has("interview")) {
    const [interview, consentVersions, interviewIdentity, recordings, consentDocuments] = await Promise.all([
      db.interview.count({ where: { id: ctx.interviewId } }),
      db.consentRecord.count({ where }),
      db.interviewIdentity.count({ where }),
      db.recording.count({ where }),
      db.consentDocument.count({ where }),
    ]);
    return { interview, consentVersions, interviewIdentity, recordings, consentDocuments };
  }
  const out: Record<string, number> = {};
  if (ctx.parts.has("recording")) out.recordings = await db.recording.count({ where });
  if (ctx.parts.has("consent_documents")) out.consentDocuments = await db.consentDocument.count({ where });
  return out;
}

export const databaseEraser: Eraser = {
  name: "database",
  order: 90,
  preview: counts,
  async erase(ctx) {
    const where = { interviewId: ctx.interviewId };
    return db.$transaction(async (tx) => {
      const out: Record<string, number> = {};
      if (ctx.parts.has("interview") || ctx.parts.has("consent_documents")) out.consentDocuments = (await tx.consentDocument.deleteMany({ where })).count;
      if (ctx.parts.has("interview") || ctx.parts.has("recording")) out.recordings = (await tx.recording.deleteMany({ where })).count;
      if (ctx.parts.has("interview")) {
        out.consentVersions = (await tx.consentRecord.deleteMany({ where })).count;
        out.interviewIdentity = (await tx.interviewIdentity.deleteMany({ where })).count;
        out.interview = (await tx.interview.deleteMany({ where: { id: ctx.interviewId } })).count;
      }
      return out;
    });
  },
};
