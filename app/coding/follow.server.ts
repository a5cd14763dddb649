// Codings follow the text: whenever a transcript's text changes (save, restore, import), its codings are moved in
// the same transaction. Positions the editor mapped exactly (through its transactions) win; everything else is
// mapped through a diff of the old and new plain text (docs/decisions/0008-coding-anchors.md). The caller tells
// search (it re-indexes the transcript; codingsChanged after that when codings moved, for the memos on them).
import type { Prisma } from "../db/client.server.ts";
import { writeText } from "../transcripts/formats/text.ts";
import type { Paragraph } from "../transcripts/formats/types.ts";
import { OffsetMap, editsFromDiff, followDiff, isValidSpan, mapRange, type Edit } from "./anchoring.ts";
import { dialectOf, toDbDate } from "../../search/raw-sql.server.ts";

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

// The current text of recently coded transcripts, as an OffsetMap, per (transcript, version): applying or resizing a
// coding needs it, and laying out 1,500 turns on every click costs more than the rest of the query. Every change of
// the paragraphs bumps the version (save, restore, import), so a key never names two texts; a transcript that is
// deleted (withdrawal) is never looked up again. Few entries and a short life, so personal text does not linger in
// memory: the coding eraser empties it as well (forgetCurrentTexts).
const TEXT_CACHE_SIZE = 8;
const TEXT_CACHE_MS = 10 * 60_000;
const textCache = new Map<string, { map: OffsetMap; at: number }>();

/**
 * The current plain text of a transcript as an OffsetMap. `version` must be the transcript's version read in the
 * same transaction (its text is that version's, as long as nothing in this transaction changed the paragraphs).
 */
export async function currentTextMap(tx: Tx, transcriptId: string, version: number): Promise<OffsetMap> {
  const key = `${transcriptId}\u0000${version}`;
  const now = Date.now();
  const hit = textCache.get(key);
  if (hit && now - hit.at < TEXT_CACHE_MS) {
    // most recently used last
    textCache.delete(key);
    textCache.set(key, hit);
    return hit.map;
  }
  const map = new OffsetMap(await currentText(tx, transcriptId));
  // Under READ COMMITTED (PostgreSQL) a save may commit between reading the version and the paragraphs: keep the
  // text only when the version is still the same after it (a save changes both at once).
  const after = await tx.transcript.findUnique({ where: { id: transcriptId }, select: { version: true } });
  if (after?.version !== version) return map;
  textCache.delete(key);
  textCache.set(key, { map, at: now });
  for (const [k, v] of textCache) if (textCache.size > TEXT_CACHE_SIZE || now - v.at >= TEXT_CACHE_MS) textCache.delete(k);
  return map;
}

/** Empties the text cache (withdrawal: no transcript text stays in memory after it is erased). */
export function forgetCurrentTexts() {
  textCache.clear();
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
/**
 * `replaced`: the whole text was replaced (an import, a new transcription), not edited: a coding that keeps fewer
 * than half of its words is orphaned (kept with its quote for review) instead of shrinking onto what happens to be
 * left ("Ich habe in Damaskus Pharmazie studiert" coded, "Ich habe" left over in unrelated new text).
 */
export async function followText(tx: Tx, transcriptId: string, oldText: string, newText: string, anchors?: EditorAnchors, { replaced = false }: { replaced?: boolean } = {}): Promise<FollowResult> {
  const codings = await tx.coding.findMany({ where: { transcriptId }, select: { id: true, interviewId: true, start: true, end: true, quote: true, orphaned: true } });
  if (!codings.length || (oldText === newText && !anchors)) return { moved: 0, orphaned: 0 };
  const text = new OffsetMap(newText);
  const known = new Set(anchors?.known ?? []);
  const given = new Map((anchors?.positions ?? []).map((p) => [p.id, p]));
  let edits: Edit[] | null = null;
  let before: OffsetMap | null = null;
  const diffEdits = () => (edits ??= editsFromDiff(oldText, newText));

  let orphaned = 0;
  const changes: Moved[] = [];
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
    if (replaced && !next.orphaned && !coding.orphaned && keptShare(coding.quote, text.slice(next.start, next.end)) < 0.5) next.orphaned = true;
    // an orphan keeps the quote of the words it lost, so a reviewer can see what was coded
    const quote = next.orphaned ? coding.quote : text.slice(next.start, next.end);
    if (next.start === coding.start && next.end === coding.end && next.orphaned === coding.orphaned && quote === coding.quote) continue;
    changes.push({ id: coding.id, start: next.start, end: next.end, orphaned: next.orphaned, quote });
    if (next.orphaned && !coding.orphaned) orphaned++;
  }
  await moveCodings(tx, changes);
  return { moved: changes.length, orphaned };
}

type Moved = { id: string; start: number; end: number; orphaned: boolean; quote: string };
const MOVE_CHUNK = 500;
const SQLITE_MOVE = `UPDATE "Coding" SET "start" = j.value ->> 1, "end" = j.value ->> 2, "orphaned" = j.value ->> 3, "quote" = j.value ->> 4, "updatedAt" = ? FROM json_each(?) AS j WHERE "Coding"."id" = j.value ->> 0`;
const POSTGRES_MOVE = `UPDATE "Coding" AS c SET "start" = CAST(r ->> 1 AS integer), "end" = CAST(r ->> 2 AS integer), "orphaned" = CAST(r ->> 3 AS boolean), "quote" = r ->> 4, "updatedAt" = CAST($1 AS timestamp(3)) FROM jsonb_array_elements(CAST($2 AS jsonb)) AS r WHERE c."id" = r ->> 0`;

/**
 * Writes the new positions, a statement per 500 codings: one word changed near the start of a 2-hour transcript
 * moves every coding after it, and an update per coding made a save take most of a second (npm run bench:coding).
 */
async function moveCodings(tx: Tx, changes: readonly Moved[]): Promise<void> {
  if (!changes.length) return;
  const dialect = dialectOf(tx);
  const now = toDbDate(new Date(), dialect);
  for (let i = 0; i < changes.length; i += MOVE_CHUNK) {
    const rows = JSON.stringify(changes.slice(i, i + MOVE_CHUNK).map((c) => [c.id, c.start, c.end, dialect === "sqlite" ? (c.orphaned ? 1 : 0) : c.orphaned, c.quote]));
    await tx.$executeRawUnsafe(dialect === "sqlite" ? SQLITE_MOVE : POSTGRES_MOVE, now, rows);
  }
}

/** The share of the old quote's words (as a multiset, case-blind) that the new quote still holds. */
export function keptShare(oldQuote: string, newQuote: string): number {
  const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const before = words(oldQuote);
  if (!before.length) return 1;
  const left = new Map<string, number>();
  for (const w of words(newQuote)) left.set(w, (left.get(w) ?? 0) + 1);
  let kept = 0;
  for (const w of before) {
    const n = left.get(w) ?? 0;
    if (n > 0) (kept++, left.set(w, n - 1));
  }
  return kept / before.length;
}
