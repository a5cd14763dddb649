// Codings follow the text: whenever a transcript's text changes (save, restore, import), its codings are moved in
// the same transaction. Positions the editor mapped exactly (through its transactions) win; everything else is
// mapped through a diff of the old and new plain text (docs/decisions/0008-coding-anchors.md). The caller tells
// search (it re-indexes the transcript anyway; codingsChanged when codings moved).
import type { Prisma } from "../db/client.server.ts";
import { writeText } from "../transcripts/formats/text.ts";
import type { Paragraph } from "../transcripts/formats/types.ts";
import { OffsetMap, editsFromDiff, followDiff, isValidSpan, mapRange, type Edit } from "./anchoring.ts";

type Tx = Prisma.TransactionClient;

/** What the editor sends with a save: the codings it loaded, and where they are after the user's edits. */
export type EditorAnchors = { known: string[]; positions: { id: string; start: number; end: number }[] };

/** The plain text codings index into: the Dresing & Pehl layout of the paragraphs. */
export const plainText = (paragraphs: readonly Pick<Paragraph, "speaker" | "text" | "endMs">[]) => writeText(paragraphs as Paragraph[]);

/** The current plain text of a transcript, from its stored paragraphs. */
export async function currentText(tx: Tx, transcriptId: string): Promise<string> {
  const rows = await tx.transcriptParagraph.findMany({ where: { transcriptId }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } });
  return plainText(rows);
}

/** The plain text of a stored version, or null when that version was never kept. */
export async function versionText(tx: Tx, transcriptId: string, version: number): Promise<string | null> {
  const row = await tx.transcriptVersion.findUnique({ where: { transcriptId_version: { transcriptId, version } }, select: { paragraphs: true } });
  return row ? plainText(JSON.parse(row.paragraphs) as Paragraph[]) : null;
}

export type FollowResult = { moved: number; orphaned: number };

/**
 * Moves the codings of a transcript from oldText to newText. `anchors` (from the editor) give exact positions for
 * the codings it knew; known codings without a position had all their words deleted (orphaned, quote kept);
 * codings it did not know (made meanwhile elsewhere) and all codings when there are no anchors follow the diff.
 */
export async function followText(tx: Tx, transcriptId: string, oldText: string, newText: string, anchors?: EditorAnchors): Promise<FollowResult> {
  const codings = await tx.coding.findMany({ where: { transcriptId }, select: { id: true, interviewId: true, start: true, end: true, quote: true, orphaned: true } });
  if (!codings.length || (oldText === newText && !anchors)) return { moved: 0, orphaned: 0 };
  const text = new OffsetMap(newText);
  const known = new Set(anchors?.known ?? []);
  const given = new Map((anchors?.positions ?? []).map((p) => [p.id, p]));
  let edits: Edit[] | null = null;
  let before: OffsetMap | null = null;
  const diffEdits = () => (edits ??= editsFromDiff(oldText, newText));

  let moved = 0;
  let orphaned = 0;
  for (const coding of codings) {
    let next: { start: number; end: number; orphaned: boolean };
    const position = given.get(coding.id);
    if (position && isValidSpan(position, text.length)) {
      next = { start: position.start, end: position.end, orphaned: false };
    } else if (known.has(coding.id) && !position) {
      // the editor saw every character of it deleted; keep it where the diff puts its collapsed position
      const point = Math.min(mapRange(coding, diffEdits()).start, text.length);
      next = { start: point, end: point, orphaned: true };
    } else {
      next = followDiff((before ??= new OffsetMap(oldText)), coding, text, diffEdits());
    }
    next.start = Math.min(next.start, text.length);
    next.end = Math.min(Math.max(next.end, next.start), text.length);
    // an orphan keeps the quote of the words it lost, so a reviewer can see what was coded
    const quote = next.orphaned ? coding.quote : text.slice(next.start, next.end);
    if (next.start === coding.start && next.end === coding.end && next.orphaned === coding.orphaned && quote === coding.quote) continue;
    await tx.coding.update({ where: { id: coding.id }, data: { start: next.start, end: next.end, orphaned: next.orphaned, quote } });
    moved++;
    if (next.orphaned && !coding.orphaned) orphaned++;
  }
  return { moved, orphaned };
}
