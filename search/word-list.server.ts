// PostgreSQL's word list for word parts (*prüfung, *prüf*; ADR 0009). PostgreSQL has no term list of its text
// search index, and reading the words of every stored vector took 0.7 s per query on 1,000 interviews. So the words
// are kept as a snapshot ("SearchWordList", refreshed here), and the vector triggers note each entry whose words
// change ("SearchWordListPending": entry ids under a sequence key, so concurrent saves never wait for each other);
// a lookup reads the snapshot and the vectors of the noted entries. Notes are kept for a margin after a refresh
// began, for transactions still open then. Words of deleted entries may stay in the snapshot until the next refresh:
// they are used only inside a query (an OR of words that then matches nothing) and never shown. A withdrawal
// refreshes at once (search eraser), so none of its words stays. Refreshers: the transcription worker when entries
// changed (startWordListRefresher), the search eraser and npm run search:reindex. SQLite reads FTS5's own term list.
import type { Db } from "../app/db/client.server.ts";
import { repeat } from "../app/utils/repeat.server.ts";

/** Entries changed this long before a snapshot began are still read from their vectors (open transactions). */
const MARGIN = "interval '10 minutes'";

const LOCK = `hashtext('lebenswege:search-word-list')`;

export type WordListRefresh = { refreshed: boolean; words: number; ms: number };

/**
 * Replaces the snapshot with the words of every stored vector (changes only: an unchanged word is not rewritten).
 * `wait`: wait for a refresh running elsewhere and then refresh (a withdrawal must not rely on a snapshot that
 * began before its rows were gone); otherwise give way to it.
 */
export async function refreshWordList(db: Db, { wait = false } = {}): Promise<WordListRefresh> {
  const started = Date.now();
  return db.$transaction(
    async (tx) => {
      if (wait) await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${LOCK})`);
      else {
        const [got] = await tx.$queryRawUnsafe<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${LOCK}) AS ok`);
        if (!got?.ok) return { refreshed: false, words: 0, ms: Date.now() - started };
      }
      // The transaction's start (now()) is before the words are read: a note made since is newer than it.
      await tx.$executeRawUnsafe(`CREATE TEMPORARY TABLE lw_fresh_words ON COMMIT DROP AS SELECT DISTINCT w AS "word" FROM "SearchEntryVector" v, unnest(tsvector_to_array(v."vector")) AS w`);
      await tx.$executeRawUnsafe(`DELETE FROM "SearchWordList" s WHERE NOT EXISTS (SELECT 1 FROM lw_fresh_words f WHERE f."word" = s."word")`);
      await tx.$executeRawUnsafe(`INSERT INTO "SearchWordList" ("word") SELECT "word" FROM lw_fresh_words ON CONFLICT ("word") DO NOTHING`);
      const [count] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM lw_fresh_words`);
      await tx.$executeRawUnsafe(`DELETE FROM "SearchWordListPending" WHERE "at" < now() - ${MARGIN}`);
      await tx.$executeRawUnsafe(`INSERT INTO "SearchWordListState" ("id", "refreshedAt") VALUES (1, now()) ON CONFLICT ("id") DO UPDATE SET "refreshedAt" = EXCLUDED."refreshedAt"`);
      return { refreshed: true, words: Number(count?.n ?? 0), ms: Date.now() - started };
    },
    { maxWait: 60_000, timeout: 300_000 },
  );
}

/** Whether an entry's words changed since the snapshot began (or there is none yet). */
export async function wordListStale(db: Db): Promise<boolean> {
  const [row] = await db.$queryRawUnsafe<{ stale: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM "SearchWordListState") OR EXISTS (SELECT 1 FROM "SearchWordListPending" WHERE "at" >= (SELECT "refreshedAt" FROM "SearchWordListState" WHERE "id" = 1)) AS stale`,
  );
  return row?.stale ?? true;
}

/**
 * The worker's loop (transcription/worker-main.ts, on PostgreSQL): every `everyMs`, refreshes when
 * entries changed. Several workers may run it; one refreshes at a time. Returns a function that stops it.
 */
export function startWordListRefresher(db: Db, options: { everyMs: number; log: (line: string) => void }): () => Promise<void> {
  return repeat(async () => {
    try {
      if (await wordListStale(db)) {
        const r = await refreshWordList(db);
        if (r.refreshed) options.log(`search word list: ${r.words} words (${r.ms} ms)`);
      }
    } catch (e) {
      options.log(`search word list: not refreshed (${(e as Error).message}); trying again`);
    }
    return options.everyMs;
  });
}
