// Rebuilds every index from the source tables: SearchEntry (and with it FTS5 or PostgreSQL's index), then
// Meilisearch when configured. Source by source, each in its own short transaction, so the app keeps running;
// entries whose source is gone are removed. `npm run search:reindex` (scripts/search-reindex.ts) shows progress.
import type { Db } from "../app/db/client.server.ts";
import { searchConfig } from "./config.ts";
import { refreshWordList } from "./word-list.server.ts";
import { dialectOf } from "./raw-sql.server.ts";
import { indexCode, indexMemo, indexNarrative, indexNote, indexTranscript } from "./hooks.server.ts";
import { ensureMeiliIndex, meiliClient, meiliIndexName, toMeiliDoc } from "./engines/meili.server.ts";

const FILTER_COLUMNS = ["rowid", "audience", "kind", "interviewId", "municipalityId", "caseGroup", "speaker", "authorId", "docDate", "language", "codeIds", "dimensions"].map((c) => `"${c}"`).join(", ");

export type Progress = (done: number, total: number, label: string) => void;

const TX = { maxWait: 15_000, timeout: 120_000 };

export async function rebuildEntries(db: Db, progress: Progress = () => {}): Promise<{ entries: number }> {
  const [interviews, memos, notes, codes, narratives] = await Promise.all([
    db.interview.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.memo.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.biographyNote.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.code.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
    db.narrative.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
  ]);
  const jobs: [string, (tx: Parameters<typeof indexTranscript>[0], id: string) => Promise<void>, string[]][] = [
    ["paragraph", indexTranscript, interviews.map((r) => r.id)],
    ["memo", indexMemo, memos.map((r) => r.id)],
    ["note", indexNote, notes.map((r) => r.id)],
    ["code", indexCode, codes.map((r) => r.id)],
    ["narrative", indexNarrative, narratives.map((r) => r.id)],
  ];
  const total = jobs.reduce((n, [, , ids]) => n + ids.length, 0) + 1;
  let done = 0;
  for (const [label, index, ids] of jobs) {
    for (const id of ids) {
      await db.$transaction((tx) => index(tx, id), TX);
      progress(++done, total, label);
    }
  }
  // Entries whose source no longer exists (deleted while search was not told).
  const stale = await db.$transaction(async (tx) => {
    const keep = {
      paragraph: new Set(interviews.map((r) => r.id)),
      memo: new Set(memos.map((r) => r.id)),
      note: new Set(notes.map((r) => r.id)),
      code: new Set(codes.map((r) => r.id)),
      narrative: new Set(narratives.map((r) => r.id)),
    } as Record<string, Set<string>>;
    const all = await tx.searchEntry.findMany({ select: { rowid: true, kind: true, sourceId: true, interviewId: true } });
    const gone = all.filter((e) => !(e.kind === "paragraph" ? e.interviewId && keep.paragraph!.has(e.interviewId) : keep[e.kind]?.has(e.sourceId)));
    if (gone.length) {
      await tx.searchEntry.deleteMany({ where: { rowid: { in: gone.map((g) => g.rowid) } } });
      if (searchConfig().engine === "meilisearch") await tx.searchOutbox.createMany({ data: gone.map((g) => ({ op: "delete", kind: g.kind, sourceId: g.sourceId })) });
    }
    return gone.length;
  }, TX);
  void stale;
  if (searchConfig().engine === "fts5") {
    // The FTS5 index and the filter table, rebuilt from SearchEntry (repairs drift, e.g. after a restore).
    await db.$transaction([
      db.$executeRawUnsafe(`INSERT INTO "SearchEntryFts" ("SearchEntryFts") VALUES ('rebuild')`),
      db.$executeRawUnsafe(`DELETE FROM "SearchEntryFilters"`),
      db.$executeRawUnsafe(`INSERT INTO "SearchEntryFilters" SELECT ${FILTER_COLUMNS} FROM "SearchEntry"`),
    ]);
  }
  if (dialectOf(db) === "postgres") {
    // PostgreSQL's stored vectors (SearchEntryVector), rebuilt from SearchEntry the same way.
    await db.$transaction([
      db.$executeRawUnsafe(`DELETE FROM "SearchEntryVector"`),
      db.$executeRawUnsafe(`INSERT INTO "SearchEntryVector" ("rowid", "vector") SELECT "rowid", lw_search_vector("text") FROM "SearchEntry"`),
    ]);
    // And the word list of word parts from those vectors (search/word-list.server.ts).
    await refreshWordList(db, { wait: true });
  }
  progress(++done, total, dialectOf(db) === "postgres" ? "text search" : "fts5");
  return { entries: await db.searchEntry.count() };
}

/** Replaces the Meilisearch index's documents with SearchEntry's rows. */
export async function rebuildMeili(db: Db, progress: Progress = () => {}): Promise<{ documents: number }> {
  const meili = meiliClient();
  const uid = meiliIndexName();
  await ensureMeiliIndex(meili, uid);
  // Outbox rows written before now are covered by this full copy.
  const last = await db.searchOutbox.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  await meili.index(uid).deleteAllDocuments().waitTask();
  const total = await db.searchEntry.count();
  let done = 0;
  let cursor = 0;
  for (;;) {
    const rows = await db.searchEntry.findMany({ where: { rowid: { gt: cursor } }, orderBy: { rowid: "asc" }, take: 2000 });
    if (!rows.length) break;
    await meili.index(uid).addDocuments(rows.map(toMeiliDoc), { primaryKey: "id" }).waitTask({ timeout: 600_000 });
    cursor = rows.at(-1)!.rowid;
    done += rows.length;
    progress(done, total, "meilisearch");
  }
  if (last) await db.searchOutbox.deleteMany({ where: { id: { lte: last.id } } });
  return { documents: done };
}
