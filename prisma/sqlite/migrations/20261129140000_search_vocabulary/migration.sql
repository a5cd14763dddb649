-- Word parts (*prüfung finds Kenntnisprüfung; docs/decisions/0009-search.md): FTS5's own list of the words in its
-- index, read through an fts5vocab table. It holds no data of its own (it reads SearchEntryFts), so it follows every
-- change and withdrawal of the index at once. Not a Prisma model: prisma/sqlite.config.ts lists it as external.
CREATE VIRTUAL TABLE "SearchEntryVocab" USING fts5vocab("SearchEntryFts", 'row');
