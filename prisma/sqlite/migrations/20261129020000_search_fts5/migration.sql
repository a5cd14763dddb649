-- Full-text search, embedded default (issue 7, docs/decisions/0009-search.md): an external-content FTS5 index
-- over SearchEntry."text", which holds normalized tokens (folded and stemmed by search/text/normalize.ts).
-- Triggers keep it in step with every SearchEntry write, inside the same transaction.
-- Prisma does not model these: prisma/sqlite.config.ts names the FTS5 table, its shadow tables and
-- SearchEntryFilters as external tables, so `migrate dev` leaves them alone. A later migration that redefines
-- SearchEntry ("-- RedefineTables") drops these triggers: re-create them there and run the two refills at the end.
-- Tokenizer "ascii": the text is already our tokens, one space apart (lower case, letters/digits/marks of any
-- script), so FTS5 only has to split at the spaces; ascii does exactly that (non-ASCII bytes are token
-- characters), about a fifth cheaper than unicode61, and the index holds the very tokens PostgreSQL and
-- Meilisearch get (docs/decisions/0009-search.md, "Performance").
CREATE VIRTUAL TABLE "SearchEntryFts" USING fts5(
    "text",
    content = 'SearchEntry',
    content_rowid = 'rowid',
    tokenize = 'ascii'
);

-- The filter and facet columns of SearchEntry by rowid, without the text: filtering the matches FTS5 returns
-- reads this narrow table (about a tenth of SearchEntry's pages) instead of one SearchEntry page per match,
-- 3-4x faster on frequent words (search/engines/sql.server.ts). Kept by the same triggers, not a Prisma model
-- (an external table in prisma/sqlite.config.ts, like the FTS5 tables).
CREATE TABLE "SearchEntryFilters" (
    "rowid" INTEGER NOT NULL PRIMARY KEY,
    "audience" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "interviewId" TEXT,
    "municipalityId" TEXT,
    "caseGroup" TEXT,
    "speaker" TEXT,
    "authorId" TEXT,
    "docDate" DATETIME,
    "language" TEXT,
    "codeIds" TEXT NOT NULL,
    "dimensions" TEXT NOT NULL
);

CREATE TRIGGER "SearchEntry_fts_insert" AFTER INSERT ON "SearchEntry" BEGIN
    INSERT INTO "SearchEntryFts" (rowid, "text") VALUES (new."rowid", new."text");
    INSERT INTO "SearchEntryFilters" VALUES (new."rowid", new."audience", new."kind", new."interviewId", new."municipalityId", new."caseGroup", new."speaker", new."authorId", new."docDate", new."language", new."codeIds", new."dimensions");
END;

CREATE TRIGGER "SearchEntry_fts_delete" AFTER DELETE ON "SearchEntry" BEGIN
    INSERT INTO "SearchEntryFts" ("SearchEntryFts", rowid, "text") VALUES ('delete', old."rowid", old."text");
    DELETE FROM "SearchEntryFilters" WHERE "rowid" = old."rowid";
END;

CREATE TRIGGER "SearchEntry_fts_update" AFTER UPDATE OF "text" ON "SearchEntry" BEGIN
    INSERT INTO "SearchEntryFts" ("SearchEntryFts", rowid, "text") VALUES ('delete', old."rowid", old."text");
    INSERT INTO "SearchEntryFts" (rowid, "text") VALUES (new."rowid", new."text");
END;

CREATE TRIGGER "SearchEntry_filters_update" AFTER UPDATE ON "SearchEntry" BEGIN
    INSERT OR REPLACE INTO "SearchEntryFilters" VALUES (new."rowid", new."audience", new."kind", new."interviewId", new."municipalityId", new."caseGroup", new."speaker", new."authorId", new."docDate", new."language", new."codeIds", new."dimensions");
END;

INSERT INTO "SearchEntryFts" ("SearchEntryFts") VALUES ('rebuild');
INSERT INTO "SearchEntryFilters" SELECT "rowid", "audience", "kind", "interviewId", "municipalityId", "caseGroup", "speaker", "authorId", "docDate", "language", "codeIds", "dimensions" FROM "SearchEntry";

