// Search configuration, read from the environment once (like app/env.server.ts, which it complements).
//   SEARCH_ENGINE   auto (default): Meilisearch when MEILI_URL is set, else the database's own engine
//                   (SQLite FTS5, PostgreSQL text search); or fts5 | postgres | meilisearch to insist.
//   MEILI_URL, MEILI_API_KEY, MEILI_INDEX (default "lebenswege")
//   SEARCH_OUTBOX_POLL_MS  how often a worker looks for index changes to send to Meilisearch (default 1000)
//   SEARCH_WORD_LIST_REFRESH_MS  PostgreSQL: how often a worker renews the word list of word parts when entries
//                   changed (default 120000; search/word-list.server.ts)
import { z } from "zod";
import { type EnvOrigin, describeEnvIssues } from "../app/env-issues.ts";
import { providerOf } from "../app/db/provider.ts";

const fields = {
  SEARCH_ENGINE: z.enum(["auto", "fts5", "postgres", "meilisearch"]).default("auto"),
  MEILI_URL: z.string().url("must be a URL, e.g. http://127.0.0.1:7700").optional(),
  MEILI_API_KEY: z.string().optional(),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, "letters, digits, - and _ only")
    .default("lebenswege"),
  SEARCH_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(600_000).describe("a whole number of milliseconds, 10-600000").default(1000),
  SEARCH_WORD_LIST_REFRESH_MS: z.coerce.number().int().min(100).max(86_400_000).describe("a whole number of milliseconds, 100-86400000").default(120_000),
  DATABASE_URL: z.string().default("file:./data/lebenswege.db"),
};
const schema = z.object(fields);

export type SearchEngineName = "fts5" | "postgres" | "meilisearch";
export type SearchConfig = z.infer<typeof schema> & { engine: SearchEngineName };

export class SearchConfigError extends Error {}

export function parseSearchConfig(source: NodeJS.ProcessEnv, origin?: EnvOrigin): SearchConfig {
  const r = schema.safeParse(source);
  if (!r.success) {
    const lines = describeEnvIssues(r.error.issues, source, fields, origin);
    throw new SearchConfigError(`Lebenswege cannot start, the search configuration is invalid:\n${lines.join("\n")}`);
  }
  const c = r.data;
  const database: SearchEngineName = providerOf(c.DATABASE_URL) === "postgres" ? "postgres" : "fts5";
  let engine: SearchEngineName;
  if (c.SEARCH_ENGINE === "auto") engine = c.MEILI_URL ? "meilisearch" : database;
  else engine = c.SEARCH_ENGINE;
  if (engine === "meilisearch" && !c.MEILI_URL) throw new SearchConfigError("Lebenswege cannot start: SEARCH_ENGINE=meilisearch needs MEILI_URL.");
  if (engine !== "meilisearch" && engine !== database) {
    throw new SearchConfigError(`Lebenswege cannot start: SEARCH_ENGINE=${engine} does not fit DATABASE_URL (${database === "fts5" ? "SQLite" : "PostgreSQL"}).`);
  }
  return { ...c, engine };
}

let cached: SearchConfig | undefined;
export function searchConfig(): SearchConfig {
  cached ??= parseSearchConfig(process.env);
  return cached;
}

/** Whether index changes go to Meilisearch through the outbox (SearchOutbox). */
export const usesOutbox = () => searchConfig().engine === "meilisearch";
