// Writes SearchEntry rows inside the caller's transaction. Only what changed is written: unchanged rows stay,
// changed rows are updated, vanished ones deleted. The FTS5 index follows through triggers (same transaction);
// PostgreSQL's index is an expression index on the row; for Meilisearch every change also leaves an outbox row
// in the same transaction, which a worker sends on (search/outbox.server.ts), so the two converge after a crash.
// Raw SQL, a few statements per call (a transcript's rows in one INSERT): Prisma's per-row cost would make
// indexing a long transcript many times slower than FTS5 itself (measured by npm run bench:search).
import { usesOutbox } from "./config.ts";
import { storedFromRow, type EntryDoc, type Kind, type StoredEntry } from "./documents.server.ts";
import { dialectOf, Params, toDbDate, type Tx } from "./raw-sql.server.ts";

const COMPARED = ["title", "text", "interviewId", "caseId", "municipalityId", "caseGroup", "language", "speaker", "startMs", "authorId", "codeIds", "dimensions", "audience"] as const;
const COLUMNS = ["kind", "sourceId", ...COMPARED, "docDate", "updatedAt"] as const;
const quoted = (c: string) => `"${c}"`;

/** Which rows a sync covers: one document, or all of a kind (and/or) of an interview. */
export type EntryScope = { kind?: Kind; interviewId?: string; sourceId?: string };

type Stored = StoredEntry;

function same(a: Stored, b: EntryDoc): boolean {
  return COMPARED.every((k) => (a[k] ?? null) === (b[k] ?? null)) && (a.docDate?.getTime() ?? null) === (b.docDate?.getTime() ?? null);
}

function scopeSql(scope: EntryScope, p: Params): string {
  const parts: string[] = [];
  if (scope.kind) parts.push(`"kind" = ${p.add(scope.kind)}`);
  if (scope.sourceId) parts.push(`"sourceId" = ${p.add(scope.sourceId)}`);
  if (scope.interviewId) parts.push(`"interviewId" = ${p.add(scope.interviewId)}`);
  if (!parts.length) throw new Error("syncEntries needs a scope");
  return parts.join(" AND ");
}

async function readStored(tx: Tx, scope: EntryScope): Promise<Stored[]> {
  const p = new Params(dialectOf(tx));
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT "rowid", ${["kind", "sourceId", ...COMPARED, "docDate"].map(quoted).join(", ")} FROM "SearchEntry" WHERE ${scopeSql(scope, p)}`, ...p.values);
  return rows.map(storedFromRow);
}

function values(doc: EntryDoc, dialect: Params["dialect"], now: string): unknown[] {
  return COLUMNS.map((c) => (c === "docDate" ? toDbDate(doc.docDate, dialect) : c === "updatedAt" ? now : (doc[c] ?? null)));
}

const CHUNK = 400;

const SQLITE_INSERT = `INSERT INTO "SearchEntry" (${COLUMNS.map(quoted).join(", ")}) SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?)`;
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  kind: "text", sourceId: "text", title: "text", text: "text", interviewId: "text", caseId: "text", municipalityId: "text", caseGroup: "text",
  language: "text", speaker: "text", startMs: "integer", authorId: "text", codeIds: "text", dimensions: "text", audience: "text",
  docDate: "timestamp(3)", updatedAt: "timestamp(3)",
};
const POSTGRES_INSERT = `INSERT INTO "SearchEntry" (${COLUMNS.map(quoted).join(", ")}) SELECT ${COLUMNS.map((c, i) => `CAST(r ->> ${i} AS ${PG_TYPES[c]})`).join(", ")} FROM jsonb_array_elements(CAST($1 AS jsonb)) AS r`;

export type SyncCounts = { created: number; updated: number; deleted: number };

/** Makes the SearchEntry rows in `scope` equal to `docs` (which must all lie in the scope). */
export async function syncEntries(tx: Tx, scope: EntryScope, docs: readonly EntryDoc[], known: Stored[] | null = null): Promise<SyncCounts> {
  const dialect = dialectOf(tx);
  // `known`: the rows in scope, when the caller read them already (indexTranscript reads them with the text).
  const stored = known ?? (await readStored(tx, scope));
  const byKey = new Map(stored.map((s) => [`${s.kind}\u0000${s.sourceId}`, s]));
  const creates: EntryDoc[] = [];
  const updates: { rowid: number; doc: EntryDoc }[] = [];
  for (const doc of docs) {
    const key = `${doc.kind}\u0000${doc.sourceId}`;
    const old = byKey.get(key);
    byKey.delete(key);
    if (!old) creates.push(doc);
    else if (!same(old, doc)) updates.push({ rowid: old.rowid, doc });
  }
  const deletes = [...byKey.values()];
  const now = toDbDate(new Date(), dialect)!;

  for (let i = 0; i < deletes.length; i += CHUNK) {
    const p = new Params(dialect);
    await tx.$executeRawUnsafe(`DELETE FROM "SearchEntry" WHERE "rowid" IN (${p.list(deletes.slice(i, i + CHUNK).map((d) => d.rowid))})`, ...p.values);
  }
  for (const u of updates) {
    const p = new Params(dialect);
    const set = COLUMNS.map((c, i) => `${quoted(c)} = ${p.add(values(u.doc, dialect, now)[i])}`).join(", ");
    await tx.$executeRawUnsafe(`UPDATE "SearchEntry" SET ${set} WHERE "rowid" = ${p.add(u.rowid)}`, ...p.values);
  }
  if (creates.length) {
    // All new rows as one JSON parameter, expanded by the database: binding thousands of separate parameters
    // through Prisma costs more than SQLite's own insert.
    const rows = JSON.stringify(creates.map((d) => values(d, dialect, now)));
    await tx.$executeRawUnsafe(dialect === "sqlite" ? SQLITE_INSERT : POSTGRES_INSERT, rows);
  }

  if (usesOutbox()) {
    const ops = [
      ...deletes.map((d) => ["delete", d.kind, d.sourceId]),
      ...[...creates, ...updates.map((u) => u.doc)].map((d) => ["upsert", d.kind, d.sourceId]),
    ];
    for (let i = 0; i < ops.length; i += CHUNK) {
      const p = new Params(dialect);
      const rows = ops.slice(i, i + CHUNK).map((o) => `(${p.list([...o, now])})`);
      await tx.$executeRawUnsafe(`INSERT INTO "SearchOutbox" ("op", "kind", "sourceId", "createdAt") VALUES ${rows.join(", ")}`, ...p.values);
    }
  }
  return { created: creates.length, updated: updates.length, deleted: deletes.length };
}

/** One document of a kind: written, or removed when `doc` is null. */
export function syncOne(tx: Tx, kind: Kind, sourceId: string, doc: EntryDoc | null) {
  return syncEntries(tx, { kind, sourceId }, doc ? [doc] : []);
}

/**
 * Only the codes on existing entries (after a coding changed): the text stays, so FTS5's text trigger does not
 * fire and nothing is tokenized again; the filter table follows through its own trigger.
 */
export async function updateEntryCodes(tx: Tx, updates: readonly { rowid: number; sourceId: string; codeIds: string; dimensions: string }[], kind: Kind = "paragraph"): Promise<number> {
  if (!updates.length) return 0;
  const dialect = dialectOf(tx);
  const now = toDbDate(new Date(), dialect)!;
  for (const u of updates) {
    const p = new Params(dialect);
    await tx.$executeRawUnsafe(`UPDATE "SearchEntry" SET "codeIds" = ${p.add(u.codeIds)}, "dimensions" = ${p.add(u.dimensions)}, "updatedAt" = ${p.add(now)} WHERE "rowid" = ${p.add(u.rowid)}`, ...p.values);
  }
  if (usesOutbox()) {
    for (let i = 0; i < updates.length; i += CHUNK) {
      const p = new Params(dialect);
      const rows = updates.slice(i, i + CHUNK).map((u) => `(${p.list(["upsert", kind, u.sourceId, now])})`);
      await tx.$executeRawUnsafe(`INSERT INTO "SearchOutbox" ("op", "kind", "sourceId", "createdAt") VALUES ${rows.join(", ")}`, ...p.values);
    }
  }
  return updates.length;
}
