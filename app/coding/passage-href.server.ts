// Links that open a transcript at a coded passage, the way a coded segment's and a search hit's links do
// (?at=&from=&to=, read by the transcript editor's linkedRange): the words selected and in view, the caret on
// them, the player at the turn's time. Used by a coding memo's link to its coding.
import { db } from "../db/client.server.ts";
import { join, paragraphBlocks, sql } from "../retrieval/sql.server.ts";

export type CodedPassage = { interviewId: string; transcriptId: string; start: number; end: number; orphaned: boolean };

const keyOf = (p: Pick<CodedPassage, "transcriptId" | "start">) => `${p.transcriptId}:${p.start}`;

/** Passages per query: SQLite refuses an expression nested deeper than 1000 (each OR is one level). */
const CHUNK = 200;

/** The start time (ms) of the turn each passage begins in, by "transcriptId:start"; one query per 200 passages. */
export async function passageTimes(passages: readonly CodedPassage[]): Promise<Map<string, number>> {
  const placed = passages.filter((p) => !p.orphaned);
  const out = new Map<string, number>();
  for (let i = 0; i < placed.length; i += CHUNK) for (const [k, v] of await chunkTimes(placed.slice(i, i + CHUNK))) out.set(k, v);
  return out;
}

async function chunkTimes(placed: readonly CodedPassage[]): Promise<Map<string, number>> {
  if (!placed.length) return new Map();
  const transcriptIds = [...new Set(placed.map((p) => p.transcriptId))];
  // The paragraph whose block holds the passage's first code point.
  const holding = join(
    placed.map((p) => sql`(para."transcriptId" = ${p.transcriptId} AND para."blockEnd" > ${p.start} AND para."blockEnd" - para."blockLen" <= ${p.start})`),
    " OR ",
  );
  type Row = { transcriptId: string; startMs: number | bigint; blockEnd: number | bigint; blockLen: number | bigint };
  const rows = await db.$queryRaw<Row[]>(sql`SELECT * FROM (${paragraphBlocks(sql`p."transcriptId" IN (${join(transcriptIds)})`, sql`, p."startMs"`)}) para WHERE ${holding}`);
  const out = new Map<string, number>();
  for (const p of placed) {
    const row = rows.find((r) => r.transcriptId === p.transcriptId && Number(r.blockEnd) > p.start && Number(r.blockEnd) - Number(r.blockLen) <= p.start);
    if (row) out.set(keyOf(p), Number(row.startMs));
  }
  return out;
}

/** The transcript at the passage; an orphaned coding (its words deleted) has none, its link opens the transcript. */
export function passageHref(p: CodedPassage, times: ReadonlyMap<string, number>): string {
  const base = `/interviews/${p.interviewId}/transcript`;
  if (p.orphaned) return base;
  const at = times.get(keyOf(p));
  return `${base}?${at === undefined ? "" : `at=${at}&`}from=${p.start}&to=${p.end}`;
}
