-- PostgreSQL search: the tsvector of each SearchEntry is stored once (issue 7, docs/decisions/0009-search.md).
-- Before, queries matched and ranked on the expression lw_search_vector("text"): the GIN index served the match,
-- but ts_rank rebuilt the vector from the text for every match (a frequent word: about 190 ms on 200 interviews,
-- npm run bench:search -- --database postgres). A side table, like SQLite's SearchEntryFilters: no Prisma model
-- (listed under tables.external in prisma/postgres.config.ts), kept in step by a trigger that builds the vector
-- only when the text changes, and emptied with its entry by the foreign key.
CREATE TABLE "SearchEntryVector" (
    "rowid" INTEGER NOT NULL PRIMARY KEY REFERENCES "SearchEntry"("rowid") ON DELETE CASCADE,
    "vector" tsvector NOT NULL
);

-- Inserts once per statement (a transcript's entries come in one INSERT), text updates per row (a transition table
-- cannot go with a column list).
CREATE FUNCTION lw_search_entry_vectors_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SearchEntryVector" ("rowid", "vector") SELECT "rowid", lw_search_vector("text") FROM inserted;
    RETURN NULL;
END
$$;

CREATE FUNCTION lw_search_entry_vector_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "SearchEntryVector" SET "vector" = lw_search_vector(NEW."text") WHERE "rowid" = NEW."rowid";
    RETURN NULL;
END
$$;

CREATE TRIGGER "SearchEntry_vector_insert" AFTER INSERT ON "SearchEntry"
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION lw_search_entry_vectors_inserted();
CREATE TRIGGER "SearchEntry_vector_update" AFTER UPDATE OF "text" ON "SearchEntry"
    FOR EACH ROW WHEN (OLD."text" IS DISTINCT FROM NEW."text") EXECUTE FUNCTION lw_search_entry_vector_updated();

INSERT INTO "SearchEntryVector" ("rowid", "vector") SELECT "rowid", lw_search_vector("text") FROM "SearchEntry";
CREATE INDEX "SearchEntryVector_vector_idx" ON "SearchEntryVector" USING GIN ("vector");
DROP INDEX "SearchEntry_text_search_idx";
