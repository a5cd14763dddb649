// Makes the FTS5 tokenizer lw_german available on a better-sqlite3 connection (README.md beside this file).
import type Database from "better-sqlite3";
import { normalizeWord } from "../../../search/text/normalize.ts";
import { buildTokenizer } from "./build.ts";

/**
 * Builds the extension if needed, registers the JavaScript half it calls for the words it does not normalize
 * itself, and loads it. Needed on every connection that writes or queries a lw_german table.
 */
export function loadTokenizer(db: Database.Database): void {
  const extension = buildTokenizer();
  // Before loading: the extension refuses a connection without it.
  db.function("lw_normalize_word", { deterministic: true }, normalizeWord);
  db.loadExtension(extension);
}
