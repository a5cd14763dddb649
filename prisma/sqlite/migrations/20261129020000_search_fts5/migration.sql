-- Full-text search, embedded default (issue 7, docs/decisions/0009-search.md): an external-content FTS5 index
-- over SearchEntry."text", which holds normalized tokens (folded and stemmed by search/text/normalize.ts).
-- Triggers keep it in step with every SearchEntry write, inside the same transaction.
-- Prisma does not model virtual tables: prisma/sqlite.config.ts names this table and its shadow tables as
-- external tables, so `migrate dev` leaves them alone. A later migration that redefines SearchEntry
-- ("-- RedefineTables") drops these triggers: re-create them there and run the 'rebuild' below.
CREATE VIRTUAL TABLE "SearchEntryFts" USING fts5(
    "text",
    content = 'SearchEntry',
    content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
);

CREATE TRIGGER "SearchEntry_fts_insert" AFTER INSERT ON "SearchEntry" BEGIN
    INSERT INTO "SearchEntryFts" (rowid, "text") VALUES (new."rowid", new."text");
END;

CREATE TRIGGER "SearchEntry_fts_delete" AFTER DELETE ON "SearchEntry" BEGIN
    INSERT INTO "SearchEntryFts" ("SearchEntryFts", rowid, "text") VALUES ('delete', old."rowid", old."text");
END;

CREATE TRIGGER "SearchEntry_fts_update" AFTER UPDATE OF "text" ON "SearchEntry" BEGIN
    INSERT INTO "SearchEntryFts" ("SearchEntryFts", rowid, "text") VALUES ('delete', old."rowid", old."text");
    INSERT INTO "SearchEntryFts" (rowid, "text") VALUES (new."rowid", new."text");
END;

INSERT INTO "SearchEntryFts" ("SearchEntryFts") VALUES ('rebuild');
