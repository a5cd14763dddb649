// Route samples for memos-notes: a memo (by the demo researcher, so the edit page is "allowed" for them) on the
// pass's demo interview, and a biography note on the pass's case. Researchers read notes only of cases whose
// person consented to linking (counsellingCaseScope): the access matrix expects them to see the own pass's case
// and not the other's, so the own pass's case gets a probe interview with a current linking consent (the other
// pass's case has none: the demo interviews sit on the fixture persons' cases, never on a sample case).
import type { SampleProvider } from "./types.ts";
import type { Db } from "../../../app/db/client.server.ts";
import { sanitizeRichText } from "../../../app/rich-text/sanitize.server.ts";

const PROBE_CODE = "INT-PROBE-LINKING";

async function ensureLinkingConsent(db: Db, caseId: string) {
  const linked = await db.interview.count({ where: { caseId, status: { not: "withdrawn" }, consents: { some: { current: true, scopeLinking: true } } } });
  if (linked || (await db.interview.findUnique({ where: { code: PROBE_CODE }, select: { id: true } }))) return;
  const at = new Date("2025-05-05T10:00:00Z");
  await db.interview.create({
    data: {
      code: PROBE_CODE,
      caseId,
      date: at,
      placeType: "office",
      languages: JSON.stringify(["de"]),
      status: "planned",
      consents: { create: { version: 1, givenBy: "person", givenAt: at, form: "written", language: "de", infoSheetVersion: "2025-01", scopeAnalysis: true, scopeLinking: true } },
    },
  });
}

export const provider: SampleProvider = {
  params: ["memoId", "noteId"],
  async samples(db, imUsername, base) {
    const content = sanitizeRichText({ json: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Stichprobe für die Routentests." }] }] }) });
    const researcher = await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
    const im = await db.user.findUniqueOrThrow({ where: { username: imUsername }, select: { id: true } });

    const memo =
      (await db.memo.findFirst({ where: { interviewId: base.interviewId, authorId: researcher.id }, select: { id: true } })) ??
      (await db.memo.create({
        data: { interviewId: base.interviewId, type: "method", title: "Stichprobe", contentJson: content.json, contentHtml: content.html, contentText: content.text, authorId: researcher.id },
        select: { id: true },
      }));

    const noteData = { type: "event", noteDate: new Date("2025-01-10T00:00:00Z"), title: "Stichprobe", contentJson: content.json, contentHtml: content.html };
    const note =
      (await db.biographyNote.findFirst({ where: { caseId: base.caseId }, select: { id: true } })) ??
      (await db.biographyNote.create({
        data: { caseId: base.caseId, ...noteData, contentText: content.text, authorId: im.id, versions: { create: { version: 1, ...noteData, editedById: im.id } } },
        select: { id: true },
      }));

    if (imUsername === "im.loerrach") await ensureLinkingConsent(db, base.caseId);
    return { memoId: memo.id, noteId: note.id };
  },
  forms: {
    "routes/memos.new": { intent: "save", title: "Stichprobe", type: "other", contentText: "Text" },
    "routes/memos.$memoId.edit": { intent: "save", title: "Stichprobe", type: "other", contentText: "Text" },
    "routes/cases.$caseId.notes.new": { intent: "save", title: "Stichprobe", type: "event", noteDate: "2025-01-10", contentText: "Text" },
    "routes/cases.$caseId.notes.$noteId._index": { intent: "save", title: "Stichprobe", type: "event", noteDate: "2025-01-10", contentText: "Text", version: "1" },
    "routes/cases.$caseId.notes.$noteId.versions": { restore: "1", version: "1" },
  },
};
