// The one interface through which the rest of the app tells search that text changed. Every caller passes its
// own transaction, so the embedded FTS5 index is written in the same transaction as the text it mirrors (and
// the Meilisearch outbox row with it). Callers: transcripts (save, restore, import, whisper), codings, memos,
// biography notes, codebook, narratives, withdrawal.
//
// Bodies are implemented by search/ (issue 7); until then these are deliberate no-ops with the final signatures.
import type { Prisma } from "../app/db/client.server.ts";

type Tx = Prisma.TransactionClient;

/** The interview's transcript paragraphs changed (save, restore, import, transcription): re-index all of them. */
export async function indexTranscript(_tx: Tx, _interviewId: string): Promise<void> {}

/** Codings of the interview changed (apply, resize, remove, merge of codes): refresh the codes on its passages. */
export async function codingsChanged(_tx: Tx, _interviewId: string): Promise<void> {}

export async function indexMemo(_tx: Tx, _memoId: string): Promise<void> {}
export async function removeMemo(_tx: Tx, _memoId: string): Promise<void> {}

export async function indexNote(_tx: Tx, _noteId: string): Promise<void> {}
export async function removeNote(_tx: Tx, _noteId: string): Promise<void> {}

export async function indexCode(_tx: Tx, _codeId: string): Promise<void> {}
export async function removeCode(_tx: Tx, _codeId: string): Promise<void> {}

/** A narrative was released (indexed for the commissioner) or retracted/deleted (removed). */
export async function indexNarrative(_tx: Tx, _narrativeId: string): Promise<void> {}
export async function removeNarrative(_tx: Tx, _narrativeId: string): Promise<void> {}

/** Everything of one interview (withdrawal): paragraphs, its memos, passages. */
export async function removeInterview(_tx: Tx, _interviewId: string): Promise<void> {}
