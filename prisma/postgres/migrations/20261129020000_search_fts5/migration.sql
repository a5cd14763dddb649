-- Full-text search on PostgreSQL (issue 7, docs/decisions/0009-search.md): PostgreSQL's own text search over
-- SearchEntry."text", which holds normalized tokens (folded and stemmed by search/text/normalize.ts, the same
-- tokens the SQLite FTS5 index gets). The tsvector is made from those tokens as they are, through the
-- tsvector literal (no parser, no dictionary, no locale), so both databases find the same rows; phrases keep
-- their positions. A GIN index on the expression; queries use exactly this expression.
CREATE FUNCTION lw_search_vector(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(quote_literal(tok) || ':' || least(pos, 16383), ' ')::tsvector, ''::tsvector)
    FROM unnest(string_to_array(body, ' ')) WITH ORDINALITY AS t(tok, pos)
    WHERE tok <> ''
$$;

CREATE INDEX "SearchEntry_text_search_idx" ON "SearchEntry" USING GIN (lw_search_vector("text"));
