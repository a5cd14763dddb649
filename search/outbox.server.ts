// Sends index changes to Meilisearch. Every SearchEntry change leaves an outbox row in the same transaction
// (search/writer.server.ts); a worker reads a batch, sends the *current* state of those entries (upsert, or
// delete when the row is gone), waits until Meilisearch has applied it and only then deletes the outbox rows.
// A crash anywhere leaves the rows in place, and the next run sends them again (sending twice is harmless),
// so database and index converge. Several workers may drain at once for the same reason.
import type { Db } from "../app/db/client.server.ts";
import { repeat } from "../app/utils/repeat.server.ts";
import { ensureMeiliIndex, meiliClient, meiliId, meiliIndexName, toMeiliDoc } from "./engines/meili.server.ts";

const BATCH = 500;

export type DrainResult = { sent: number; deleted: number; failed: boolean };

/** Sends one batch; returns how many entries went out (0 when the outbox is empty). */
export async function drainOutboxOnce(db: Db, meili = meiliClient(), uid = meiliIndexName()): Promise<DrainResult> {
  const rows = await db.searchOutbox.findMany({ orderBy: { id: "asc" }, take: BATCH, select: { id: true, kind: true, sourceId: true } });
  if (!rows.length) return { sent: 0, deleted: 0, failed: false };
  const keys = [...new Map(rows.map((r) => [`${r.kind}\u0000${r.sourceId}`, { kind: r.kind, sourceId: r.sourceId }])).values()];
  const entries = await db.searchEntry.findMany({ where: { OR: keys.map((k) => ({ kind: k.kind, sourceId: k.sourceId })) } });
  const present = new Set(entries.map((e) => `${e.kind}\u0000${e.sourceId}`));
  const gone = keys.filter((k) => !present.has(`${k.kind}\u0000${k.sourceId}`)).map((k) => meiliId(k.kind, k.sourceId));
  try {
    const index = meili.index(uid);
    if (entries.length) await index.addDocuments(entries.map(toMeiliDoc), { primaryKey: "id" }).waitTask();
    if (gone.length) await index.deleteDocuments(gone).waitTask();
  } catch (e) {
    await db.searchOutbox.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { attempts: { increment: 1 }, lastError: String((e as Error).message ?? e).slice(0, 500) } });
    return { sent: 0, deleted: 0, failed: true };
  }
  await db.searchOutbox.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return { sent: entries.length, deleted: gone.length, failed: false };
}

/** Drains until the outbox is empty (or a batch fails). */
export async function drainOutbox(db: Db): Promise<DrainResult> {
  const total: DrainResult = { sent: 0, deleted: 0, failed: false };
  for (;;) {
    const r = await drainOutboxOnce(db);
    total.sent += r.sent;
    total.deleted += r.deleted;
    if (r.failed) return { ...total, failed: true };
    if (r.sent + r.deleted === 0) return total;
  }
}

/**
 * The worker loop (transcription/worker-main.ts starts it when Meilisearch is configured): drains, then waits
 * `pollMs`; after a failure it waits longer, up to a minute. Returns a function that stops it.
 */
export function startOutboxDrainer(db: Db, options: { pollMs: number; log: (line: string) => void }): () => Promise<void> {
  let delay = options.pollMs;
  let ready = false;
  return repeat(async () => {
    try {
      if (!ready) {
        await ensureMeiliIndex();
        ready = true;
      }
      const r = await drainOutbox(db);
      if (r.sent + r.deleted) options.log(`search index: ${r.sent} sent, ${r.deleted} removed`);
      delay = r.failed ? Math.min(60_000, delay * 2) : options.pollMs;
    } catch (e) {
      options.log(`search index: Meilisearch not reachable (${(e as Error).message}); trying again`);
      delay = Math.min(60_000, delay * 2);
    }
    return delay;
  });
}
