// Runs after every other eraser (order 99): the rows are gone, and with PRAGMA secure_delete (set on each SQLite
// connection, app/db/client.server.ts) and FTS5's secure-delete (migration 20261129130000_erase_on_disk) their
// bytes in the database file are zeroed. But the write-ahead log still holds earlier images of those pages, the
// text as it was, until SQLite reuses it. A TRUNCATE checkpoint copies the log into the file and empties it.
// It waits for readers (better-sqlite3's busy timeout); if one still holds an old snapshot the eraser fails, so
// the withdrawal stays pending and is finished when it is run again. PostgreSQL: nothing to do here
// (docs/decisions/0012-erasure-on-disk.md).
import { db } from "../db/client.server.ts";
import { isPostgres } from "../env.server.ts";
import type { Eraser } from "./erasers.server.ts";

const ATTEMPTS = 3;

export const databaseFileEraser: Eraser = {
  name: "database-file",
  order: 99,
  async preview() {
    return {};
  },
  async erase() {
    if (isPostgres()) return {};
    for (let attempt = 1; ; attempt++) {
      // busy = 1: a reader kept the log from being emptied; log = -1: the database is not in WAL mode. An error:
      // the connection was inside another request's transaction at that moment (SQLite refuses a checkpoint there).
      const busy = await db.$queryRawUnsafe<{ busy: bigint | number }[]>("PRAGMA wal_checkpoint(TRUNCATE)").then(
        ([row]) => Number(row?.busy ?? 0) !== 0,
        () => true,
      );
      if (!busy) return {};
      if (attempt === ATTEMPTS) throw new Error("The SQLite write-ahead log could not be emptied (a reader held it); run the withdrawal again");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  },
};
