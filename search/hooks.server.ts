// The one interface through which the rest of the app tells search that text changed. Every caller passes its
// own transaction, so the embedded FTS5 index is written in the same transaction as the text it mirrors (and
// the Meilisearch outbox row with it). Callers: transcripts (save, restore, import, whisper), codings, memos,
// biography notes, codebook, narratives, withdrawal.
import type { Prisma } from "../app/db/client.server.ts";
import { codeDoc, memoDoc, narrativeDoc, noteDoc, paragraphCodeState, paragraphCodeStateIn, transcriptIndexState } from "./documents.server.ts";
import { syncEntries, syncOne, updateEntryCodes } from "./writer.server.ts";

type Tx = Prisma.TransactionClient;

/** The interview's transcript paragraphs changed (save, restore, import, transcription): re-index all of them. */
export async function indexTranscript(tx: Tx, interviewId: string): Promise<void> {
  const { docs, stored } = await transcriptIndexState(tx, interviewId);
  await syncEntries(tx, { kind: "paragraph", interviewId }, docs, stored);
}

/**
 * Codings of the interview changed (apply, resize, remove, merge of codes) but not its text: refresh the codes on
 * its passages and the memos on its codings. After a text change call indexTranscript (it writes codes too).
 * `scope.spans`: the code point ranges of the codings that were added, moved (old and new range) or removed; only
 * passages overlapping them are refreshed. `scope.memos: false`: no memo's code changed (apply, resize).
 */
export async function codingsChanged(tx: Tx, interviewId: string, scope?: { spans: readonly { start: number; end: number }[]; memos: boolean }): Promise<void> {
  // Usually only the codes on a few passages change: refresh those without reading or tokenizing any text.
  const state = scope ? await paragraphCodeStateIn(tx, interviewId, scope.spans) : await paragraphCodeState(tx, interviewId);
  if (state) await updateEntryCodes(tx, state.updates);
  else await indexTranscript(tx, interviewId);
  if (scope && !scope.memos) return;
  // Memos on its codings carry the coding's code.
  const memos = await tx.searchEntry.findMany({ where: { kind: "memo", interviewId }, select: { sourceId: true } });
  for (const m of memos) await indexMemo(tx, m.sourceId);
}

export async function indexMemo(tx: Tx, memoId: string): Promise<void> {
  await syncOne(tx, "memo", memoId, await memoDoc(tx, memoId));
}
export async function removeMemo(tx: Tx, memoId: string): Promise<void> {
  await syncOne(tx, "memo", memoId, null);
}

export async function indexNote(tx: Tx, noteId: string): Promise<void> {
  await syncOne(tx, "note", noteId, await noteDoc(tx, noteId));
}
export async function removeNote(tx: Tx, noteId: string): Promise<void> {
  await syncOne(tx, "note", noteId, null);
}

/** A code changed (name, description, place in the tree): its entry, and the dimension on its passages. */
export async function indexCode(tx: Tx, codeId: string): Promise<void> {
  const before = await tx.searchEntry.findUnique({ where: { kind_sourceId: { kind: "code", sourceId: codeId } }, select: { dimensions: true } });
  const doc = await codeDoc(tx, codeId);
  await syncOne(tx, "code", codeId, doc);
  // Moved to another dimension: the passages coded with it carry the dimension too.
  if (before && doc && before.dimensions !== doc.dimensions) await reindexCodedWith(tx, codeId);
}
export async function removeCode(tx: Tx, codeId: string): Promise<void> {
  await syncOne(tx, "code", codeId, null);
  await reindexCodedWith(tx, codeId);
}

async function reindexCodedWith(tx: Tx, codeId: string) {
  const pattern = `"${codeId}"`;
  const passages = await tx.searchEntry.findMany({ where: { codeIds: { contains: pattern } }, select: { kind: true, sourceId: true, interviewId: true } });
  const interviews = new Set(passages.filter((p) => p.kind === "paragraph" && p.interviewId).map((p) => p.interviewId!));
  for (const id of interviews) await indexTranscript(tx, id);
  for (const p of passages.filter((p) => p.kind === "memo")) await indexMemo(tx, p.sourceId);
}

/** A narrative was released (indexed for the commissioner) or retracted/deleted (removed). */
export async function indexNarrative(tx: Tx, narrativeId: string): Promise<void> {
  await syncOne(tx, "narrative", narrativeId, await narrativeDoc(tx, narrativeId));
}
export async function removeNarrative(tx: Tx, narrativeId: string): Promise<void> {
  await syncOne(tx, "narrative", narrativeId, null);
}

/**
 * A case moved to another municipality or group: every entry of it carries both (the integration managers' scope
 * and the filters read them), so its passages, memos and notes are written again.
 */
export async function caseChanged(tx: Tx, caseId: string): Promise<void> {
  const entries = await tx.searchEntry.findMany({ where: { caseId }, select: { kind: true, sourceId: true, interviewId: true } });
  const interviews = await tx.interview.findMany({ where: { caseId }, select: { id: true } });
  for (const id of new Set([...interviews.map((i) => i.id), ...entries.filter((e) => e.kind === "paragraph" && e.interviewId).map((e) => e.interviewId!)])) await indexTranscript(tx, id);
  for (const e of entries.filter((e) => e.kind === "memo")) await indexMemo(tx, e.sourceId);
  const notes = await tx.biographyNote.findMany({ where: { caseId }, select: { id: true } });
  for (const id of new Set([...notes.map((n) => n.id), ...entries.filter((e) => e.kind === "note").map((e) => e.sourceId)])) await indexNote(tx, id);
}

/** Everything of one interview (withdrawal): paragraphs, its memos, passages. */
export async function removeInterview(tx: Tx, interviewId: string): Promise<void> {
  await syncEntries(tx, { interviewId }, []);
}
