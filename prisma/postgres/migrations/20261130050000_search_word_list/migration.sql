-- PostgreSQL word parts (*prüfung): the index's words as a snapshot, when it began, and the entries changed since
-- (search/word-list.server.ts, docs/decisions/0009-search.md). No Prisma models: listed under tables.external in
-- prisma/postgres.config.ts. Left empty here: until the first refresh (the worker does it at once) lookups read every
-- vector, as before.
CREATE TABLE "SearchWordList" (
    "word" TEXT NOT NULL PRIMARY KEY
);

-- One row, id 1 (no CHECK constraint: Prisma's schema engine fails on one in an external table).
CREATE TABLE "SearchWordListState" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "refreshedAt" TIMESTAMPTZ NOT NULL
);

-- Entries whose words changed (keyed by a sequence, not by the entry: concurrent saves never wait for each other
-- here). Ids only, no words.
CREATE TABLE "SearchWordListPending" (
    "id" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "rowid" INTEGER NOT NULL,
    "at" TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- The vector triggers of 20261129110000_search_vector_table, now also noting the entry.
CREATE OR REPLACE FUNCTION lw_search_entry_vectors_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SearchEntryVector" ("rowid", "vector") SELECT "rowid", lw_search_vector("text") FROM inserted;
    INSERT INTO "SearchWordListPending" ("rowid") SELECT "rowid" FROM inserted;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION lw_search_entry_vector_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "SearchEntryVector" SET "vector" = lw_search_vector(NEW."text") WHERE "rowid" = NEW."rowid";
    INSERT INTO "SearchWordListPending" ("rowid") VALUES (NEW."rowid");
    RETURN NULL;
END
$$;
