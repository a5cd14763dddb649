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

CREATE FUNCTION lw_search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "SearchEntryVector" ("rowid", "vector") VALUES (NEW."rowid", lw_search_vector(NEW."text"))
    ON CONFLICT ("rowid") DO UPDATE SET "vector" = EXCLUDED."vector";
    RETURN NULL;
END
$$;

CREATE TRIGGER "SearchEntry_vector_insert" AFTER INSERT ON "SearchEntry"
    FOR EACH ROW EXECUTE FUNCTION lw_search_entry_vector();
CREATE TRIGGER "SearchEntry_vector_update" AFTER UPDATE OF "text" ON "SearchEntry"
    FOR EACH ROW WHEN (OLD."text" IS DISTINCT FROM NEW."text") EXECUTE FUNCTION lw_search_entry_vector();

INSERT INTO "SearchEntryVector" ("rowid", "vector") SELECT "rowid", lw_search_vector("text") FROM "SearchEntry";
CREATE INDEX "SearchEntryVector_vector_idx" ON "SearchEntryVector" USING GIN ("vector");
DROP INDEX "SearchEntry_text_search_idx";
