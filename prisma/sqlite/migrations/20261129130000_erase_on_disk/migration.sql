-- Withdrawal erases on disk too (docs/decisions/0012-erasure-on-disk.md). FTS5's 'secure-delete' option removes a
-- deleted row's words from the index segments at once; without it they stay there, masked by a delete marker,
-- until a merge rewrites the segment. The option is stored in the table's _config, so 'rebuild' keeps it.
-- (Deleted rows of ordinary tables are zeroed by PRAGMA secure_delete, a per-connection setting made in
-- app/db/client.server.ts.)
INSERT INTO "SearchEntryFts" ("SearchEntryFts", "rank") VALUES ('secure-delete', 1);
